import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../report/model.js';
import { seededRandom } from '../../series/testing.js';
import { alignCronJobs, type CronAlignment } from './cron-alignment.js';
import { ErrorBurstCollector } from './cron-bursts.js';
import { cronAlignmentSchema } from './cron-schema.js';
import {
  addNoise,
  cronJob,
  HOUR,
  MINUTE,
  plantAfterRuns,
  quietErrors,
  SECOND,
  SIMULATED_SPAN,
  tenJobs,
} from './cron-testing.js';

const span = SIMULATED_SPAN;
const blamed = (result: CronAlignment) =>
  result.jobs
    .filter((j) => j.verdict === 'aligned' || j.verdict === 'same-runs')
    .map((j) => j.job.name);

function align(collector: ErrorBurstCollector, jobs: ReturnType<typeof tenJobs>, onset?: number) {
  return alignCronJobs({
    jobs,
    bursts: collector.bursts(),
    span,
    ...(onset !== undefined ? { onset } : {}),
  });
}

describe('cron alignment: seeded simulations', () => {
  it('finds the job whose runs are followed by errors among 10 jobs, and blames no other', () => {
    let found = 0;
    let othersBlamed = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const random = seededRandom(seed);
      // Every 15 min, hourly, hourly at :12, every 5 min: nested in or close to other jobs' runs.
      const jobs = tenJobs(
        random,
        ['*/15 * * * *', '0 * * * *', '12 * * * *', '*/5 * * * *'][seed % 4],
      );
      const collector = new ErrorBurstCollector();
      addNoise(collector, random, 6);
      plantAfterRuns(collector, random, jobs[0] as (typeof jobs)[0]);
      const names = blamed(align(collector, jobs));
      if (names.includes('job-0.sh')) found++;
      othersBlamed += names.filter((n) => n !== 'job-0.sh').length;
    }
    expect(found).toBe(30);
    expect(othersBlamed).toBe(0);
  });

  it('finds a job that brings errors after only 60% of its runs, in most seeds', () => {
    let found = 0;
    for (let seed = 100; seed < 120; seed++) {
      const random = seededRandom(seed);
      const jobs = tenJobs(random, '0 * * * *');
      const collector = new ErrorBurstCollector();
      addNoise(collector, random, 6);
      plantAfterRuns(collector, random, jobs[0] as (typeof jobs)[0], 0.6, 3);
      if (blamed(align(collector, jobs)).includes('job-0.sh')) found++;
    }
    expect(found).toBeGreaterThanOrEqual(14);
  });

  it('blames no job on pure Poisson errors in at most 5% of quiet datasets (stated level: 1%)', () => {
    let alarms = 0;
    const datasets = 200;
    for (let seed = 1000; seed < 1000 + datasets; seed++) {
      const random = seededRandom(seed);
      const collector = new ErrorBurstCollector();
      addNoise(collector, random, [2, 10, 60, 300][seed % 4] as number);
      if (align(collector, tenJobs(random)).verdict === 'aligned') alarms++;
    }
    expect(alarms / datasets).toBeLessThanOrEqual(0.05);
  });

  it('blames no job when quiet errors come in storms and an incident hour (at most 5%)', () => {
    let alarms = 0;
    const datasets = 100;
    for (let seed = 3000; seed < 3000 + datasets; seed++) {
      const random = seededRandom(seed);
      const collector = new ErrorBurstCollector();
      // A busy incident hour at a random time, over a daily cycle.
      const incident =
        span.from + Math.floor(random() * 23) * HOUR + Math.floor(random() * 60) * MINUTE;
      const rate = (t: number) =>
        4 +
        3 * Math.sin((2 * Math.PI * (t - span.from)) / (24 * HOUR)) +
        (t >= incident && t < incident + HOUR ? 120 : 0);
      addNoise(collector, random, rate, 127);
      // Storms of errors at random times: clumps, not single errors.
      for (let k = 0; k < 20; k++) {
        const start = span.from + random() * (span.to - span.from);
        for (let e = 0; e < 10; e++) collector.add(start + random() * 90 * SECOND);
      }
      if (align(collector, tenJobs(random)).verdict === 'aligned') alarms++;
    }
    expect(alarms / datasets).toBeLessThanOrEqual(0.05);
  });

  it('does not blame an every-minute job for random errors, nor an every-2-min one', () => {
    for (let seed = 2000; seed < 2030; seed++) {
      const result = alignCronJobs({
        jobs: [cronJob('* * * * *', 0), cronJob('*/2 * * * *', 1)],
        bursts: quietErrors(seed, [30, 120, 600][seed % 3] as number).bursts(),
        span,
      });
      expect(result.jobs.map((j) => j.verdict)).toEqual(['not-aligned', 'cannot-tell']);
      expect(result.jobs[1]?.sentence).toBe(
        '`job-0.sh` (every minute) runs too often for its runs to be told apart from the background errors.',
      );
      expect(result.verdict).toBe('none-aligned');
    }
  });
});

