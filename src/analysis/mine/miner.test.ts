import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateMiner } from './miner.js';

/** Adds messages; returns each one's final group and the miner. */
function mine(messages: string[]): { groups: number[]; miner: TemplateMiner } {
  const miner = new TemplateMiner();
  const ids = messages.map((m) => miner.add(m).templateId);
  return { groups: ids.map((id) => miner.groupOf(id)), miner };
}

describe('TemplateMiner grouping', () => {
  it('groups messages that differ only in masked variables', () => {
    const miner = new TemplateMiner();
    const a = miner.add('user 123 logged in from 10.0.0.1');
    const b = miner.add('user 456 logged in from 10.0.0.2');
    expect(a.templateId).toBe(b.templateId);
    expect(a.template).toBe('user <*> logged in from <*>');
    expect(miner.groupOf(a.templateId)).toBe(miner.groupOf(b.templateId));
  });

  it('keeps apart messages that differ in a constant word', () => {
    const { groups } = mine(['connection refused', 'connection reset', 'connection refused']);
    expect(groups[0]).not.toBe(groups[1]);
    expect(groups[0]).toBe(groups[2]);
  });

  it('keeps apart two or three values of a word: states, verbs', () => {
    const { groups } = mine([
      'task 1 transitioned from NEW to RUNNING',
      'task 2 transitioned from RUNNING to DONE',
      'task 3 transitioned from RUNNING to FAILED',
      'task 4 transitioned from RUNNING to KILLED',
      'Starting the installer main loop.',
      'Ending the installer main loop.',
    ]);
    expect(new Set(groups.slice(0, 4)).size).toBe(4);
    expect(groups[4]).not.toBe(groups[5]);
  });

  it('keeps apart messages of different lengths', () => {
    const { groups } = mine(['disk full', 'disk full on /dev/sda1']);
    expect(groups[0]).not.toBe(groups[1]);
  });

  it('merges clusters once a word position has shown enough distinct values', () => {
    const users = ['webmaster', 'admin', 'oracle', 'postgres', 'guest'];
    const miner = new TemplateMiner();
    const ids = users.map((u, i) => miner.add(`Invalid user ${u} from 10.0.0.${i}`).templateId);
    // Each user name made its own cluster; the ids are stable...
    expect(new Set(ids).size).toBe(users.length);
    // ...and all now resolve to one group with a general template.
    const groups = new Set(ids.map((id) => miner.groupOf(id)));
    expect(groups.size).toBe(1);
    expect(miner.templateOf(ids[0] as number)).toBe('Invalid user <*> from <*>');
    // A later message fits the group directly.
    const later = miner.add('Invalid user zabbix from 10.0.0.99');
    expect(miner.groupOf(later.templateId)).toBe(miner.groupOf(ids[0] as number));
    expect(later.template).toBe('Invalid user <*> from <*>');
  });

  it('counts a masked value among the distinct values of a position', () => {
    const { groups } = mine([
      'Failed none for invalid user admin from 1.2.3.4 port 22 ssh2',
      'Failed none for invalid user 0 from 1.2.3.4 port 23 ssh2',
      'Failed none for invalid user test from 1.2.3.4 port 24 ssh2',
      'Failed none for invalid user pi from 1.2.3.4 port 25 ssh2',
    ]);
    expect(new Set(groups).size).toBe(1);
  });

  it('finds a second variable position at the group level', () => {
    const miner = new TemplateMiner();
    const ids: number[] = [];
    // host varies first, with one disk: the group "host <*> disk sda" forms...
    for (const host of ['alpha', 'bravo', 'charlie', 'delta'])
      ids.push(miner.add(`smart check failed on host ${host} disk sda now`).templateId);
    expect(new Set(ids.map((id) => miner.groupOf(id))).size).toBe(1);
    // ...then new hosts come with other disks: no two of them share all but one word,
    // but each fits the group's template except for the disk.
    const more = [
      ['echo', 'sdb'],
      ['foxtrot', 'sdc'],
      ['golf', 'sdd'],
      ['hotel', 'sde'],
    ];
    for (const [host, disk] of more)
      ids.push(miner.add(`smart check failed on host ${host} disk ${disk} now`).templateId);
    expect(new Set(ids.map((id) => miner.groupOf(id))).size).toBe(1);
    expect(miner.templateOf(ids[0] as number)).toBe('smart check failed on host <*> disk <*> now');
  });

  it('does not merge two words that only ever vary together a little', () => {
    const { groups } = mine([
      'smart check failed on host alpha disk sda now',
      'smart check failed on host bravo disk sdb now',
    ]);
    expect(groups[0]).not.toBe(groups[1]);
  });

  it('needs more evidence for a blank in the first position', () => {
    const { groups } = mine([
      'boot (command 1911)',
      'wait (command 1975)',
      'halt (command 1982)',
      'risBoot (command 1903)',
      'clusterAddMember (command 1902)',
      'bootGenvmunix (command 1903)',
    ]);
    expect(new Set(groups).size).toBe(6);
  });

  it('lists templates with counts and the first example, most frequent first', () => {
    const { miner } = mine([
      'GET /a 200 in 12ms',
      'disk full',
      'GET /b 200 in 7ms',
      'GET /c 200 in 1ms',
    ]);
    const list = miner.templates();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      template: 'GET <*> in <*>',
      count: 3,
      example: 'GET /a 200 in 12ms',
    });
    expect(list[1]).toMatchObject({ template: 'disk full', count: 1, example: 'disk full' });
    expect(list.reduce((n, t) => n + t.count, 0)).toBe(4);
  });

  it('sums counts of merged clusters and keeps the earliest example', () => {
    const { miner } = mine([
      'login by ann ok',
      'login by bob ok',
      'login by cyd ok',
      'login by dan ok',
      'login by eve ok',
      'login by fay ok',
    ]);
    const list = miner.templates();
    expect(list).toEqual([
      expect.objectContaining({
        template: 'login by <*> ok',
        count: 6,
        example: 'login by ann ok',
      }),
    ]);
  });

  it('gives empty and blank messages a non-empty template', () => {
    const miner = new TemplateMiner();
    expect(miner.add('').template).not.toBe('');
    expect(miner.add('   ').templateId).toBe(miner.add('').templateId);
  });

  it('rejects unknown ids', () => {
    const miner = new TemplateMiner();
    miner.add('x');
    expect(() => miner.groupOf(5)).toThrow(RangeError);
    expect(() => miner.groupOf(-1)).toThrow(RangeError);
    expect(() => miner.groupOf(0.5)).toThrow(RangeError);
  });

  it('mines a huge message from its first characters', () => {
    const miner = new TemplateMiner();
    const huge = `start ${'x'.repeat(1_000_000)}`;
    const r = miner.add(huge);
    expect(r.template.length).toBeLessThan(10_000);
    expect(miner.templates()[0]?.example.length).toBeLessThanOrEqual(8192);
  });

  it('cuts very long messages to a bounded template', () => {
    const miner = new TemplateMiner();
    const long = Array.from({ length: 500 }, (_, i) => `w${i % 7}x`).join(' ');
    const r = miner.add(long);
    expect(r.template.split(' ').length).toBeLessThanOrEqual(100);
  });
});

