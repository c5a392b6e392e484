import { describe, expect, it } from 'vitest';
import { levelFromNumber, levelFromRange, levelFromText, sniffLevel, sniffOut } from './level.js';

describe('levels', () => {
  it('reads level names in every common spelling', () => {
    const cases: [string, string | undefined][] = [
      ['TRACE', 'trace'],
      ['verbose', 'trace'],
      ['DEBUG', 'debug'],
      ['dbg', 'debug'],
      ['info', 'info'],
      ['Information', 'info'],
      ['NOTICE', 'info'],
      ['I', 'info'],
      ['WARN', 'warn'],
      ['Warning', 'warn'],
      ['W', 'warn'],
      ['ERROR', 'error'],
      ['err', 'error'],
      ['E', 'error'],
      ['SEVERE', 'error'],
      ['CRIT', 'fatal'],
      ['critical', 'fatal'],
      ['FATAL', 'fatal'],
      ['PANIC', 'fatal'],
      ['dpanic', 'fatal'],
      ['emerg', 'fatal'],
      ['alert', 'fatal'],
      [' error ', 'error'],
      ['30', 'info'],
      ['3', 'error'],
      ['DEFAULT', undefined],
      ['banana', undefined],
      ['', undefined],
    ];
    for (const [text, level] of cases) expect(levelFromText(text), text).toBe(level);
  });

  it('reads pino/bunyan numbers and syslog severities', () => {
    expect([10, 20, 30, 40, 50, 60].map(levelFromNumber)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromNumber)).toEqual([
      'fatal',
      'fatal',
      'fatal',
      'error',
      'warn',
      'info',
      'info',
      'debug',
    ]);
    expect(levelFromNumber(35)).toBe('info');
    expect(levelFromNumber(8)).toBeUndefined();
    expect(levelFromNumber(-1)).toBeUndefined();
    expect(levelFromNumber(Number.NaN)).toBeUndefined();
  });

  it('reads the common words from a range of a line', () => {
    const s = '"level":"WARNING","x":"Error"';
    expect(levelFromRange(s, 9, 16)).toBe('warn');
    expect(levelFromRange(s, 23, 28)).toBe('error');
    expect(levelFromRange(s, 0, 3)).toBeUndefined();
  });

  it('finds a level word opening running text', () => {
    const cases: [string, string | undefined, number?][] = [
      ['ERROR something', 'error', 5],
      ['[error] something', 'error', 7],
      ['<warn> x', 'warn', 6],
      ['(E) x', 'error', 3],
      ['WARN: x', 'warn', 5],
      ['Error: boom', 'error', 6],
      ['info server up', 'info', 4],
      ['E: x', 'error', 2],
      ['ERROR', 'error', 5],
      ['ERROR:root:boom', 'error', 6],
      // not levels
      ['E something', undefined],
      ['I am here', undefined],
      ['Critical section entered', undefined],
      ['Informational message', undefined],
      ['ERRORS happened', undefined],
      ['[main] x', undefined],
      ['ErRoR x', undefined],
      ['', undefined],
    ];
    for (const [text, level, end] of cases) {
      expect(sniffLevel(text, 0), text).toBe(level);
      if (end !== undefined) expect(sniffOut.end, text).toBe(end);
    }
  });

  it('takes only bracketed or upper-case words when strict', () => {
    expect(sniffLevel('ERROR x', 0, true)).toBe('error');
    expect(sniffLevel('[warn] x', 0, true)).toBe('warn');
    expect(sniffLevel('error x', 0, true)).toBeUndefined();
    expect(sniffLevel('Error: x', 0, true)).toBeUndefined();
    expect(sniffLevel('E: x', 0, true)).toBeUndefined();
  });
});
