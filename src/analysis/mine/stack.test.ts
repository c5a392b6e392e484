import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeStack,
  fingerprintStackTrace,
  fnv1a64,
  isFrameworkFrame,
  normalizeFrame,
  parseStackTrace,
  stackFingerprint,
} from './stack.js';

const lines = (s: string) => s.split('\n');

/** The same failure on two hosts and builds: other line numbers, addresses, ids, paths. */
const JAVA_A = `Exception in thread "main" java.lang.IllegalStateException: order 42 not found
	at com.shop.orders.OrderService.lambda$load$3(OrderService.java:88)
	at java.base/java.util.Optional.orElseThrow(Optional.java:403)
	at com.shop.orders.OrderService$$Lambda$512/0x0000000801234567.apply(Unknown Source)
	at com.shop.orders.OrderService.load(OrderService.java:87)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
	at com.shop.web.OrderController$1.handle(OrderController.java:31)
	at com.shop.Main.main(Main.java:12)`;
const JAVA_B = `java.lang.IllegalStateException: order 97 not found
	at app//com.shop.orders.OrderService.lambda$load$7(OrderService.java:91)
	at java.base/java.util.Optional.orElseThrow(Optional.java:410)
	at com.shop.orders.OrderService$$Lambda$1033/0x00000008019abcde.apply(Unknown Source)
	at com.shop.orders.OrderService.load(OrderService.java:90)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:901)
	at com.shop.web.OrderController$2.handle(OrderController.java:35)
	at com.shop.Main.main(Main.java:14)`;

const PY_A = `Traceback (most recent call last):
  File "/srv/app/shop/views.py", line 42, in checkout
    total = compute(cart)
  File "/srv/app/shop/pricing.py", line 10, in compute
    return sum(p.price for p in cart)
  File "/usr/lib/python3.11/decimal.py", line 5, in __add__
    raise x
KeyError: 'price'`;
const PY_B = `Traceback (most recent call last):
  File "/home/deploy/releases/20240102/shop/views.py", line 45, in checkout
    total = compute(cart)
  File "/home/deploy/releases/20240102/shop/pricing.py", line 12, in compute
    return sum(p.price for p in cart)
  File "/usr/local/lib/python3.12/decimal.py", line 7, in __add__
    raise x
KeyError: 'amount'`;

const NODE_A = `TypeError: Cannot read properties of undefined (reading 'id')
    at Object.getUser (/app/src/users.js:10:15)
    at /app/src/routes.js:22:7
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async Promise.all (index 0)
    at async main (file:///app/src/main.mjs:3:9)`;
const NODE_B = `TypeError: Cannot read properties of undefined (reading 'email')
    at Object.getUser (/srv/build-77/src/users.js:11:3)
    at /srv/build-77/src/routes.js:25:9
    at Layer.handle [as handle_request] (/srv/build-77/node_modules/express/lib/router/layer.js:95:5)
    at processTicksAndRejections (node:internal/process/task_queues:96:5)
    at async Promise.all (index 3)
    at async main (file:///srv/build-77/src/main.mjs:4:1)`;

const GO_A = `panic: runtime error: index out of range [5] with length 3

goroutine 1 [running]:
main.(*Server).handle(0xc000010000, {0x5d3e40, 0xc00001c030})
	/home/ci/build/app/server.go:42 +0x1d
main.main.func1()
	/home/ci/build/app/main.go:10 +0x25
net/http.HandlerFunc.ServeHTTP(0x0?, {0x6f1e00?, 0xc0000b8000?}, 0x0?)
	/usr/local/go/src/net/http/server.go:2136 +0x29
main.main()
	/home/ci/build/app/main.go:12 +0x25
exit status 2`;
const GO_B = `panic: runtime error: index out of range [9] with length 2

goroutine 7 [running]:
main.(*Server).handle(0xc000a20000, {0x5e0000, 0xc000abc030})
	/src/app/server.go:44 +0x3f
main.main.func2()
	/src/app/main.go:11 +0x2a
net/http.HandlerFunc.ServeHTTP(0x0?, {0x6f1e00?, 0xc0000b8000?}, 0x0?)
	/usr/lib/go/src/net/http/server.go:2140 +0x29
main.main()
	/src/app/main.go:13 +0x25
exit status 2`;

const RUBY_A = `/app/lib/cart.rb:10:in \`total': undefined method \`price' for nil:NilClass (NoMethodError)
	from /app/lib/cart.rb:5:in \`block in checkout'
	from /usr/lib/ruby/gems/3.0.0/gems/rack-2.2.3/lib/rack/builder.rb:244:in \`call'
	from /app/app.rb:3:in \`<main>'`;
const RUBY_B = `/srv/releases/42/lib/cart.rb:12:in 'total': undefined method 'price' for nil (NoMethodError)
	from /srv/releases/42/lib/cart.rb:6:in 'block (2 levels) in checkout'
	from /var/lib/gems/3.3.0/gems/rack-3.0.1/lib/rack/builder.rb:250:in 'call'
	from /srv/releases/42/app.rb:4:in '<main>'`;

