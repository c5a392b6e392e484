/**
 * The scorer (bench/scenarios/score.ts) on small hand-written reports: for
 * each planted answer a right and a wrong report, a missing section, and
 * quiet days with and without a false alarm; then the tally `evaluate`
 * prints. Nothing here runs calm or needs dist/.
 */
import { describe, expect, it } from 'vitest';
import { dropOption, type Evaluation } from '../../bench/scenarios/evaluate.js';
import {
  findJob,
  holds,
  parseWindow,
  type ReportView,
  type ScoredAnswer,
  scoreReport,
  windowsOverlap,
} from '../../bench/scenarios/score.js';
import { formatJson, formatMisses, formatTable, tally } from '../../bench/scenarios/tally.js';
import type { Truth } from '../../bench/scenarios/truth.js';

const MINUTE = 60_000;
const T = Date.UTC(2026, 0, 20, 12, 0);

const truthOf = (planted: Partial<Truth>): Truth => ({
  kind: 'deploy-breaks-input-shape',
  seed: 1,
  timeZone: 'Europe/Berlin',
  story: '',
  ...planted,
});

/** A report that found nothing, every section present. */
const nothingFound = (): Required<ReportView> => ({
  onset: { found: false },
  hosts: {
    items: [
      { host: 'web-1', concentrated: false },
      { host: 'web-2', concentrated: false },
    ],
  },
  changes: { suspects: [] },
  cron: { verdict: 'none-aligned', jobs: [] },
  patterns: { periods: [], timesOfDay: [] },
  anomalies: { found: false, anomalies: [] },
  contrasts: { findings: [] },
  health: { findings: [] },
  bugReports: { commonalities: [] },
});

const report = (parts: ReportView): ReportView => ({ ...nothingFound(), ...parts });

/** The one result for `answer` (the test fails when there are more or none). */
function only(results: ScoredAnswer[], answer: string): ScoredAnswer {
  const found = results.filter((r) => r.answer === answer);
  expect(found, `${answer} in ${JSON.stringify(results)}`).toHaveLength(1);
  return found[0] as ScoredAnswer;
}

const oks = (results: ScoredAnswer[]) => results.map((r) => [r.answer, r.ok]);

describe('scoreReport: onset', () => {
  const truth = truthOf({ onset: { time: T, toleranceMs: 5 * MINUTE } });
  it('takes an onset within the tolerance, by its time or its bucket', () => {
    expect(scoreReport(report({ onset: { found: true, time: T + 4 * MINUTE } }), truth)).toEqual([
      expect.objectContaining({ answer: 'onset', ok: true }),
    ]);
    const bucket = report({ onset: { found: true, bucketStart: T - 3 * MINUTE } });
    expect(only(scoreReport(bucket, truth), 'onset').ok).toBe(true);
  });
  it('misses an onset too far off, none found, or no onset section', () => {
    const far = only(
      scoreReport(report({ onset: { found: true, time: T + 7 * MINUTE } }), truth),
      'onset',
    );
    expect(far.ok).toBe(false);
    expect(far.detail).toContain('7 min off');
    expect(only(scoreReport(report({ onset: { found: false } }), truth), 'onset').ok).toBe(false);
    const missing = only(scoreReport({}, truth), 'onset');
    expect(missing).toEqual({
      answer: 'onset',
      ok: false,
      detail: 'the report has no onset section',
    });
  });
});