describe('TemplateMiner merging (one miner per worker thread)', () => {
  it('replaying the cluster texts of two miners into a third groups as one miner would', () => {
    const messages: string[] = [];
    for (let i = 0; i < 40; i++) {
      messages.push(`user u${i} logged in from host-${i % 7}`);
      messages.push(`payment ${1000 + i} failed: card declined for account acct${i}`);
      messages.push(i % 2 ? 'connection refused' : 'connection reset');
    }
    const whole = mine(messages);
    const halves = [new TemplateMiner(), new TemplateMiner()];
    const ids = messages.map((m, i) => (halves[i % 2] as TemplateMiner).learn(m));
    const merged = new TemplateMiner();
    const replayed = halves.map((half) => {
      const map = new Map<number, number>();
      for (const id of new Set(ids.filter((_, i) => halves[i % 2] === half)))
        map.set(id, merged.learn(half.clusterText(id)));
      return map;
    });
    const groups = ids.map((id, i) => merged.groupOf(replayed[i % 2]?.get(id) ?? Number.NaN));
    // Same partition of the messages into groups.
    const key = (g: number[]) => g.map((x) => g.indexOf(x)).join(',');
    expect(key(groups)).toBe(key(whole.groups));
    expect(merged.templateOf(merged.groupOf(replayed[0]?.get(ids[0] ?? 0) ?? 0))).toBe(
      'user <*> logged in from <*>',
    );
  });

  it('masking is idempotent: a cluster text mines to the same cluster', () => {
    // Found by the property: a `>` shed as punctuation came back as part of the wildcard.
    for (const message of ['A=#>', 'x=<*>>', 'id=<*>)']) {
      const miner = new TemplateMiner();
      const id = miner.learn(message);
      expect(miner.learn(miner.clusterText(id)), message).toBe(id);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (message) => {
        const miner = new TemplateMiner();
        const id = miner.learn(message);
        expect(miner.learn(miner.clusterText(id))).toBe(id);
      }),
    );
  });
});

