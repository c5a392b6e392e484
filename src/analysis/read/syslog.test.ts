import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { Draft } from './fields.js';
import { readAll } from './reader.js';
import { parseSyslog3164 } from './syslog.js';
import { Clock, Zone } from './time.js';

const REFERENCE = Date.UTC(2026, 5, 1);
const clock = new Clock(new Zone('UTC'), REFERENCE);
const at = (iso: string) => Date.parse(iso);

function syslog(line: string, strict = false) {
  const d = new Draft(clock);
  if (!parseSyslog3164(line, d, strict)) return undefined;
  return { time: d.time, host: d.host, service: d.service, level: d.level, message: d.message };
}

describe('RFC 3164 without a host', () => {
  it('takes "tag:" after the stamp for the tag', () => {
    expect(syslog("<34>Oct 11 22:14:15 su: 'su root' failed for lonvick on /dev/pts/8")).toEqual({
      time: at('2025-10-11T22:14:15Z'),
      host: undefined,
      service: 'su',
      level: 'fatal', // PRI 34: auth.crit
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
    expect(syslog('Mar 14 09:15:02 kernel: Out of memory: Killed process 4211')).toMatchObject({
      host: undefined,
      service: 'kernel',
      message: 'Out of memory: Killed process 4211',
    });
  });

  it('takes "tag[pid]:" after the stamp for the tag', () => {
    expect(syslog('Mar 14 09:15:02 sshd[123]: Accepted publickey for deploy')).toEqual({
      time: at('2026-03-14T09:15:02Z'),
      host: undefined,
      service: 'sshd',
      level: undefined,
      message: 'Accepted publickey for deploy',
    });
    expect(syslog('Mar 14 09:15:02 postfix/smtpd[77]: connect from unknown')).toMatchObject({
      host: undefined,
      service: 'postfix/smtpd',
      message: 'connect from unknown',
    });
    expect(syslog('2026-03-14T09:15:02.123+00:00 app[9]: ERROR boom')).toMatchObject({
      host: undefined,
      service: 'app',
      level: 'error',
      message: 'ERROR boom',
    });
    expect(syslog('Mar 14 09:15:02 cron[1]:')).toMatchObject({ service: 'cron', message: '' });
  });

  it('still reads the host when there is one', () => {
    expect(syslog('Mar 14 09:15:02 web-1 sshd[123]: Accepted publickey')).toMatchObject({
      host: 'web-1',
      service: 'sshd',
      message: 'Accepted publickey',
    });
    expect(syslog('<11>Mar 14 09:15:07 web-1 app: ERROR unreachable', true)).toMatchObject({
      host: 'web-1',
      service: 'app',
      level: 'error',
    });
    expect(syslog('Mar 14 09:15:02 fe80::1 kernel: link up', true)).toMatchObject({
      host: 'fe80::1',
      service: 'kernel',
    });
    expect(syslog('2026-03-14T09:15:02Z db-1.example.com postgres[4]: ready', true)).toMatchObject({
      host: 'db-1.example.com',
      service: 'postgres',
      message: 'ready',
    });
    // no tag: the host, and the rest is the message (not in detection)
    expect(syslog('Mar 14 09:15:02 web-1 some message')).toMatchObject({
      host: 'web-1',
      service: undefined,
      message: 'some message',
    });
    expect(syslog('Mar 14 09:15:02 web-1 some message', true)).toBeUndefined();
  });

  it('reads a level word where the tag would be as a level, and leaves it to plain in detection', () => {
    expect(syslog('Mar 14 09:15:02 ERROR: disk full')).toMatchObject({
      host: undefined,
      service: undefined,
      level: 'error',
      message: 'ERROR: disk full',
    });
    expect(syslog('Mar 14 09:15:02 ERROR: disk full', true)).toBeUndefined();
    expect(syslog('2026-03-14 09:15:02 warn: slow', true)).toBeUndefined();
  });

  it('does not take "name:" after an ISO stamp for syslog in detection, unless PRI or [pid] say so', () => {
    expect(syslog('2026-03-14 09:15:02 main: started', true)).toBeUndefined();
    expect(syslog('2026-03-14 09:15:02 main: started')).toMatchObject({ service: 'main' });
    expect(syslog('<14>2026-03-14T09:15:02Z main: started', true)).toMatchObject({
      service: 'main',
    });
    expect(syslog('2026-03-14T09:15:02Z main[1]: started', true)).toMatchObject({
      service: 'main',
    });
    expect(syslog('Mar 14 09:15:02 main: started', true)).toMatchObject({ service: 'main' });
  });

  it('refuses a token after the stamp that is neither host nor tag', () => {
    expect(syslog('Mar 14 09:15:02 a/b message')).toBeUndefined();
    expect(syslog('Mar 14 09:15:02 a:b: message')).toBeUndefined();
    expect(syslog('Mar 14 09:15:02 sshd[123] no colon')).toBeUndefined();
  });

  it('detects a file of lines with and without a host as syslog, and reads both', () => {
    const lines = [
      "<34>Oct 11 22:14:15 su: 'su root' failed for lonvick on /dev/pts/8",
      'Mar 14 09:15:02 sshd[123]: Accepted publickey for deploy',
      'Mar 14 09:15:03 web-1 sshd[124]: Accepted publickey for ops',
      '<11>Mar 14 09:15:04 app: payment service unreachable',
    ];
    expect(detectFormat(lines, clock).format).toBe('syslog-3164');
    const { events, stats } = readAll(lines.join('\n'), {
      source: 'web-9/syslog',
      referenceTime: REFERENCE,
    });
    expect(stats).toMatchObject({ format: 'syslog-3164', events: 4, unparseable: 0 });
    // the host of the path where the line names none
    expect(events.map((e) => [e.host, e.service, e.level, e.isError])).toEqual([
      ['web-9', 'su', 'fatal', true],
      ['web-9', 'sshd', undefined, false],
      ['web-1', 'sshd', undefined, false],
      ['web-9', 'app', 'error', true],
    ]);
  });

  it('leaves a plain file of "<stamp> name: message" lines plain', () => {
    const lines = ['2026-03-14 09:15:02,123 app: started', '2026-03-14 09:15:03,000 db: ready'];
    expect(detectFormat(lines, clock).format).toBe('plain');
  });
});