describe('scoreReport: suspects', () => {
  const truth = truthOf({
    suspects: [
      { changeId: 'chg-1', blamed: false },
      { changeId: 'chg-2', blamed: true },
      { changeId: 'chg-3', blamed: false },
    ],
  });
  const suspect = (id: string, verdict: string) => ({ change: { id, description: id }, verdict });
  const score = (suspects: { change: { id: string }; verdict: string }[]) =>
    only(scoreReport(report({ changes: { suspects } }), truth), 'suspects');

  it('is right when the blamed change is the top suspect and no innocent one is blamed', () => {
    expect(score([suspect('chg-2', 'likely'), suspect('chg-1', 'unlikely')]).ok).toBe(true);
    expect(score([suspect('chg-2', 'possible')]).ok).toBe(true);
  });
  it('misses the blamed change second, unlikely or absent', () => {
    const second = score([suspect('chg-3', 'likely'), suspect('chg-2', 'likely')]);
    expect(second.ok).toBe(false);
    expect(second.detail).toContain('chg-2 should be the top suspect, is #2 (likely)');
    expect(second.detail).toContain('chg-3 is innocent but likely');
    expect(score([suspect('chg-2', 'unlikely')]).ok).toBe(false);
    expect(score([]).detail).toContain('chg-2 should be the top suspect, is not a suspect');
  });
  it('misses an innocent change called possible when nothing is to blame', () => {
    const innocent = truthOf({
      suspects: [
        { changeId: 'chg-1', blamed: false },
        { changeId: 'chg-2', blamed: false },
      ],
    });
    const scoreInnocent = (verdict: string) =>
      only(
        scoreReport(report({ changes: { suspects: [suspect('chg-2', verdict)] } }), innocent),
        'suspects',
      );
    expect(scoreInnocent('unlikely').ok).toBe(true);
    expect(scoreInnocent('possible').ok).toBe(false);
    expect(only(scoreReport(report({ changes: { suspects: [] } }), innocent), 'suspects').ok).toBe(
      true,
    );
  });
  it('misses a report without a changes section', () => {
    expect(only(scoreReport({}, truth), 'suspects').detail).toBe(
      'the report has no changes section',
    );
  });
});

describe('scoreReport: cron', () => {
  const job = (name: string, command: string, verdict: string) => ({
    job: { name, command },
    verdict,
  });
  const truth = truthOf({
    cron: [
      { job: '/usr/local/bin/reindex.sh --full', aligned: true },
      { job: 'certbot renew --quiet', aligned: false },
      { job: 'backup-db', aligned: false },
    ],
  });
  const score = (jobs: ReturnType<typeof job>[]) =>
    only(scoreReport(report({ cron: { verdict: 'aligned', jobs } }), truth), 'cron');

  it('finds jobs by command or Kubernetes name and is right when every verdict is', () => {
    const right = score([
      job('reindex.sh', '/usr/local/bin/reindex.sh --full', 'aligned'),
      job('certbot', 'certbot renew --quiet', 'not-aligned'),
      job('backup-db', '/usr/local/bin/backup-db.sh', 'cannot-tell'),
    ]);
    expect(right).toMatchObject({ ok: true });
    expect(
      score([
        job('reindex.sh', '/usr/local/bin/reindex.sh --full', 'same-runs'),
        job('certbot', 'certbot renew --quiet', 'explained-by-other'),
        job('backup-db', 'backup-db', 'not-aligned'),
      ]).ok,
    ).toBe(true);
  });
  it('misses the aligned job unaligned, an innocent one aligned, or a job not reported', () => {
    const wrong = score([
      job('reindex.sh', '/usr/local/bin/reindex.sh --full', 'not-aligned'),
      job('certbot', 'certbot renew --quiet', 'aligned'),
    ]);
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toContain(
      '/usr/local/bin/reindex.sh --full should be aligned, is not-aligned',
    );
    expect(wrong.detail).toContain('certbot renew --quiet should be unaligned, is aligned');
    expect(wrong.detail).toContain('backup-db is not in the report');
    expect(only(scoreReport({}, truth), 'cron').detail).toBe('the report has no cron section');
  });
  it('prefers an exact name or command to a substring', () => {
    const jobs = [
      job('reindex', '/usr/local/bin/reindex.sh --full --again', 'aligned'),
      job('reindex-2', '/usr/local/bin/reindex.sh --full', 'not-aligned'),
    ];
    expect(findJob(jobs, '/usr/local/bin/reindex.sh --full')?.job.name).toBe('reindex-2');
    expect(findJob(jobs, 'REINDEX')?.job.name).toBe('reindex');
    expect(findJob(jobs, 'reindex.sh --full --again')?.job.name).toBe('reindex');
    expect(findJob(jobs, 'sitemap')).toBeUndefined();
  });
});

