import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignCronJobs } from '../../analysis/explain/cron/cron-alignment.js';
import { ErrorBurstCollector } from '../../analysis/explain/cron/cron-bursts.js';
import { expandRuns } from '../../analysis/explain/cron/cron-runs.js';
import { seededRandom } from '../../analysis/series/testing.js';
import { isUserError } from '../../core/errors.js';
import { parseCronText, readCronInput } from './cron-input.js';

const fixtures = resolve(import.meta.dirname, '../../../test/fixtures/cron');
const read = (...names: string[]) => readCronInput(names, { cwd: fixtures });

describe('readCronInput: crontabs', () => {
  it('reads /etc/crontab with its user column and Debian run-parts lines', async () => {
    const input = await read('etc-crontab');
    expect(input.files).toEqual([
      { source: 'etc-crontab', form: 'system-crontab', jobs: 5, problems: 0 },
    ]);
    expect(input.jobs.map((j) => [j.name, j.schedule, j.user, j.line])).toEqual([
      ['run-parts cron.hourly', '17 * * * *', 'root', 18],
      ['run-parts cron.daily', '25 6 * * *', 'root', 19],
      ['run-parts cron.weekly', '47 6 * * 7', 'root', 20],
      ['run-parts cron.monthly', '52 6 1 * *', 'root', 21],
      ['backup.sh', '*/15 * * * *', 'backup', 22],
    ]);
  });

  it('reads a cron.d folder: MAILTO, CRON_TZ, shortcuts and @reboot', async () => {
    const input = await read('cron.d');
    expect(input.files).toEqual([
      { source: 'cron.d/app-jobs', form: 'system-crontab', jobs: 4, problems: 0 },
    ]);
    expect(input.jobs.map((j) => [j.name, j.schedule, j.zone, j.user])).toEqual([
      ['artisan queue:retry', '*/5 * * * *', 'Europe/Berlin', 'www-data'],
      ['vacuum-analyze.sh', '0 3 * * mon-fri', 'Europe/Berlin', 'postgres'],
      ['logrotate', '@daily', 'Europe/Berlin', 'root'],
      ['warm-cache', '@reboot', 'Europe/Berlin', 'www-data'],
    ]);
  });

  it('reads a user crontab and a spooled one, whose owner is its name', async () => {
    const input = await read('user.crontab', 'spool/crontabs/alice');
    expect(input.files.map((f) => [f.source, f.form, f.jobs])).toEqual([
      ['user.crontab', 'user-crontab', 4],
      ['spool/crontabs/alice', 'user-crontab', 1],
    ]);
    expect(input.jobs.map((j) => [j.name, j.schedule, j.zone, j.user])).toEqual([
      ['rotate-tokens', '@hourly', undefined, undefined],
      ['report.py', '30 2 * * *', undefined, undefined],
      ['sync-orders.sh', '0 9-17/2 * jan-jun 1-5', 'America/New_York', undefined],
      ['echo', '*/10 * * * *', 'America/New_York', undefined],
      ['fetch-feeds', '0 */4 * * *', undefined, 'alice'],
    ]);
    expect(input.jobs[1]?.command).toBe(
      '/home/app/bin/report.py --daily > /tmp/report-$(date +%F).log',
    );
  });

  it('says which file it cannot read, as a user error', async () => {
    const error = await read('no-such-file').catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^--cron .*no-such-file: cannot read it \(ENOENT\)/);
  });

  it('skips editor and package leftovers in a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'calm-cron-'));
    writeFileSync(join(folder, 'jobs'), '0 * * * * root /bin/hourly\n');
    writeFileSync(join(folder, 'jobs~'), '0 * * * * root /bin/old\n');
    writeFileSync(join(folder, 'jobs.dpkg-old'), '0 * * * * root /bin/older\n');
    writeFileSync(join(folder, '.placeholder'), '# nothing\n');
    const input = await readCronInput([folder]);
    expect(input.jobs.map((j) => j.name)).toEqual(['hourly']);
  });
});

