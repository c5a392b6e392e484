/**
 * The generator's parts against the libraries people use: zone offsets
 * against Intl, user agents against ua-parser-js, cron schedules against
 * croner and yaml; and Calm's own reader on a whole scenario (the scorer is
 * tested in score.test.ts).
 */
import UAParser from 'ua-parser-js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { HUMAN_AGENTS } from '../../bench/scenarios/agents.js';
import { analyzeScenario } from '../../bench/scenarios/analyze-in-memory.js';
import { ZONES } from '../../bench/scenarios/clock.js';
import {
  type CronJob,
  everyMinutes,
  renderCronJobs,
  renderCrontab,
  runTimes,
  scheduleText,
} from '../../bench/scenarios/cron.js';
import { listKinds } from '../../bench/scenarios/generate.js';
import { Rng } from '../../bench/scenarios/random.js';
import { cronEntries, cronRuns, scenario } from './support.js';

const offsetAt = (zone: string, time: number) => {
  const text = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(time)
    .find((p) => p.type === 'timeZoneName')?.value as string;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(text);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

describe('scenario parts', () => {
  it('uses the offsets Intl gives for every zone, all through both windows', () => {
    const windows = [
      [Date.UTC(2026, 5, 1), Date.UTC(2026, 7, 24)],
      [Date.UTC(2026, 0, 5), Date.UTC(2026, 1, 24)],
    ] as const;
    for (const zone of ZONES)
      for (const [season, [from, to]] of windows.entries()) {
        expect(offsetAt(zone.name, from)).toBe(zone.offsets[season]);
        expect(offsetAt(zone.name, to)).toBe(zone.offsets[season]);
      }
  });

  it('names each browser the way ua-parser-js reads it', () => {
    for (const agent of HUMAN_AGENTS) {
      const r = new UAParser(agent.ua).getResult();
      expect([r.browser.name, Number(r.browser.major), r.os.name]).toEqual([
        agent.browser,
        agent.major,
        agent.os,
      ]);
    }
  });

  it('writes schedules croner runs at the times the generator planned', () => {
    const rng = new Rng(5);
    const zone = { name: 'Asia/Kolkata', offsetMin: 330 };
    const from = Date.UTC(2026, 5, 10, 3, 7);
    const to = from + 30 * 3600_000;
    for (const [minutes, hours] of [
      [everyMinutes(15, 7), 'every'],
      [everyMinutes(10, 0), 'every'],
      [[0], 'every'],
      [[0], [0]],
      [[25], [3, 15]],
    ] as [number[], number[] | 'every'][]) {
      for (let k = 0; k < 4; k++) {
        const job: CronJob = {
          name: 'x',
          user: 'root',
          command: '/bin/x',
          minutes,
          hours,
          schedule: scheduleText(rng, minutes, hours),
        };
        const runs = cronRuns({ name: 'x', schedule: job.schedule, zone: zone.name }, from, to);
        expect(runs).toEqual(runTimes(job, zone, from, to));
        expect(runs.length).toBeGreaterThan(0);
      }
    }
  });

  it('writes a crontab and Kubernetes CronJobs that read back to the same jobs', () => {
    const zone = { name: 'Europe/Berlin', offsetMin: 120 };
    const jobs: CronJob[] = [
      {
        name: '/usr/local/bin/reindex.sh',
        user: 'root',
        command: '/usr/local/bin/reindex.sh',
        minutes: [5, 20, 35, 50],
        hours: 'every',
        schedule: '5-59/15 * * * *',
      },
      {
        name: 'certbot renew --quiet',
        user: 'root',
        command: 'certbot renew --quiet',
        minutes: [0],
        hours: [0],
        schedule: '@daily',
      },
    ];
    const crontab = renderCrontab(jobs, zone, true);
    expect(crontab).toContain('CRON_TZ=Europe/Berlin');
    expect(crontab).toContain('5-59/15 * * * *\troot\t/usr/local/bin/reindex.sh');
    const docs = renderCronJobs(jobs, zone, 'shop')
      .split('\n---\n')
      .map((d) => parseYaml(d));
    expect(docs.map((d) => [d.kind, d.spec.schedule, d.spec.timeZone])).toEqual([
      ['CronJob', '5-59/15 * * * *', 'Europe/Berlin'],
      ['CronJob', '@daily', 'Europe/Berlin'],
    ]);
    expect(docs[0].spec.jobTemplate.spec.template.spec.containers[0].command).toEqual([
      '/usr/local/bin/reindex.sh',
    ]);
  });

  it('declares every cron job of a scenario in a file croner reads', () => {
    const s = scenario('quiet-control', 11);
    const entries = cronEntries(s);
    expect(entries.map((e) => e.name)).toEqual(s.truth.cron?.map((c) => c.job));
    for (const entry of entries)
      expect(cronRuns(entry, s.span.from - 86_400_000, s.span.to).length).toBeGreaterThan(0);
  });

  it("is read by Calm's reader line for line, every host named", () => {
    const s = scenario('quiet-control', 11);
    const report = analyzeScenario(s);
    const logLines = s.files
      .filter((f) => f.path.startsWith('logs/'))
      .reduce((n, f) => n + f.content.split('\n').length - 1, 0);
    expect(report.totals.unparseable).toBe(0);
    expect(report.totals.withoutTime).toBe(0);
    expect(report.totals.events).toBe(logLines);
    const hosts = new Set(
      s.files.filter((f) => f.path.startsWith('logs/')).map((f) => f.path.split('/')[1]),
    );
    expect(new Set(report.hosts.items.map((h) => h.host))).toEqual(hosts);
    expect(listKinds()).toHaveLength(10);
  });
});