describe('fnv1a64', () => {
  it('matches the reference vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});

describe('parseStackTrace', () => {
  it('reads Java: type, message and frames; the root cause wins', () => {
    const p = parseStackTrace(lines(JAVA_A));
    expect(p).toMatchObject({
      language: 'java',
      exceptionType: 'java.lang.IllegalStateException',
      message: 'order 42 not found',
    });
    expect(p.frames).toHaveLength(7);
    const caused = parseStackTrace(
      lines(
        `${JAVA_A}\nCaused by: java.sql.SQLException: timeout\n\tat com.shop.db.Pool.get(Pool.java:55)\n\t... 5 more`,
      ),
    );
    expect(caused.exceptionType).toBe('java.sql.SQLException');
    expect(caused.frames).toEqual(['at com.shop.db.Pool.get(Pool.java:55)']);
  });

  it('reads Python, nearest frame first', () => {
    const p = parseStackTrace(lines(PY_A));
    expect(p).toMatchObject({ language: 'python', exceptionType: 'KeyError', message: "'price'" });
    expect(p.frames[0]).toContain('decimal.py');
    expect(p.frames.at(-1)).toContain('views.py');
  });

  it('reads Node.js', () => {
    const p = parseStackTrace(lines(NODE_A));
    expect(p).toMatchObject({ language: 'node', exceptionType: 'TypeError' });
    expect(p.frames).toHaveLength(6);
  });

  it('reads Go panics', () => {
    const p = parseStackTrace(lines(GO_A));
    expect(p.language).toBe('go');
    expect(p.exceptionType).toBe('panic: runtime error: index out of range [5] with length 3');
    expect(p.frames[0]).toBe('main.(*Server).handle');
  });

  it('reads Ruby, old and new quoting', () => {
    for (const t of [RUBY_A, RUBY_B]) {
      const p = parseStackTrace(lines(t));
      expect(p).toMatchObject({ language: 'ruby', exceptionType: 'NoMethodError' });
      expect(p.frames).toHaveLength(4);
    }
  });

  it('accepts a trace given as one multi-line string', () => {
    expect(parseStackTrace([PY_A]).exceptionType).toBe('KeyError');
  });

  it('returns unknown for text that is no trace', () => {
    expect(parseStackTrace(['just a log line']).language).toBe('unknown');
    expect(parseStackTrace([]).frames).toEqual([]);
  });
});

describe('stack fingerprints', () => {
  it.each([
    ['Java', JAVA_A, JAVA_B],
    ['Python', PY_A, PY_B],
    ['Node.js', NODE_A, NODE_B],
    ['Go', GO_A, GO_B],
    ['Ruby', RUBY_A, RUBY_B],
  ])('%s: the same failure on other hosts and builds has one fingerprint', (_, a, b) => {
    const fa = fingerprintStackTrace(lines(a));
    const fb = fingerprintStackTrace(lines(b));
    expect(fa.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fb.fingerprint).toBe(fa.fingerprint);
    expect(fb.signature).toBe(fa.signature);
    expect(fa.frames.length).toBeGreaterThan(0);
  });

  it('skips framework frames and keeps application ones', () => {
    expect(fingerprintStackTrace(lines(JAVA_A)).frames).toEqual([
      'com.shop.orders.OrderService.lambda$load',
      'com.shop.orders.OrderService$$Lambda.apply',
      'com.shop.orders.OrderService.load',
      'com.shop.web.OrderController$.handle',
      'com.shop.Main.main',
    ]);
    expect(fingerprintStackTrace(lines(NODE_A)).frames).toEqual([
      'getUser (users.js)',
      'anonymous (routes.js)',
      'main (main.mjs)',
    ]);
    expect(fingerprintStackTrace(lines(GO_A)).frames).toEqual([
      'main.(*Server).handle',
      'main.main.func',
      'main.main',
    ]);
    expect(fingerprintStackTrace(lines(PY_A)).signature).toBe(
      'KeyError @ pricing.py in compute <- views.py in checkout',
    );
    expect(fingerprintStackTrace(lines(RUBY_A)).signature).toBe(
      'NoMethodError @ cart.rb in total <- cart.rb in block in checkout <- app.rb in <main>',
    );
  });

  it('tells different exception types apart at the same place', () => {
    const other = JAVA_A.replace('IllegalStateException', 'NullPointerException');
    expect(fingerprintStackTrace(lines(other)).fingerprint).not.toBe(
      fingerprintStackTrace(lines(JAVA_A)).fingerprint,
    );
    expect(
      fingerprintStackTrace(lines(PY_A.replace('KeyError', 'TypeError'))).fingerprint,
    ).not.toBe(fingerprintStackTrace(lines(PY_A)).fingerprint);
    expect(
      fingerprintStackTrace(lines(NODE_A.replace('TypeError', 'RangeError'))).fingerprint,
    ).not.toBe(fingerprintStackTrace(lines(NODE_A)).fingerprint);
    expect(
      fingerprintStackTrace(lines(RUBY_A.replace('NoMethodError', 'KeyError'))).fingerprint,
    ).not.toBe(fingerprintStackTrace(lines(RUBY_A)).fingerprint);
    const nilDeref = GO_A.replace(
      'runtime error: index out of range [5] with length 3',
      'runtime error: invalid memory address or nil pointer dereference',
    );
    expect(fingerprintStackTrace(lines(nilDeref)).fingerprint).not.toBe(
      fingerprintStackTrace(lines(GO_A)).fingerprint,
    );
  });

  it('tells the same type at different application frames apart', () => {
    const elsewhere = NODE_A.replace('Object.getUser', 'Object.getOrder');
    expect(fingerprintStackTrace(lines(elsewhere)).fingerprint).not.toBe(
      fingerprintStackTrace(lines(NODE_A)).fingerprint,
    );
  });

  it('fingerprints from a type and frames directly', () => {
    const frames = ['at com.a.B.c(B.java:1)', 'at com.a.B.d(B.java:2)'];
    const fp = stackFingerprint('com.a.Oops', frames);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(
      stackFingerprint('com.a.Oops', ['at com.a.B.c(B.java:99)', 'at com.a.B.d(B.java:7)']),
    ).toBe(fp);
    expect(stackFingerprint('com.a.Other', frames)).not.toBe(fp);
    expect(describeStack('com.a.Oops', frames).signature).toBe(
      'com.a.Oops @ com.a.B.c <- com.a.B.d',
    );
  });

  it('ignores lines of a raw trace that are no frames', () => {
    const frames = ['at com.a.B.c(B.java:1)', '\t... 5 more', 'at com.a.B.d(B.java:2)'];
    const other = ['at com.a.B.c(B.java:9)', '\t... 12 more', 'at com.a.B.d(B.java:3)'];
    expect(stackFingerprint('E', other)).toBe(stackFingerprint('E', frames));
    expect(describeStack('', frames).signature).toBe('<unknown> @ com.a.B.c <- com.a.B.d');
  });

  it('uses the top frames only', () => {
    const frames = Array.from(
      { length: 20 },
      (_, i) => `at com.a.B.m${String.fromCharCode(97 + i)}(B.java:${i})`,
    );
    const changedDeep = [...frames];
    changedDeep[15] = 'at com.a.B.other(B.java:1)';
    expect(stackFingerprint('E', changedDeep)).toBe(stackFingerprint('E', frames));
    expect(describeStack('E', frames).frames).toHaveLength(5);
  });

  it('falls back to framework frames when there is nothing else', () => {
    const a = describeStack('java.lang.OutOfMemoryError', [
      'at java.util.Arrays.copyOf(Arrays.java:3)',
    ]);
    const b = describeStack('java.lang.OutOfMemoryError', [
      'at java.lang.String.<init>(String.java:9)',
    ]);
    expect(a.frames).toEqual(['java.util.Arrays.copyOf']);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('normalizes frames of every language', () => {
    expect(normalizeFrame('\tat com.x.Y$3.run(Y.java:12)')).toBe('com.x.Y$.run');
    expect(normalizeFrame('    at new Foo (file:///a/b/c/foo.mjs:3:9)')).toBe('Foo (foo.mjs)');
    expect(normalizeFrame('  File "/a/b/c.py", line 3, in <lambda>')).toBe('c.py in <lambda>');
    expect(normalizeFrame('main.worker.func3.2(0xc000123)')).toBe('main.worker.func');
    expect(normalizeFrame("from /a/b/c.rb:9:in `block (3 levels) in run'")).toBe(
      'c.rb in block in run',
    );
    expect(normalizeFrame('main.(*Server).handle')).toBe('main.(*Server).handle');
    for (const notAFrame of ['\t... 5 more', 'Caused by: a.B: c', '    total = compute(cart)', ''])
      expect(normalizeFrame(notAFrame)).toBe('');
    expect(isFrameworkFrame('at org.springframework.web.X.y(X.java:1)')).toBe(true);
    expect(isFrameworkFrame('at com.shop.X.y(X.java:1)')).toBe(false);
  });
});

describe('stack parsing properties', () => {
  const traceLine = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '\tat com.x.Y.z(Y.java:1)',
      '    at f (/a/b.js:1:2)',
      '  File "/a.py", line 1, in f',
      'goroutine 1 [running]:',
      'panic: boom',
      "from /a.rb:1:in `x'",
      'Caused by: a.B: c',
      'Traceback (most recent call last):',
    ),
  );

  it('never throws and always gives a 16-hex-digit fingerprint', () => {
    fc.assert(
      fc.property(fc.array(traceLine, { maxLength: 30 }), (lines) => {
        const r = fingerprintStackTrace(lines);
        expect(r.fingerprint).toMatch(/^[0-9a-f]{16}$/);
        expect(fingerprintStackTrace(lines).fingerprint).toBe(r.fingerprint);
      }),
      { numRuns: 300 },
    );
  });

  it('finishes quickly on pathological lines', () => {
    for (const piece of ['at ', 'a', '(', ')', ':1', ' (', 'in `', '$1', 'func1.']) {
      const line = `\tat ${piece.repeat(100_000)}`;
      const start = performance.now();
      fingerprintStackTrace([line, line, `${line}(x.java:1)`]);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });
});
