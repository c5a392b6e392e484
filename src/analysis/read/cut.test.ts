import { describe, expect, it } from 'vitest';
import { mayCutBefore } from './cut.js';

const cri = (tag: string, payload: string) =>
  `2026-03-14T09:15:02.123456789Z stdout ${tag} ${payload}`;
const docker = (log: string) =>
  JSON.stringify({ log, stream: 'stdout', time: '2026-03-14T09:15:02Z' });

describe('mayCutBefore', () => {
  it('cuts before an ordinary event, not inside a stack trace', () => {
    expect(mayCutBefore('2026-03-14 09:15:02 INFO a', '2026-03-14 09:15:03 INFO b')).toBe(true);
    expect(mayCutBefore('java.lang.IllegalStateException: x', '\tat a.B.c(B.java:1)')).toBe(false);
    expect(mayCutBefore('x', '')).toBe(false);
  });

  it('does not cut between the parts of a CRI line, or before a frame it carries', () => {
    expect(mayCutBefore(cri('F', 'one'), cri('F', 'two'))).toBe(true);
    expect(mayCutBefore(cri('P', 'first half'), cri('F', 'second half'))).toBe(false);
    expect(mayCutBefore(cri('F', 'Exception: x'), cri('F', '    at f (/app/x.js:1:2)'))).toBe(
      false,
    );
  });

  it('does not cut inside a Docker line split in records, or before a frame record', () => {
    expect(mayCutBefore(docker('one\n'), docker('two\n'))).toBe(true);
    expect(mayCutBefore(docker('the first part'), docker(' and the rest\n'))).toBe(false);
    expect(mayCutBefore(docker('Exception: x\n'), docker('\tat a.B.c(B.java:1)\n'))).toBe(false);
  });
});