describe('scoreReport: period and time of day', () => {
  it('takes a period within the tolerance', () => {
    const truth = truthOf({ period: { ms: 15 * MINUTE, toleranceMs: MINUTE } });
    const periods = (...ms: number[]) =>
      report({ patterns: { periods: ms.map((periodMs) => ({ periodMs })), timesOfDay: [] } });
    expect(only(scoreReport(periods(60 * MINUTE, 15.5 * MINUTE), truth), 'period').ok).toBe(true);
    expect(only(scoreReport(periods(30 * MINUTE), truth), 'period').ok).toBe(false);
    expect(only(scoreReport(periods(), truth), 'period').detail).toContain('reported none');
    expect(only(scoreReport({}, truth), 'period').detail).toBe(
      'the report has no patterns section',
    );
  });

  const truth = truthOf({
    timeOfDay: { from: '09:10', to: '09:30', days: 3, toleranceMs: 5 * MINUTE },
  });
  const windows = (...w: string[]) =>
    report({
      patterns: { periods: [], timesOfDay: w.map((window) => ({ window, zone: 'Europe/Berlin' })) },
    });
  const score = (r: ReportView, t = truth) => only(scoreReport(r, t), 'timeOfDay').ok;

  it('takes a window that overlaps the planted one widened by the tolerance', () => {
    expect(score(windows('09:00-09:20'))).toBe(true);
    expect(score(windows('13:00-13:20', '09:20-09:40'))).toBe(true);
    expect(score(windows('09:33-09:50'))).toBe(true);
    expect(score(windows('08:50-09:06'))).toBe(true);
  });
  it('misses windows elsewhere, in another zone, or none', () => {
    expect(score(windows('09:40-10:00'))).toBe(false);
    expect(score(windows('21:10-21:30'))).toBe(false);
    expect(score(windows())).toBe(false);
    const utc = report({
      patterns: { periods: [], timesOfDay: [{ window: '09:10-09:30', zone: 'UTC' }] },
    });
    expect(score(utc)).toBe(false);
  });
  it('handles windows across midnight', () => {
    const late = truthOf({
      timeOfDay: { from: '23:50', to: '00:10', days: 3, toleranceMs: 5 * MINUTE },
    });
    expect(score(windows('00:00-00:20'), late)).toBe(true);
    expect(score(windows('23:30-23:47'), late)).toBe(true);
    expect(score(windows('00:20-00:40'), late)).toBe(false);
    expect(parseWindow('23:50-00:10')).toEqual([1430, 1450]);
    expect(parseWindow('9:05–9:25')).toEqual([545, 565]);
    expect(parseWindow('all day')).toBeUndefined();
    expect(windowsOverlap([1430, 1450], [0, 5])).toBe(true);
    expect(windowsOverlap([100, 200], [201, 300])).toBe(false);
  });
});

describe('scoreReport: hosts and health', () => {
  const hosts = (...concentrated: string[]) =>
    report({
      hosts: {
        items: ['web-1', 'web-2', 'web-3'].map((host) => ({
          host,
          concentrated: concentrated.includes(host),
        })),
      },
    });
  it('wants exactly the planted hosts, or none singled out for all', () => {
    const one = truthOf({ hosts: { concentrated: ['web-2'] } });
    expect(only(scoreReport(hosts('web-2'), one), 'hosts').ok).toBe(true);
    expect(only(scoreReport(hosts('web-2', 'web-3'), one), 'hosts').ok).toBe(false);
    expect(only(scoreReport(hosts(), one), 'hosts').ok).toBe(false);
    const all = truthOf({ hosts: { concentrated: 'all' } });
    expect(only(scoreReport(hosts(), all), 'hosts').ok).toBe(true);
    expect(only(scoreReport(hosts('web-1'), all), 'hosts').ok).toBe(false);
  });

  const health = (...findings: [string, string][]) =>
    report({ health: { findings: findings.map(([kind, host]) => ({ kind, host })) } });
  it('takes a finding of the right kind on the right host', () => {
    const disk = truthOf({ health: [{ host: 'web-2', kind: 'disk-filling' }] });
    expect(
      only(scoreReport(health(['shift', 'web-1'], ['filling', 'web-2']), disk), 'health').ok,
    ).toBe(true);
    expect(only(scoreReport(health(['filling', 'web-1']), disk), 'health').ok).toBe(false);
    expect(only(scoreReport(health(['leak', 'web-2']), disk), 'health').ok).toBe(false);
    const memory = truthOf({ health: [{ host: 'app-01', kind: 'memory-leak' }] });
    expect(only(scoreReport(health(['climbing', 'app-01']), memory), 'health').ok).toBe(true);
    expect(only(scoreReport(health(['leak', 'APP-01']), memory), 'health').ok).toBe(true);
    expect(only(scoreReport(health(['spike', 'app-01']), memory), 'health').ok).toBe(false);
    expect(only(scoreReport({}, memory), 'health').detail).toBe(
      'the report has no health section (planted memory-leak on app-01)',
    );
  });
});