describe('readCronInput: Kubernetes CronJobs', () => {
  it('reads a CronJob: name, schedule, zone, the container command and the schedule line', async () => {
    const input = await read('k8s-cronjob.yaml');
    expect(input.files[0]?.form).toBe('kubernetes');
    expect(input.jobs).toEqual([
      {
        name: 'nightly-backup',
        schedule: '*/15 * * * *',
        zone: 'Etc/UTC',
        command: '/bin/sh -c pg_dump --format=custom payments | gzip > /backup/payments.gz',
        source: 'k8s-cronjob.yaml',
        line: 7,
      },
    ]);
  });

  it('reads several documents, passes over other kinds and reports suspended and broken jobs', async () => {
    const input = await read('k8s-multi.yaml');
    expect(input.jobs.map((j) => [j.name, j.schedule, j.zone, j.command, j.line])).toEqual([
      ['report-mailer', '0 7 * * 1-5', 'America/Chicago', 'example/report-mailer:2', 14],
    ]);
    expect(input.problems.map((p) => [p.line, p.reason, p.text])).toEqual([
      [29, 'old-cleanup: suspended (spec.suspend: true): it does not run', 'schedule: "@hourly"'],
      [45, expect.stringMatching(/^broken: not a valid schedule/), 'schedule: "61 * * * *"'],
    ]);
  });

  it('reads a List, in YAML and in the JSON of kubectl, with CRON_TZ prefixes and bad zones', async () => {
    const json = await read('k8s-list.json');
    expect(json.jobs.map((j) => [j.name, j.schedule, j.zone, j.command])).toEqual([
      ['cache-warmer', '30 * * * *', 'Asia/Tokyo', 'node warm.js --all'],
      ['sitemap', '0 4 * * *', undefined, 'example/sitemap:1'],
    ]);
    const yaml = await read('k8s-list.yaml');
    expect(yaml.jobs.map((j) => [j.name, j.command, j.line])).toEqual([
      ['invoice-export', 'python3 -m invoices.export', 9],
    ]);
    expect(yaml.problems.map((p) => [p.line, p.reason])).toEqual([
      [
        23,
        'token-refresh: "Not/AZone" is not a time zone name (write it like Europe/Berlin or UTC)',
      ],
    ]);
  });

  it('says so when a manifest holds no CronJob or is not valid YAML', async () => {
    const none = await parseCronText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      'cm.yaml',
    );
    expect(none.problems).toEqual([
      { source: 'cm.yaml', line: 1, text: 'apiVersion: v1', reason: 'no CronJob in the file' },
    ]);
    const broken = await parseCronText('kind: CronJob\nspec: [unclosed\n', 'bad.yaml');
    expect(broken.jobs).toEqual([]);
    expect(broken.problems[0]?.reason).toMatch(/^not valid YAML/);
  });
});

describe('--cron end to end: file, errors after a job, alignment', () => {
  it('blames backup.sh of /etc/crontab for timeouts after its runs, and no other job', async () => {
    const input = await read('etc-crontab', 'cron.d', 'user.crontab');
    const span = { from: Date.UTC(2026, 2, 10), to: Date.UTC(2026, 2, 11) };
    const random = seededRandom(21);
    const collector = new ErrorBurstCollector();
    for (let t = span.from; t < span.to; t += -Math.log(1 - random()) * 600_000) collector.add(t);
    const backup = input.jobs.find((j) => j.name === 'backup.sh');
    for (const run of expandRuns(backup ?? { schedule: '@reboot' }, span.from, span.to).times)
      for (let k = 0; k < 6; k++) collector.add(run + 30_000 + random() * 20_000);
    const result = alignCronJobs({ jobs: input.jobs, bursts: collector.bursts(), span });
    expect(result.verdict).toBe('aligned');
    expect(result.jobs.filter((j) => j.verdict === 'aligned').map((j) => j.job.name)).toEqual([
      'backup.sh',
    ]);
    expect(result.sentence).toMatch(
      /^Errors line up with cron job runs\. `backup\.sh` \(every 15 min\): 9\d of 9\d runs/,
    );
    expect(result.jobs[0]?.evidence[0]).toEqual({
      source: 'etc-crontab',
      line: 22,
      text: '*/15 * * * * backup /usr/local/bin/backup.sh --incremental >> /var/log/backup.log 2>&1',
    });
  });
});
