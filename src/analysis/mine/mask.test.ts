import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString, type MaskInfo, maskTokens, WILDCARD } from './mask.js';

const mask = (s: string) => maskTokens(s).join(' ');

describe('maskTokens', () => {
  it('splits on any whitespace and keeps plain words', () => {
    expect(maskTokens('  connection\trefused \n by peer ')).toEqual([
      'connection',
      'refused',
      'by',
      'peer',
    ]);
    expect(maskTokens('')).toEqual([]);
    expect(maskTokens(' \t ')).toEqual([]);
  });

  it.each([
    ['retry 3 of 10', 'retry <*> of <*>'],
    ['offset -17 and +4 and 3.14159 and 1e-9', 'offset <*> and <*> and <*> and <*>'],
    ['version 1.2.3-rc.1 deployed', 'version <*> deployed'],
    ['addr 0x7ffe12ab flags=0x1', 'addr <*> flags=<*>'],
    ['mask ffffffff hash 7317849d or deadbeef', 'mask <*> hash <*> or <*>'],
  ])('masks numbers and hex: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it.each([
    ['from 10.0.0.1 port 22', 'from <*> port <*>'],
    ['to 10.251.73.220:50010 ok', 'to <*> ok'],
    ['peer [2001:db8::ff00:42:8329]:443 up', 'peer <*> up'],
    ['peer [::1]:8080 up', 'peer <*> up'],
    ['link fe80::1%eth0 down', 'link <*> down'],
    ['host ::1 reached', 'host <*> reached'],
    ['mac FF:F2:9F:16:E2:23 seen', 'mac <*> seen'],
    ['via /10.251.42.84 done', 'via <*> done'],
    ['Opening proxy : MININT-FNANLI5.fareast.corp.microsoft.com:52368', 'Opening proxy : <*>'],
    ['resolved db-7.eu.example.com and ns.marryaldkfaczcz.com', 'resolved <*> and <*>'],
  ])('masks addresses and hosts: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it.each([
    ['request 550e8400-e29b-41d4-a716-446655440000 failed', 'request <*> failed'],
    ['reading /var/log/app/server.log now', 'reading <*> now'],
    ['reading ./conf/app.yaml and ../x and ~/y', 'reading <*> and <*> and <*>'],
    ['loaded C:\\Windows\\System32\\x.dll', 'loaded <*>'],
    ['GET https://api.example.com/v1/users?id=7 took', 'GET <*> took'],
    ['mail to ops@example.com bounced', 'mail to <*> bounced'],
  ])('masks ids, paths and URLs: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it.each([
    ['took 12ms', 'took <*>'],
    ['took 1.5s total', 'took <*> total'],
    ['took 1.5 s, then 250 ms.', 'took <*>, then <*>.'],
    ['estimated size 5.2 KB, free 281.6 MB)', 'estimated size <*>, free <*>)'],
    ['at 2024-01-02T03:04:05.123Z ok', 'at <*> ok'],
    ['at 2016/9/27:20:30:31.455 ok', 'at <*> ok'],
    ['changed Fri Jul 01 08:16:53 PDT 2005 ok', 'changed <*> ok'],
    ['on Mon, 12 Feb 2024 10:00:00 GMT', 'on <*>, <*>'],
  ])('masks durations, sizes, dates and times: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it.each([
    ['block blk_-7724713468912166542 gone', 'block <*> gone'],
    ['node node-129 and task_1445_0020_m_000001', 'node <*> and <*>'],
    [
      'Process com.tencent.mobileqq:qzone (pid 12236) died',
      'Process com.tencent.mobileqq:qzone (pid <*>) died',
    ],
    ['proc 2227:com.android.systemui/u0a37 ok', 'proc <*> ok'],
  ])('masks identifiers holding digits: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('keeps words that end in one digit: they name things', () => {
    expect(mask('Failed password port 22 ssh2')).toBe('Failed password port <*> ssh2');
    expect(mask('link on eth0 and alt0 via md5 and utf8')).toBe(
      'link on eth0 and alt0 via md5 and utf8',
    );
  });

  it.each([
    ['user=alice uid=0 tty=ssh', 'user=<*> uid=<*> tty=<*>'],
    ['ready=true,policy=3,mode=false', 'ready=<*>,policy=<*>,mode=<*>'],
    [
      'acquire tag="View Lock", name=android, ws=WorkSource{10113}, pid=1',
      'acquire tag=<*>, name=<*>, ws=<*>, pid=<*>',
    ],
    ['acquire tag="x", name=android, ws=null, pid=1', 'acquire tag=<*>, name=<*>, ws=<*>, pid=<*>'],
    ['logname= uid=0', 'logname= uid=<*>'],
    ['key=0|com.tencent.mm|4097|null|10112', 'key=<*>'],
    ['isOverlap:false done', 'isOverlap:<*> done'],
    ['value is null or true', 'value is <*> or <*>'],
  ])('masks key=value values, booleans and null: %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('keeps punctuation around a masked value', () => {
    expect(maskTokens('(35591533) [173.1.2.3] (dcr 0x019a) detected')).toEqual([
      '(<*>)',
      '[<*>]',
      '(dcr',
      '<*>)',
      'detected',
    ]);
  });

  it('keeps dotted leaders apart from their value', () => {
    expect(mask('program interrupt: illegal instruction......0')).toBe(
      'program interrupt: illegal instruction......<*>',
    );
  });

  it('makes a list of variables of any length one variable', () => {
    expect(mask('ask 10.1.1.1:50010 to delete blk_1 blk_-2 blk_3')).toBe(
      mask('ask 10.1.1.2:50010 to delete blk_9'),
    );
    expect(mask('(stack @0x7fed806eb5d @0x7fef9fb9b6d @0xff83e97c)')).toBe('(stack @<*> @<*>)');
  });

  it('leaves messages without variables alone', () => {
    const s = 'Interrupted while waiting for message on queue';
    expect(mask(s)).toBe(s);
    expect(maskTokens('connection refused')).not.toContain(WILDCARD);
  });
});

/** Splits on what the scanner takes for whitespace: every code unit up to U+0020. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if ((ch.codePointAt(0) as number) <= 32) {
      if (word !== '') out.push(word);
      word = '';
    } else word += ch;
  }
  if (word !== '') out.push(word);
  return out;
}

describe('maskTokens hashes', () => {
  it('computes, while scanning, the hash of every final token', () => {
    const word = fc.oneof(
      fc.constantFrom('Jul', 'Fri', 'KB,', 'ms', 'user', 'x=1', 'msg="a 1 b"', '0x1f', 'true', '"'),
      fc.integer().map(String),
      fc.string({ unit: 'binary', maxLength: 10 }),
    );
    const info: MaskInfo = { masked: false, hashes: new Int32Array(2) };
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 40 }),
        fc.constantFrom(' ', '  ', '\t'),
        (words, sep) => {
          const message = words.join(sep);
          const tokens = maskTokens(message, info);
          tokens.forEach((t, i) => {
            expect(info.hashes[i]).toBe(hashString(t));
          });
          // nothing masked: the tokens are the message's words as they are
          if (!info.masked) expect(tokens).toEqual(splitWords(message));
        },
      ),
      { numRuns: 500 },
    );
  });
});