describe('scoreReport: contrasts and bug reports', () => {
  const finding = (attribute: string, name: string, value: string, label = value) => ({
    attribute,
    name,
    match: 'value',
    value,
    label,
  });
  const contrasts = (...findings: ReturnType<typeof finding>[]) =>
    report({ contrasts: { findings } });
  const truth = truthOf({
    contrasts: [
      { attribute: 'amount', value: 'decimal' },
      { attribute: 'browser', value: 'Mobile Safari 17' },
      { attribute: 'region', value: 'eu-west-1' },
    ],
  });
  const scored = (r: ReportView) =>
    scoreReport(r, truth)
      .filter((x) => x.answer === 'contrasts')
      .map((x) => x.ok);

  it('scores each planted value on its own, by attribute or name, value or label', () => {
    expect(
      scored(
        contrasts(
          finding('param', 'amount', 'decimal', 'a decimal `amount`'),
          finding('browser', 'browser', 'mobile safari 17'),
          finding('region', 'region', 'EU-West-1'),
        ),
      ),
    ).toEqual([true, true, true]);
    expect(scored(contrasts(finding('param', 'amount', '4', 'a decimal `amount`')))).toEqual([
      true,
      false,
      false,
    ]);
    expect(scored(contrasts(finding('osVersion', 'os', 'x', 'eu-west-1')))).toEqual([
      false,
      false,
      false,
    ]);
  });
  it('misses a value of another attribute, a longer value, or no contrasts section', () => {
    expect(
      scored(
        contrasts(
          finding('param', 'currency', 'decimal'),
          finding('browser', 'browser', 'Mobile Safari 176'),
          finding('host', 'host', 'eu-west-1'),
        ),
      ),
    ).toEqual([false, false, false]);
    expect(scoreReport({}, truth).filter((x) => x.answer === 'contrasts')).toHaveLength(3);
    expect(
      only(scoreReport({}, truthOf({ contrasts: truth.contrasts?.slice(0, 1) })), 'contrasts')
        .detail,
    ).toBe('the report has no contrasts section (planted amount=decimal)');
  });
  it('takes a browser family finding only when it names the version too', () => {
    const browser = truthOf({ contrasts: [{ attribute: 'browser', value: 'Mobile Safari 17' }] });
    const ok = (f: ReturnType<typeof finding>) =>
      only(scoreReport(contrasts(f), browser), 'contrasts').ok;
    expect(ok(finding('browserFamily', 'browser', 'Mobile Safari'))).toBe(false);
    expect(ok(finding('browser', 'browser', 'Mobile Safari 17.4', 'Mobile Safari 17.4'))).toBe(
      true,
    );
  });

  const common = (...c: [string, string, boolean][]) =>
    report({
      bugReports: {
        commonalities: c.map(([attribute, value, notable]) => ({ attribute, value, notable })),
      },
    });
  const reports = truthOf({
    reports: [
      { attribute: 'browser', value: 'Mobile Safari 17' },
      { attribute: 'os', value: 'iOS' },
      { attribute: 'page', value: '/checkout' },
    ],
  });
  const scoredReports = (r: ReportView) =>
    scoreReport(r, reports)
      .filter((x) => x.answer === 'reports')
      .map((x) => x.ok);
  it('wants a notable commonality with the planted attribute and value', () => {
    expect(
      scoredReports(
        common(
          ['browser', 'Mobile Safari 17', true],
          ['osVersion', 'iOS 17', true],
          ['page', '/checkout', true],
        ),
      ),
    ).toEqual([true, true, true]);
    expect(
      scoredReports(
        common(
          ['browser', 'Mobile Safari 17', false],
          ['os', 'Android', true],
          ['word', '/checkout', true],
        ),
      ),
    ).toEqual([false, false, false]);
    expect(
      only(scoreReport({}, truthOf({ reports: [{ attribute: 'os', value: 'iOS' }] })), 'reports')
        .detail,
    ).toBe('the report has no bugReports section (planted os=iOS)');
  });
  it('matches whole words, case aside', () => {
    expect(holds('Mobile Safari 17 on iOS', 'ios')).toBe(true);
    expect(holds('Mobile Safari 176', 'Mobile Safari 17')).toBe(false);
    expect(holds('iOSX', 'iOS')).toBe(false);
    expect(holds('a decimal `amount`', 'decimal')).toBe(true);
    expect(holds('anything', '')).toBe(false);
  });
});

