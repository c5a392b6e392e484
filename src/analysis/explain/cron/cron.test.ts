import { describe, expect, it } from 'vitest';
import { parseCrontab, scheduleProblem, zoneProblem } from './cron.js';
import { commandName } from './cron-command.js';

const SYSTEM = `# /etc/crontab: system-wide crontab
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
MAILTO=ops@example.com

# m h dom mon dow user  command
17 *    * * *   root    cd / && run-parts --report /etc/cron.hourly
25 6    * * *   root    test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )
*/15 * * * mon-fri www-data /usr/bin/php /var/www/artisan schedule:run >> /dev/null 2>&1
CRON_TZ=America/New_York
0 9 1 jan,jul * postgres /usr/local/bin/vacuum-all.sh --analyze
`;

describe('parseCrontab', () => {
  it('reads a system crontab: user column, environment lines, CRON_TZ, names and lines', () => {
    const parsed = parseCrontab(SYSTEM, 'crontab');
    expect(parsed.form).toBe('system-crontab');
    expect(parsed.problems).toEqual([]);
    expect(parsed.jobs).toEqual([
      {
        name: 'run-parts cron.hourly',
        schedule: '17 *    * * *'.replace(/\s+/g, ' '),
        command: 'cd / && run-parts --report /etc/cron.hourly',
        user: 'root',
        source: 'crontab',
        line: 7,
      },
      expect.objectContaining({ name: 'run-parts cron.daily', user: 'root', line: 8 }),
      expect.objectContaining({
        name: 'artisan schedule:run',
        schedule: '*/15 * * * mon-fri',
        user: 'www-data',
        line: 9,
      }),
      expect.objectContaining({
        name: 'vacuum-all.sh',
        schedule: '0 9 1 jan,jul *',
        zone: 'America/New_York',
        user: 'postgres',
        line: 11,
      }),
    ]);
  });

  it('reads a user crontab: shortcuts, TZ, % and escaped \\%, comments and blank lines', () => {
    const text = [
      '# crontab -l',
      '',
      '@hourly /home/app/bin/rotate-tokens',
      '@REBOOT /home/app/bin/warm-cache.sh',
      'TZ="Europe/Berlin"',
      '30 2 * * * flock -n /tmp/backup.lock nice -n 19 /srv/backup.sh --full',
      '0 0 * * 0 date +\\%F > /tmp/week; /usr/bin/mail -s done%the body%',
      '*/5 9-17 * * 1-5 python3 -m jobs.sync_orders',
      '   # indented comment',
    ].join('\n');
    const parsed = parseCrontab(text, 'app.cron');
    expect(parsed.form).toBe('user-crontab');
    expect(parsed.problems).toEqual([]);
    expect(parsed.jobs.map((j) => [j.name, j.schedule, j.zone, j.line])).toEqual([
      ['rotate-tokens', '@hourly', undefined, 3],
      ['warm-cache.sh', '@reboot', undefined, 4],
      ['backup.sh', '30 2 * * *', 'Europe/Berlin', 6],
      ['date', '0 0 * * 0', 'Europe/Berlin', 7],
      ['jobs.sync_orders', '*/5 9-17 * * 1-5', 'Europe/Berlin', 8],
    ]);
    expect(parsed.jobs[3]?.command).toBe('date +%F > /tmp/week; /usr/bin/mail -s done');
    expect(parsed.jobs.every((j) => j.user === undefined)).toBe(true);
  });

  it('tells the forms apart by content, with the path as a tie-breaker', () => {
    const ambiguous = '0 * * * * report run-nightly\n';
    expect(parseCrontab(ambiguous, 'x').form).toBe('user-crontab');
    expect(parseCrontab(ambiguous, 'x', { formHint: 'system-crontab' }).form).toBe(
      'system-crontab',
    );
    expect(parseCrontab('0 * * * * root /bin/true\n', 'x').form).toBe('system-crontab');
    // A path in the sixth field is a command: a user crontab, even with the hint.
    expect(parseCrontab('0 * * * * /bin/true\n', 'x', { formHint: 'system-crontab' }).form).toBe(
      'user-crontab',
    );
    expect(parseCrontab('# m h dom mon dow user command\n0 * * * * app run\n', 'x').form).toBe(
      'system-crontab',
    );
  });

  it('reports lines it cannot use, and an unknown zone, without losing the others', () => {
    const text = [
      '61 * * * * /bin/a',
      '@fortnightly /bin/b',
      '0 * * *',
      'CRON_TZ=Mars/Olympus',
      '0 * * * *',
      '0 12 * * * /bin/c',
    ].join('\n');
    const parsed = parseCrontab(text, 'bad.cron');
    expect(parsed.jobs).toEqual([expect.objectContaining({ name: 'c', line: 6 })]);
    expect(parsed.jobs[0]?.zone).toBeUndefined();
    expect(parsed.problems.map((p) => [p.source, p.line, p.reason])).toEqual([
      ['bad.cron', 1, expect.stringMatching(/^not a valid schedule: /)],
      ['bad.cron', 2, expect.stringMatching(/^unknown shortcut @fortnightly/)],
      ['bad.cron', 3, 'not a cron line'],
      [
        'bad.cron',
        4,
        '"Mars/Olympus" is not a time zone name (write it like Europe/Berlin or UTC)',
      ],
      ['bad.cron', 5, 'no command after the schedule'],
    ]);
  });

  it('checks schedules and zones', () => {
    expect(scheduleProblem('*/15 * * * *')).toBeUndefined();
    expect(scheduleProblem('@reboot')).toBeUndefined();
    expect(scheduleProblem('0 0 31 2-13 *')).toMatch(/^not a valid schedule/);
    expect(zoneProblem('Asia/Kolkata')).toBeUndefined();
    expect(zoneProblem('CEST')).toMatch(/not a time zone name/);
  });
});

describe('commandName', () => {
  it.each([
    ['/usr/local/bin/backup.sh --full', 'backup.sh'],
    ['cd /srv/app && ./bin/cleanup --days 7', 'cleanup'],
    [
      'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )',
      'run-parts cron.daily',
    ],
    ['flock -n /tmp/x.lock timeout 300 /opt/sync.sh', 'sync.sh'],
    ['nice -n 19 ionice -c3 /usr/bin/rsync -a /a /b', 'rsync'],
    ['sudo -u deploy /srv/deploy/refresh.sh', 'refresh.sh'],
    ['FOO=1 BAR=2 /usr/bin/env python3 /srv/jobs/report.py --daily', 'report.py'],
    ['/usr/bin/php /var/www/artisan schedule:run >> /dev/null 2>&1', 'artisan schedule:run'],
    ["bash -c 'exec /opt/etl/load.sh'", 'load.sh'],
    ['/usr/local/bin/backup.sh>>/var/log/backup.log 2>&1', 'backup.sh'],
    ['python3 -m app.tasks.purge', 'app.tasks.purge'],
  ])('%s -> %s', (command, name) => {
    expect(commandName(command)).toBe(name);
  });
});