describe('cron alignment: answers', () => {
  const planted = () => {
    const random = seededRandom(7);
    const jobs = [
      cronJob('*/15 * * * *', 0),
      cronJob('0 * * * *', 1),
      cronJob('*/15 * * * *', 2),
      cronJob('17 3 * * *', 3),
    ];
    const collector = new ErrorBurstCollector();
    addNoise(collector, random, 6);
    plantAfterRuns(collector, random, jobs[0] as (typeof jobs)[0]);
    return { jobs, collector };
  };

  it('says how many runs matched, what chance would give, and the lag, with evidence lines', () => {
    const { jobs, collector } = planted();
    const evidenceFor = (time: number): Evidence => ({
      source: 'app.log',
      line: Math.floor(time / 1000),
      text: 'timeout',
      time,
    });
    const result = alignCronJobs({ jobs, bursts: collector.bursts(), span, evidenceFor });
    const top = result.jobs[0];
    expect(result.verdict).toBe('aligned');
    expect(top?.verdict).toBe('aligned');
    expect(top?.runsMatched).toBe(top?.runsTested);
    expect(top?.expectedByChance).toBeLessThan((top?.runsTested ?? 0) / 3);
    expect(top?.lagMs?.low).toBeGreaterThanOrEqual(15 * SECOND);
    expect(top?.lagMs?.high).toBeLessThanOrEqual(45 * SECOND);
    expect(top?.confidence).toBeGreaterThan(0.8);
    expect(top?.evidence[0]).toEqual({
      source: 'crontab',
      line: 1,
      text: '*/15 * * * * /opt/job-0.sh',
    });
    expect(top?.evidence.slice(1).every((e) => e.text === 'timeout')).toBe(true);
    expect(top?.sentence).toMatch(
      /^`job-0\.sh` \(every 15 min\): 9\d of 9\d runs are followed by an error burst within 1 min, errors beginning \d+-\d+ s after the run; chance would give \d+ \(p = .*, corrected for 3 jobs\)\.$/,
    );
  });

  it('tells apart jobs of the same moments, and jobs whose runs are a subset of the cause', () => {
    const { jobs, collector } = planted();
    const result = alignCronJobs({ jobs, bursts: collector.bursts(), span });
    const verdict = (name: string) => result.jobs.find((j) => j.job.name === name);
    expect(verdict('job-1.sh')).toMatchObject({ verdict: 'explained-by-other' });
    expect(['job-0.sh', 'job-2.sh']).toContain(verdict('job-1.sh')?.otherJob);
    expect([verdict('job-0.sh')?.verdict, verdict('job-2.sh')?.verdict].sort()).toEqual([
      'aligned',
      'same-runs',
    ]);
    expect(result.sentence).toContain('the logs cannot tell which of the two it is');
    expect(verdict('job-3.sh')).toMatchObject({ verdict: 'cannot-tell', runs: 1 });
  });

  it('says plainly when no cron file was given, no job is listed, or there are no errors', () => {
    const none = new ErrorBurstCollector().bursts();
    expect(alignCronJobs({ jobs: undefined, bursts: none, span })).toMatchObject({
      verdict: 'no-cron-file',
      confidence: 0,
      sentence: 'No cron file given (--cron FILE): cron jobs were not checked.',
    });
    expect(alignCronJobs({ jobs: [], bursts: none, span }).verdict).toBe('no-jobs');
    expect(alignCronJobs({ jobs: [cronJob('@hourly', 0)], bursts: none, span })).toMatchObject({
      verdict: 'no-errors',
      sentence: 'No errors to line up with the runs of the 1 cron job.',
    });
  });

  it('names a job that ran just before the onset, with the chance of so close a run, and says @reboot has no schedule', () => {
    const collector = quietErrors(11, 4);
    const jobs = [
      cronJob('30 2 * * *', 0),
      cronJob('*/10 * * * *', 1),
      { ...cronJob('@reboot', 2), schedule: '@reboot' },
    ];
    const onset = span.from + 2 * HOUR + 30 * MINUTE + 40 * SECOND;
    for (let k = 0; k < 40; k++) collector.add(onset + k * 20 * SECOND);
    const result = alignCronJobs({ jobs, bursts: collector.bursts(), span, onset });
    expect(result.verdict).toBe('ran-before-onset');
    expect(result.sentence).toMatch(
      /But `job-0\.sh` \(ran once in the span\) ran at .*, 40 s before the errors began \(a run that close before a random moment: 0\.07%\)\.$/,
    );
    expect(result.jobs.find((j) => j.job.name === 'job-0.sh')?.ranBeforeOnset?.beforeMs).toBe(
      40 * SECOND,
    );
    expect(result.jobs.find((j) => j.job.name === 'job-2.sh')).toMatchObject({
      verdict: 'no-schedule',
      sentence:
        '`job-2.sh` (@reboot) runs only when its host starts: no schedule to compare with the errors.',
    });
    expect(result.confidence).toBeLessThanOrEqual(0.5);
  });

  it('gives plain data that the report schema accepts', () => {
    const { jobs, collector } = planted();
    for (const onset of [undefined, span.from + 5 * HOUR]) {
      const result = alignCronJobs({
        jobs,
        bursts: collector.bursts(),
        span,
        ...(onset ? { onset } : {}),
      });
      expect(cronAlignmentSchema.parse(result)).toEqual(result);
      expect(structuredClone(result)).toEqual(result);
    }
  });

  it('says when every job runs only at boot, and when the run bound was reached', () => {
    const bursts = quietErrors(5, 10).bursts();
    const reboot = { ...cronJob('@reboot', 0), schedule: '@reboot' };
    expect(alignCronJobs({ jobs: [reboot], bursts, span }).sentence).toBe(
      'The cron jobs run only when their hosts start (@reboot): no schedule to compare with the errors.',
    );
    const bounded = alignCronJobs({
      jobs: [cronJob('*/5 * * * *', 1)],
      bursts,
      span,
      options: { maxRunsTotal: 100 },
    });
    expect(bounded.jobs[0]).toMatchObject({ runs: 100, truncated: true });
    expect(bounded.jobs[0]?.sentence).toMatch(
      /Only its first 100 runs were looked at \(the bound per analysis\)\.$/,
    );
  });
});