describe('scoreReport: what is scored', () => {
  it('scores only what the truth plants, anomalies never outside quiet days', () => {
    const truth = truthOf({
      onset: { time: T, toleranceMs: 5 * MINUTE },
      hosts: { concentrated: 'all' },
      suspects: [{ changeId: 'chg-1', blamed: true }],
      cron: [],
    });
    const right = report({
      onset: { found: true, time: T },
      changes: { suspects: [{ change: { id: 'chg-1' }, verdict: 'likely' }] },
      anomalies: { found: true, anomalies: [{ key: 'errors', label: 'errors' }] },
    });
    expect(oks(scoreReport(right, truth))).toEqual([
      ['onset', true],
      ['suspects', true],
      ['hosts', true],
    ]);
  });
  it('scores every answer of a report that is not there as a miss', () => {
    const truth = truthOf({
      onset: { time: T, toleranceMs: 5 * MINUTE },
      suspects: [{ changeId: 'chg-1', blamed: false }],
      cron: [{ job: 'x', aligned: false }],
      period: { ms: MINUTE, toleranceMs: 1000 },
      timeOfDay: { from: '09:00', to: '09:20', days: 3, toleranceMs: MINUTE },
      hosts: { concentrated: 'all' },
      health: [{ host: 'h', kind: 'disk-filling' }],
      contrasts: [{ attribute: 'region', value: 'x' }],
      reports: [{ attribute: 'os', value: 'iOS' }],
    });
    const results = scoreReport(undefined, truth);
    expect(results.map((r) => r.answer)).toEqual([
      'onset',
      'suspects',
      'cron',
      'period',
      'timeOfDay',
      'hosts',
      'health',
      'contrasts',
      'reports',
    ]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r.detail).toMatch(/^the report has no \w+ section( \(planted [^)]+\))?$/);
    }
  });
});

describe('scoreReport: quiet days', () => {
  const quiet = truthOf({
    kind: 'quiet-control',
    quiet: true,
    suspects: [{ changeId: 'chg-1', blamed: false }],
    cron: [{ job: 'certbot renew --quiet', aligned: false }],
  });
  const ANSWERS = [
    'onset',
    'suspects',
    'cron',
    'period',
    'timeOfDay',
    'hosts',
    'health',
    'contrasts',
    'reports',
    'anomalies',
  ];

  it('scores ten answers of "nothing found", all right on a report that found nothing', () => {
    const results = scoreReport(nothingFound(), quiet);
    expect(results.map((r) => r.answer)).toEqual(ANSWERS);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0]?.detail).toBe('quiet: reported none');
  });
  it('keeps what is not a finding: unlikely suspects, unaligned jobs, ordinary commonalities', () => {
    const calm = report({
      changes: { suspects: [{ change: { id: 'chg-1' }, verdict: 'unlikely' }] },
      cron: {
        verdict: 'none-aligned',
        jobs: [
          { job: { name: 'certbot', command: 'certbot renew --quiet' }, verdict: 'not-aligned' },
        ],
      },
      bugReports: { commonalities: [{ attribute: 'page', value: '/cart', notable: false }] },
    });
    expect(scoreReport(calm, quiet).every((r) => r.ok)).toBe(true);
  });
  it('shows each false alarm under its own answer', () => {
    const alarms: [string, ReportView][] = [
      ['onset', { onset: { found: true, time: T } }],
      ['suspects', { changes: { suspects: [{ change: { id: 'chg-1' }, verdict: 'possible' }] } }],
      [
        'cron',
        {
          cron: {
            verdict: 'aligned',
            jobs: [
              { job: { name: 'certbot', command: 'certbot renew --quiet' }, verdict: 'aligned' },
            ],
          },
        },
      ],
      ['cron', { cron: { verdict: 'ran-before-onset', jobs: [] } }],
      ['period', { patterns: { periods: [{ periodMs: 60_000 }], timesOfDay: [] } }],
      ['timeOfDay', { patterns: { periods: [], timesOfDay: [{ window: '09:00-09:20' }] } }],
      ['hosts', { hosts: { items: [{ host: 'web-1', concentrated: true }] } }],
      ['health', { health: { findings: [{ kind: 'filling', host: 'web-1' }] } }],
      ['contrasts', { contrasts: { findings: [{ attribute: 'region', value: 'eu' }] } }],
      [
        'reports',
        { bugReports: { commonalities: [{ attribute: 'os', value: 'iOS', notable: true }] } },
      ],
      [
        'anomalies',
        { anomalies: { found: true, anomalies: [{ key: 'errors', label: 'errors' }] } },
      ],
      ['anomalies', { anomalies: { found: true, anomalies: [] } }],
    ];
    for (const [answer, parts] of alarms) {
      const results = scoreReport(report(parts), quiet);
      expect(
        results.filter((r) => !r.ok).map((r) => r.answer),
        answer,
      ).toEqual([answer]);
      expect(only(results, answer).detail).toMatch(/^quiet: reported (?!none)/);
    }
  });
  it('misses each section the report lacks', () => {
    const { health: _health, anomalies: _anomalies, ...rest } = nothingFound();
    expect(oks(scoreReport(rest, quiet)).filter(([, ok]) => !ok)).toEqual([
      ['health', false],
      ['anomalies', false],
    ]);
    expect(scoreReport(undefined, quiet).every((r) => !r.ok)).toBe(true);
  });
});