describe('TemplateMiner fixed templates (endpoints)', () => {
  it('keeps each fixed template apart, finds it by its text, and mines around it', () => {
    const miner = new TemplateMiner();
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f', '/g', '/h'];
    const ids = paths.map((p) => miner.learnFixed(`GET ${p} 500`));
    // Eight values at one position would merge mined clusters; fixed ones never merge.
    expect(new Set(ids.map((id) => miner.groupOf(id))).size).toBe(8);
    expect(miner.learnFixed('GET /a 500')).toBe(ids[0]);
    expect(miner.templateOf(ids[1] ?? -1)).toBe('GET /b 500');
    expect(miner.clusterText(ids[1] ?? -1)).toBe('GET /b 500');
    expect(miner.isFixed(ids[1] ?? -1)).toBe(true);
    const mined = miner.learn('GET /a 500');
    expect(miner.isFixed(mined)).toBe(false);
    expect(ids).not.toContain(mined);
  });

  it('evicts fixed templates like the others, and learns them again', () => {
    const miner = new TemplateMiner({ maxClusters: 16 });
    const first = miner.learnFixed('GET /first 200');
    for (let i = 0; i < 100; i++) miner.learnFixed(`GET /p${i}x${i} 200`);
    expect(miner.size).toBeLessThanOrEqual(16);
    const again = miner.learnFixed('GET /first 200');
    expect(again).not.toBe(first);
    expect(miner.templateOf(again)).toBe('GET /first 200');
  });
});

describe('TemplateMiner memory bound', () => {
  it('keeps at most maxClusters clusters, and old ids still resolve', () => {
    const miner = new TemplateMiner({ maxClusters: 100 });
    const ids: number[] = [];
    const words = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black', 'white'];
    for (let i = 0; i < 2000; i++) {
      const w = `${words[i % 8]}${words[(i >> 3) % 8]}${words[(i >> 6) % 8]}`;
      ids.push(miner.add(`event ${w} happened at step ${i}`).templateId);
      expect(miner.size).toBeLessThanOrEqual(100);
    }
    for (const id of ids) expect(() => miner.groupOf(id)).not.toThrow();
    // the evicted ones ended up in the one group these messages form
    expect(new Set(ids.slice(-50).map((id) => miner.groupOf(id))).size).toBe(1);
  });

  it('starts a new cluster for a message whose cluster was evicted', () => {
    const miner = new TemplateMiner({ maxClusters: 20 });
    const first = miner.add('the very first message').templateId;
    for (let i = 0; i < 100; i++)
      miner.add(`filler ${'abcdefghijklmnopqrstuvwxyz'[i % 26]} ${'abcdefghij'[i % 10]} z`);
    const again = miner.add('the very first message');
    expect(again.template).toBe('the very first message');
    expect(() => miner.groupOf(first)).not.toThrow();
    expect(miner.size).toBeLessThanOrEqual(20);
  });
});

const logLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('user', 'GET', 'failed', 'from', 'port', 'ERROR', '=', ':', '[', ']', '"'),
      fc.integer().map(String),
      fc.ipV4(),
      fc.ipV6(),
      fc.uuid(),
      fc.webUrl(),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 30 },
  )
  .chain((words) => fc.constantFrom(' ', '  ', '\t', '=', ',', '"').map((sep) => words.join(sep)));

const anyMessage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  logLike,
);

describe('TemplateMiner properties', () => {
  it('never throws, returns a non-empty template, and maps a repeat to the same group', () => {
    fc.assert(
      fc.property(fc.array(anyMessage, { minLength: 1, maxLength: 40 }), (messages) => {
        const miner = new TemplateMiner();
        const ids: number[] = [];
        for (const m of messages) {
          const r = miner.add(m);
          expect(r.template.length).toBeGreaterThan(0);
          expect(Number.isInteger(r.templateId)).toBe(true);
          ids.push(r.templateId);
        }
        for (const [i, m] of messages.entries()) {
          const again = miner.add(m);
          expect(miner.groupOf(again.templateId)).toBe(miner.groupOf(ids[i] as number));
          expect(again.template.length).toBeGreaterThan(0);
        }
        const total = miner.templates().reduce((n, t) => n + t.count, 0);
        expect(total).toBe(messages.length * 2);
      }),
      { numRuns: 300 },
    );
  });

  it('finishes quickly on pathological input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '=',
          '"',
          "'",
          '.',
          ':',
          '[',
          '(',
          '{',
          ')',
          ']',
          '<*>',
          'a=',
          '="',
          "='",
          '0x',
          '/',
          '1)',
          '@',
          'a.b',
          'Jul ',
          '1 ',
        ),
        fc.integer({ min: 1, max: 50_000 }),
        (piece, n) => {
          const miner = new TemplateMiner();
          const start = performance.now();
          const m = piece.repeat(n);
          miner.add(m);
          miner.add(`${m} ${m}`);
          miner.add(`x${m}y ${n}`);
          miner.add(`1${m}`);
          expect(performance.now() - start).toBeLessThan(1000);
        },
      ),
      { numRuns: 60 },
    );
  });
});