describe('evaluate: the tally and its helpers', () => {
  const evaluation = (kind: Evaluation['kind'], seed: number, ok: [string, boolean][]) => ({
    kind,
    seed,
    title: '',
    dropped: [],
    ms: 1,
    results: ok.map(([answer, right]) => ({ answer, ok: right, detail: `${answer} detail` })),
  });
  const evaluations: Evaluation[] = [
    evaluation('disk-filling', 1, [
      ['onset', true],
      ['hosts', false],
      ['health', true],
    ]),
    evaluation('disk-filling', 2, [
      ['onset', true],
      ['hosts', true],
      ['health', false],
    ]),
    { ...evaluation('quiet-control', 1, [['onset', false]]), dropped: ['--metrics'], error: 'x' },
  ];

  it('counts ok/total per kind x answer, per answer, per kind and overall', () => {
    const t = tally(evaluations);
    expect([t.ok, t.total, t.scenarios, t.failedRuns, t.dropped]).toEqual([
      4,
      7,
      3,
      1,
      ['--metrics'],
    ]);
    expect(t.cells['disk-filling']).toEqual({
      onset: { ok: 2, total: 2 },
      hosts: { ok: 1, total: 2 },
      health: { ok: 1, total: 2 },
    });
    expect(t.byAnswer.onset).toEqual({ ok: 2, total: 3 });
    expect(t.byKind['quiet-control']).toEqual({ ok: 0, total: 1 });
    const table = formatTable(t).split('\n');
    expect(table[0]?.split(/\s+/)).toEqual(['kind', 'onset', 'hosts', 'health', 'all']);
    expect(table[1]?.split(/\s+/)).toEqual(['disk-filling', '2/2', '1/2', '1/2', '4/6']);
    expect(table[2]?.split(/\s+/)).toEqual(['quiet-control', '0/1', '-', '-', '0/1']);
    expect(table[3]?.split(/\s+/)).toEqual(['all', '2/3', '1/2', '1/2', '4/7']);
    expect(table[4]).toBe('overall: 4/7 planted answers right (57.1%) over 3 scenarios');
    expect(JSON.parse(formatJson(t))).toMatchObject({ ok: 4, total: 7, share: 0.5714 });
    expect(formatMisses(evaluations)).toEqual([
      'MISS disk-filling 1 hosts: hosts detail',
      'MISS disk-filling 2 health: health detail',
      'MISS quiet-control 1 onset: onset detail',
    ]);
  });
  it('drops an option the build does not know, with its value', () => {
    const args = ['logs', '--changes', 'c.jsonl', '--metrics', 'm.csv', '--tz', 'UTC'];
    expect(dropOption(args, '--metrics')).toEqual(['logs', '--changes', 'c.jsonl', '--tz', 'UTC']);
    expect(dropOption(['logs', '--flag', '--tz', 'UTC'], '--flag')).toEqual([
      'logs',
      '--tz',
      'UTC',
    ]);
  });
});
