/*
 * The log reader on the fixture files (test/fixtures/logs): format detection
 * and every field of every event, then the same files through the options
 * (zone, host, reference time) and cut into chunks every which way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/analysis/event.js';
import { createReader, fieldsOf, type ReaderOptions, readAll } from '../src/analysis/read/index.js';

const dir = join(import.meta.dirname, 'fixtures', 'logs');
const fixture = (name: string) => readFileSync(join(dir, name));
/** June 2026: stamps without a year ("Mar 14") are March 2026. */
const REFERENCE = Date.UTC(2026, 5, 1);
const at = (iso: string) => Date.parse(iso);

let source = '';
/** An expected event: what a fixture line says, the rest left out. */
const ev = (fields: Partial<LogEvent> & { message: string; line: number }): LogEvent => ({
  isError: false,
  isClientError: false,
  source,
  ...fields,
});

function read(name: string, options: Partial<ReaderOptions> = {}) {
  return readAll(fixture(name), { source: `logs/${name}`, referenceTime: REFERENCE, ...options });
}

interface Expected {
  format: string;
  counts: {
    lines: number;
    blank: number;
    events: number;
    continuation: number;
    unparseable: number;
  };
  events: LogEvent[];
}

/** Built lazily so that `ev` sees the fixture's source name. */
const EXPECTED: Record<string, () => Expected> = {
  'apache-combined-microseconds.log': () => ({
    format: 'access',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        message: 'GET /index.html 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/index.html',
          status: 200,
          durationMs: 1.834,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        },
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        message: 'GET /api/report 503',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/api/report',
          query: { year: '2026' },
          status: 503,
          durationMs: 30000.412,
          userAgent: 'python-requests/2.31.0',
        },
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        message: 'GET /login 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/login',
          status: 200,
          durationMs: 0.95,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        },
        line: 3,
      }),
    ],
  }),
  'apache-common.log': () => ({
    format: 'access',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T16:15:02.000Z'),
        message: 'GET /apache_pb.gif 200',
        fromRequest: true,
        http: { method: 'GET', path: '/apache_pb.gif', status: 200 },
        line: 1,
      }),
      ev({
        time: at('2026-03-14T16:15:03.000Z'),
        message: 'GET /reports/q1.pdf 403',
        fromRequest: true,
        http: { method: 'GET', path: '/reports/q1.pdf', status: 403 },
        isClientError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T16:15:04.000Z'),
        message: 'POST /cgi-bin/order.cgi 500',
        fromRequest: true,
        http: {
          method: 'POST',
          path: '/cgi-bin/order.cgi',
          query: { item: '7', qty: '1' },
          status: 500,
        },
        isError: true,
        line: 3,
      }),
      ev({
        time: at('2026-03-14T16:15:05.000Z'),
        message: '- 408',
        http: { status: 408 },
        isClientError: true,
        line: 4,
      }),
    ],
  }),
  'cri-containerd.log': () => ({
    format: 'cri',
    counts: { lines: 14, blank: 1, events: 8, continuation: 5, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.104Z'),
        level: 'info',
        message: 'listening',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.220Z'),
        level: 'info',
        message: 'request done',
        http: { method: 'GET', path: '/api/cart', status: 200, durationMs: 12.5 },
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.001Z'),
        level: 'error',
        message: 'payment gateway timeout',
        http: { path: '/api/pay', status: 504 },
        isError: true,
        line: 3,
      }),
      // written between the two parts of line 4, on the other stream: whole first
      ev({
        time: at('2026-03-14T09:15:04.501Z'),
        level: 'warn',
        message: 'watch of *v1.Pod ended',
        line: 5,
      }),
      ev({
        time: at('2026-03-14T09:15:04.501Z'),
        level: 'warn',
        message: 'slow response',
        http: { path: '/api/products', status: 200 },
        line: 4,
      }),
      ev({
        time: at('2026-03-14T09:15:05.250Z'),
        message: 'POST /api/pay 502',
        fromRequest: true,
        http: {
          method: 'POST',
          path: '/api/pay',
          status: 502,
          durationMs: 31,
          userAgent: 'okhttp/4.12.0',
        },
        isError: true,
        line: 7,
      }),
      ev({
        time: at('2026-03-14T09:15:06.000Z'),
        level: 'fatal',
        message: 'panic: runtime error: invalid memory address or nil pointer dereference',
        stack: [
          '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]',
          'goroutine 18 [running]:',
          'main.(*Store).Reserve(0x0, {0x6d2b40, 0x3})',
          '\t/app/store.go:42 +0x1c',
        ],
        isError: true,
        line: 8,
      }),
      ev({
        time: at('2026-03-14T09:15:07.000Z'),
        level: 'info',
        message: 'INFO  starting checkout v2.14.0',
        line: 14,
      }),
    ],
  }),
  'go-panic.log': () => ({
    format: 'plain',
    counts: { lines: 14, blank: 1, events: 4, continuation: 9, unparseable: 0 },
    events: [
      ev({ time: at('2026-03-14T09:15:02.000Z'), message: 'starting inventory on :8080', line: 1 }),
      ev({ time: at('2026-03-14T09:15:03.000Z'), message: 'GET /api/stock 200 3ms', line: 2 }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        message: 'reserve: sku 991 out of stock',
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'fatal',
        message: 'panic: runtime error: invalid memory address or nil pointer dereference',
        stack: [
          '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]',
          'goroutine 18 [running]:',
          'main.(*Store).Reserve(0x0, {0x6d2b40, 0x3})',
          '\t/app/store.go:42 +0x1c',
          'main.handler({0x7f1e20, 0xc0000b4000}, 0xc0000a2000)',
          '\t/app/main.go:77 +0x85',
          'created by net/http.(*Server).Serve in goroutine 1',
          '\t/usr/local/go/src/net/http/server.go:3285 +0x4b4',
          'exit status 2',
        ],
        isError: true,
        line: 4,
      }),
    ],
  }),
  'java-trace.log': () => ({
    format: 'plain',
    counts: { lines: 13, blank: 0, events: 5, continuation: 8, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: '[main] com.shop.checkout.Application - Started in 3.2 s',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        level: 'error',
        message:
          '[http-nio-8080-exec-3] com.shop.checkout.PaymentController - Payment failed for order 991',
        stack: [
          'java.lang.IllegalStateException: card declined by issuer',
          '\tat com.shop.checkout.PaymentService.charge(PaymentService.java:88)',
          '\tat com.shop.checkout.PaymentController.pay(PaymentController.java:41)',
          '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
          'Caused by: java.net.SocketTimeoutException: Read timed out',
          '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
          '\t... 12 more',
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'warn',
        message: '[http-nio-8080-exec-4] com.shop.checkout.CartController - Cart 42 is empty',
        line: 10,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'error',
        message: 'Exception in thread "scheduler-1" java.lang.OutOfMemoryError: Java heap space',
        stack: ['\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)'],
        isError: true,
        line: 11,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        level: 'info',
        message: '[main] com.shop.checkout.Application - Shutting down',
        line: 13,
      }),
    ],
  }),
  'json-docker.log': () => ({
    format: 'json',
    counts: { lines: 6, blank: 0, events: 3, continuation: 2, unparseable: 1 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.124Z'),
        level: 'info',
        message: '[main] c.s.App - started in 2.1s',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:04.001Z'),
        level: 'error',
        message: '[http-1] c.s.Api - request failed',
        stack: [
          'java.lang.NullPointerException: cart is null',
          '\tat com.shop.Api.handle(Api.java:88)',
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:05.001Z'),
        level: 'info',
        message: '[main] c.s.App - recovered',
        line: 5,
      }),
    ],
  }),
  'json-docker-partial.log': () => ({
    format: 'json',
    counts: { lines: 9, blank: 1, events: 4, continuation: 4, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        level: 'info',
        message: 'worker started',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.200Z'),
        host: 'worker-2',
        level: 'info',
        message: 'heartbeat',
        line: 3,
      }),
      // lines 2 and 4: one line Docker split in two records
      ev({
        time: at('2026-03-14T09:15:03.100Z'),
        level: 'error',
        message: 'send failed',
        stack: [
          'dial tcp 10.0.0.7:25: connect: connection refused',
          'Traceback (most recent call last):',
          '  File "/app/worker.py", line 42, in send',
          'ConnectionRefusedError: [Errno 111] Connection refused',
        ],
        isError: true,
        line: 2,
      }),
      // the last record has no newline: the rest of its line never came
      ev({
        time: at('2026-03-14T09:15:05.500Z'),
        level: 'warn',
        message: 'retrying in 5s',
        line: 9,
      }),
    ],
  }),
  'json-ecs.log': () => ({
    format: 'json',
    counts: { lines: 2, blank: 0, events: 2, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        host: 'web-4',
        service: 'catalog',
        level: 'info',
        message: 'GET /api/products 200',
        http: {
          method: 'GET',
          path: '/api/products',
          query: { page: '2', sort: 'price' },
          status: 200,
          durationMs: 48,
          userAgent: 'okhttp/4.12.0',
        },
        traceId: '0af7651916cd43dd8448eb211c80319c',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.500Z'),
        host: 'web-4',
        service: 'com.shop.catalog.PriceService',
        level: 'error',
        message: 'price lookup failed',
        stack: [
          'java.lang.IllegalStateException: no price for SKU 991',
          '\tat com.shop.catalog.PriceService.lookup(PriceService.java:57)',
          '\tat com.shop.catalog.Api.get(Api.java:33)',
        ],
        isError: true,
        line: 2,
      }),
    ],
  }),
  'json-gcp.log': () => ({
    format: 'json',
    counts: { lines: 2, blank: 0, events: 2, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.500Z'),
        level: 'warn',
        message: 'slow upstream',
        http: {
          method: 'GET',
          path: '/api/cart',
          query: { id: '7' },
          status: 200,
          durationMs: 1250,
          userAgent: 'Mozilla/5.0 (Android 14)',
        },
        traceId: '06796866738c859f2f19b7cfb3214824',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'error',
        message: 'Traceback (most recent call last):',
        stack: [
          '  File "/app/main.py", line 12, in handler',
          '    total = cart.total()',
          'ZeroDivisionError: division by zero',
        ],
        isError: true,
        line: 2,
      }),
    ],
  }),
  'json-logrus.log': () => ({
    format: 'json',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({ time: at('2026-03-14T09:15:02.000Z'), level: 'info', message: 'listening', line: 1 }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'warn',
        message: 'retrying payment',
        stack: ['dial tcp 10.0.3.7:443: i/o timeout'],
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.250Z'),
        level: 'error',
        message: 'payment failed',
        http: { method: 'POST', path: '/api/pay', status: 402 },
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        stack: ['card declined'],
        isError: true,
        isClientError: true,
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        level: 'fatal',
        message: 'assignment to entry in nil map',
        stack: ['goroutine 7 [running]:', 'main.(*Cart).Add(...)', '\t/app/cart.go:42 +0x1c'],
        isError: true,
        line: 4,
      }),
    ],
  }),
  'json-pino.log': () => ({
    format: 'json',
    counts: { lines: 5, blank: 0, events: 5, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        host: 'checkout-7d9f',
        level: 'info',
        message: 'request completed',
        http: {
          method: 'GET',
          path: '/api/cart',
          query: { id: '42' },
          status: 200,
          durationMs: 12,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        },
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        host: 'checkout-7d9f',
        level: 'error',
        message: 'request errored',
        http: { method: 'POST', path: '/api/checkout', status: 502, durationMs: 30012 },
        stack: [
          'Error: upstream payment timed out',
          '    at PaymentClient.charge (/app/src/payment.js:88:11)',
          '    at async Checkout.run (/app/src/checkout.js:41:5)',
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        host: 'checkout-7d9f',
        level: 'warn',
        message: 'slow query',
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        host: 'checkout-7d9f',
        level: 'debug',
        message: 'cache miss',
        line: 4,
      }),
      ev({
        time: at('2026-03-14T09:15:06.000Z'),
        host: 'checkout-7d9f',
        level: 'fatal',
        message: 'out of memory, exiting',
        isError: true,
        line: 5,
      }),
    ],
  }),
  'logfmt.log': () => ({
    format: 'logfmt',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        service: 'inventory',
        level: 'info',
        message: 'server started',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        host: 'web-2',
        service: 'inventory',
        level: 'warn',
        message: 'slow request',
        http: {
          method: 'GET',
          path: '/api/stock',
          query: { sku: '991' },
          status: 200,
          durationMs: 1250,
        },
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        service: 'inventory',
        level: 'error',
        message: 'db query failed',
        traceId: '7f3a9c',
        stack: ['pq: deadlock detected'],
        isError: true,
        line: 3,
      }),
      ev({
        host: 'shop.herokuapp.com',
        level: 'error',
        message: 'Request timeout',
        http: { method: 'POST', path: '/api/orders', status: 503 },
        isError: true,
        line: 4,
      }),
    ],
  }),
  'nginx-combined-request-time.log': () => ({
    format: 'access',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        message: 'GET /api/products 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/api/products',
          query: { page: '2' },
          status: 200,
          durationMs: 4,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
        },
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        message: 'POST /api/checkout 504',
        fromRequest: true,
        http: {
          method: 'POST',
          path: '/api/checkout',
          status: 504,
          durationMs: 60001,
          userAgent:
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
        },
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        message: 'GET /api/cart 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/api/cart',
          status: 200,
          durationMs: 12,
          userAgent: 'okhttp/4.12.0',
        },
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        message: 'GET /static/app.js 304',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/static/app.js',
          status: 304,
          durationMs: 0,
          userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X)',
        },
        line: 4,
      }),
    ],
  }),
  'nginx-combined.log': () => ({
    format: 'access',
    counts: { lines: 6, blank: 0, events: 6, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        message: 'GET /api/cart 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/api/cart',
          query: { id: '42', coupon: 'SPRING 26' },
          status: 200,
          userAgent:
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
        },
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        message: 'POST /api/checkout 502',
        fromRequest: true,
        http: {
          method: 'POST',
          path: '/api/checkout',
          status: 502,
          userAgent:
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
        },
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        message: 'GET /favicon.ico 404',
        fromRequest: true,
        http: { method: 'GET', path: '/favicon.ico', status: 404, userAgent: 'curl/8.5.0' },
        isClientError: true,
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        message: 'HEAD /health 200',
        fromRequest: true,
        http: { method: 'HEAD', path: '/health', status: 200, userAgent: 'kube-probe/1.29' },
        line: 4,
      }),
      ev({
        time: at('2026-03-14T09:15:06.000Z'),
        message: '\\x16\\x03\\x01\\x00\\xF1\\x01 400',
        http: { status: 400 },
        isClientError: true,
        line: 5,
      }),
      ev({
        time: at('2026-03-14T09:15:07.000Z'),
        message: 'GET /search 200',
        fromRequest: true,
        http: {
          method: 'GET',
          path: '/search',
          query: { q: 'red shoes', page: '2' },
          status: 200,
          userAgent:
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
        },
        line: 6,
      }),
    ],
  }),
  'node-trace.log': () => ({
    format: 'plain',
    counts: { lines: 7, blank: 0, events: 3, continuation: 4, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: 'server listening on :3000',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        level: 'error',
        message: 'unhandled rejection',
        stack: [
          "TypeError: Cannot read properties of undefined (reading 'price')",
          '    at Cart.total (/app/src/cart.js:41:27)',
          '    at async Checkout.run (/app/src/checkout.js:88:5)',
          '    at async /app/src/server.js:120:7',
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'warn',
        message: 'retrying in 500ms',
        line: 7,
      }),
    ],
  }),
  'plain-bracketed.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        level: 'info',
        message: 'production.INFO: User 42 logged in',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'error',
        message:
          'production.ERROR: SQLSTATE[40001]: Serialization failure {"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 40001))"}',
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.500Z'),
        level: 'warn',
        message: 'cache size 98%',
        line: 3,
      }),
    ],
  }),
  'plain-clf-stamp.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        level: 'info',
        message: 'cache warmed (412 keys)',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'error',
        message: 'upstream shop-api timed out',
        isError: true,
        line: 2,
      }),
      ev({ time: at('2026-03-14T09:15:04.000Z'), level: 'warn', message: 'retry 2 of 3', line: 3 }),
    ],
  }),
  'plain-ctime.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message:
          '[mpm_event:notice] [pid 812:tid 140] AH00489: Apache/2.4.58 (Ubuntu) configured -- resuming normal operations',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'error',
        message:
          '[proxy:error] [pid 813:tid 141] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:8080 (backend) failed',
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.500Z'),
        level: 'warn',
        message:
          '[php:warn] [pid 814:tid 142] [client 203.0.113.7:51234] PHP Warning:  Undefined variable $cart',
        line: 3,
      }),
    ],
  }),
  'plain-epoch.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        level: 'info',
        message: 'scheduler tick',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.250Z'),
        level: 'warn',
        message: 'tick took 250ms',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.500Z'),
        level: 'error',
        message: 'tick failed',
        isError: true,
        line: 3,
      }),
    ],
  }),
  'plain-iso-local.log': () => ({
    format: 'plain',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: 'checkout.api - INFO - request handled in 12ms',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.004Z'),
        level: 'warn',
        message: 'checkout.db - WARNING - pool exhausted, waiting',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'error',
        message: 'checkout.api - ERROR - payment failed for order 991',
        isError: true,
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.250Z'),
        level: 'fatal',
        message: 'checkout.api - CRITICAL - giving up after 3 attempts',
        isError: true,
        line: 4,
      }),
    ],
  }),
  'plain-iso-zoned.log': () => ({
    format: 'plain',
    counts: { lines: 5, blank: 0, events: 5, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: '4211 --- [main] c.s.checkout.Application : Started Application in 3.2 seconds',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        level: 'warn',
        message: '4211 --- [http-nio-8080-exec-1] c.s.checkout.CartController : cart 42 is empty',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'error',
        message: '4211 --- [http-nio-8080-exec-2] c.s.checkout.PayController : payment failed',
        isError: true,
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.123Z'),
        level: 'debug',
        message: '4211 --- [scheduling-1] c.s.checkout.Jobs : sweep done',
        line: 4,
      }),
      ev({
        time: at('2026-03-14T09:15:06.000Z'),
        level: 'info',
        message: '4211 --- [main] c.s.checkout.Application : health ok',
        line: 5,
      }),
    ],
  }),
  'plain-klog.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: 'Starting EndpointSlice controller',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'warn',
        message: 'watch of *v1.Pod ended with: too old resource version',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.500Z'),
        level: 'error',
        message:
          'error retrieving resource lock kube-system/kube-controller-manager: context deadline exceeded',
        isError: true,
        line: 3,
      }),
    ],
  }),
  'plain-syslog-stamp.log': () => ({
    format: 'plain',
    counts: { lines: 3, blank: 0, events: 3, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        level: 'info',
        message: 'worker 3 started',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        level: 'warn',
        message: 'queue depth 1200 above 1000',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.250Z'),
        level: 'error',
        message: 'job 77 failed: timeout',
        isError: true,
        line: 3,
      }),
    ],
  }),
  'python-trace.log': () => ({
    format: 'plain',
    counts: { lines: 9, blank: 0, events: 3, continuation: 6, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: '[checkout.api] handled GET /cart in 12ms',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        level: 'error',
        message: '[checkout.api] Unhandled exception in POST /checkout',
        stack: [
          'Traceback (most recent call last):',
          '  File "/app/checkout/api.py", line 88, in checkout',
          '    total = cart.total()',
          '  File "/app/checkout/cart.py", line 41, in total',
          '    return sum(i.price for i in self.items) / self.count',
          'ZeroDivisionError: division by zero',
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'info',
        message: '[checkout.api] handled GET /health in 1ms',
        line: 9,
      }),
    ],
  }),
  'ruby-trace.log': () => ({
    format: 'plain',
    counts: { lines: 10, blank: 0, events: 4, continuation: 6, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.123Z'),
        level: 'info',
        message: 'Started GET "/cart" for 203.0.113.7',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.456Z'),
        level: 'error',
        message: "NoMethodError (undefined method `price' for nil):",
        stack: [
          "  app/models/cart.rb:41:in `block in total'",
          "  app/models/cart.rb:41:in `sum'",
          "  app/controllers/carts_controller.rb:12:in `show'",
        ],
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'warn',
        message: 'Slow request: GET "/cart" took 2300ms',
        line: 6,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        level: 'fatal',
        message:
          "/app/lib/worker.rb:12:in `perform': undefined method `total' for nil (NoMethodError)",
        stack: [
          "\tfrom /app/lib/runner.rb:5:in `block in run'",
          "\tfrom /app/lib/runner.rb:3:in `each'",
          "\tfrom bin/worker:9:in `<main>'",
        ],
        isError: true,
        line: 7,
      }),
    ],
  }),
  'syslog-3164.log': () => ({
    format: 'syslog-3164',
    counts: { lines: 6, blank: 0, events: 6, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        host: 'web-1',
        service: 'sshd',
        message: 'Accepted publickey for deploy from 192.0.2.15 port 50122 ssh2',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        host: 'web-1',
        service: 'CRON',
        message: '(root) CMD (/usr/local/bin/backup.sh)',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        host: 'web-1',
        service: 'kernel',
        message: '[183746.123456] Out of memory: Killed process 4211 (node) total-vm:1843200kB',
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        host: 'web-1',
        service: 'systemd',
        message: 'checkout.service: Main process exited, code=killed, status=9/KILL',
        line: 4,
      }),
      ev({
        time: at('2026-03-04T09:15:06.000Z'),
        host: 'web-1',
        service: 'nginx',
        message:
          '2026/03/04 09:15:06 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to upstream',
        line: 5,
      }),
      ev({
        time: at('2026-03-14T09:15:07.000Z'),
        host: 'web-1',
        service: 'app',
        level: 'error',
        message: 'ERROR payment service unreachable',
        isError: true,
        line: 6,
      }),
    ],
  }),
  'syslog-5424.log': () => ({
    format: 'syslog-5424',
    counts: { lines: 4, blank: 0, events: 4, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2026-03-14T09:15:02.003Z'),
        host: 'web-1.example.com',
        service: 'checkout',
        level: 'info',
        message: 'order 991 placed',
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:03.120Z'),
        host: 'web-1.example.com',
        service: 'checkout',
        level: 'error',
        message: 'payment gateway returned 502',
        isError: true,
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        host: 'web-1.example.com',
        level: 'info',
        message: 'heartbeat',
        line: 3,
      }),
      ev({ host: 'web-2', service: 'nginx', level: 'info', message: 'worker started', line: 4 }),
    ],
  }),
  'syslog-bsd-no-host.log': () => ({
    format: 'syslog-3164',
    counts: { lines: 6, blank: 0, events: 6, continuation: 0, unparseable: 0 },
    events: [
      ev({
        time: at('2025-10-11T22:14:15.000Z'),
        service: 'su',
        level: 'fatal',
        message: "'su root' failed for lonvick on /dev/pts/8",
        isError: true,
        line: 1,
      }),
      ev({
        time: at('2026-03-14T09:15:02.000Z'),
        service: 'sshd',
        level: 'info',
        message: 'Accepted publickey for deploy from 192.0.2.15 port 50122 ssh2',
        line: 2,
      }),
      ev({
        time: at('2026-03-14T09:15:03.000Z'),
        service: 'CRON',
        message: '(root) CMD (/usr/local/bin/backup.sh)',
        line: 3,
      }),
      ev({
        time: at('2026-03-14T09:15:04.000Z'),
        service: 'kernel',
        message: '[183746.123456] Out of memory: Killed process 4211 (node) total-vm:1843200kB',
        line: 4,
      }),
      ev({
        time: at('2026-03-14T09:15:05.000Z'),
        service: 'postfix/smtpd',
        message: 'connect from unknown[192.0.2.77]',
        line: 5,
      }),
      ev({
        time: at('2026-03-14T09:15:06.000Z'),
        host: 'web-1',
        service: 'systemd',
        message: 'checkout.service: Main process exited, code=killed, status=9/KILL',
        line: 6,
      }),
    ],
  }),
  'text.log': () => ({
    format: 'text',
    counts: { lines: 6, blank: 1, events: 5, continuation: 0, unparseable: 0 },
    events: [
      ev({ message: 'Starting checkout worker (pid 4211)', line: 1 }),
      ev({ level: 'warn', message: 'WARNING: config key "timeout" is deprecated', line: 2 }),
      ev({ message: 'Connected to postgres://db-1:5432/shop', line: 3 }),
      ev({
        level: 'error',
        message: 'ERROR: could not reserve stock for order 991',
        isError: true,
        line: 5,
      }),
      ev({ message: 'Worker stopped', line: 6 }),
    ],
  }),
};

describe('log fixtures', () => {
  it('has an expectation for every fixture file', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`reads ${name}`, () => {
      source = `logs/${name}`;
      const want = expected();
      const { events, stats } = read(name);
      expect(stats.format).toBe(want.format);
      expect({
        lines: stats.lines,
        blank: stats.blank,
        events: stats.events,
        continuation: stats.continuation,
        unparseable: stats.unparseable,
      }).toEqual(want.counts);
      // `raw` is the line itself (checked below through fieldsOf)
      expect(events.map(({ raw: _raw, ...event }) => event)).toEqual(want.events);
      expect(stats.lines).toBe(stats.blank + stats.events + stats.continuation + stats.unparseable);
    });
  }
});

/** Feeds bytes to a reader in pieces of the given sizes, cycling through them. */
function readInPieces(bytes: Uint8Array, sizes: number[], options: ReaderOptions) {
  const reader = createReader(options);
  const events: LogEvent[] = [];
  let k = 0;
  for (let at = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length] ?? 1;
    events.push(...reader.push(bytes.subarray(at, at + size)));
    at += size;
  }
  events.push(...reader.end());
  return { events, stats: reader.stats() };
}

describe('reader options on fixtures', () => {
  it('reads stamps without a zone in the default zone', () => {
    const utc = read('plain-iso-local.log').events.map((e) => e.time ?? 0);
    const berlin = read('plain-iso-local.log', { defaultZone: 'Europe/Berlin' });
    expect(berlin.events.map((e) => e.time)).toEqual(utc.map((t) => t - 3_600_000));
    // New York is on daylight time from 8 March 2026: UTC-4
    const newYork = read('plain-iso-local.log', { defaultZone: 'America/New_York' });
    expect(newYork.events.map((e) => e.time)).toEqual(utc.map((t) => t + 4 * 3_600_000));
    const fixed = read('plain-iso-local.log', { defaultZone: '+05:30' });
    expect(fixed.events.map((e) => e.time)).toEqual(utc.map((t) => t - 5.5 * 3_600_000));
  });

  it('leaves stamps that carry a zone alone', () => {
    for (const name of ['plain-iso-zoned.log', 'nginx-combined.log', 'syslog-5424.log']) {
      const utc = read(name).events.map((e) => e.time);
      expect(read(name, { defaultZone: 'Asia/Tokyo' }).events.map((e) => e.time)).toEqual(utc);
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => read('text.log', { defaultZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
  });

  it('infers the year of "Mar 14" from the reference time', () => {
    const year = (referenceTime: number) =>
      new Date(read('syslog-3164.log', { referenceTime }).events[0]?.time ?? 0).getUTCFullYear();
    expect(year(Date.UTC(2026, 5, 1))).toBe(2026);
    expect(year(Date.UTC(2027, 0, 10))).toBe(2026); // read in January: last year's March
    expect(year(Date.UTC(2026, 2, 1))).toBe(2026); // less than 30 days ahead: clock skew
    expect(year(Date.UTC(2026, 1, 1))).toBe(2025); // more than 30 days ahead: last year
  });

  it('takes the host from the source path', () => {
    const host = (source: string) =>
      readAll(fixture('nginx-combined.log'), { source, referenceTime: REFERENCE }).events[0]?.host;
    expect(host('web-3/access.log')).toBe('web-3');
    expect(host('web-3.access.log')).toBe('web-3');
    expect(host('logs/2026-03-14/web-3.log')).toBe('web-3');
    expect(host('/var/log/nginx/access.log')).toBeUndefined();
    expect(host('incident-42/db01.prod.example.com/access.log.2.gz')).toBe('db01.prod.example.com');
  });

  it('takes the host from hostPattern when given', () => {
    const { events } = readAll(fixture('nginx-combined.log'), {
      source: 'dumps/host=edge-7/nginx/access.log',
      hostPattern: /host=([^/]+)/,
      referenceTime: REFERENCE,
    });
    expect(new Set(events.map((e) => e.host))).toEqual(new Set(['edge-7']));
    const none = readAll(fixture('nginx-combined.log'), {
      source: 'web-3/access.log',
      hostPattern: /host=([^/]+)/,
    });
    expect(none.events[0]?.host).toBeUndefined();
  });

  it('prefers the host a line names to the one in the path', () => {
    const { events } = read('syslog-3164.log', { source: 'web-9/syslog' });
    expect(new Set(events.map((e) => e.host))).toEqual(new Set(['web-1']));
    const pino = read('json-pino.log', { source: 'web-9/app.log' });
    expect(pino.events[0]?.host).toBe('checkout-7d9f');
    const logfmt = read('logfmt.log', { source: 'web-9/app.log' });
    expect(logfmt.events.map((e) => e.host)).toEqual([
      'web-9',
      'web-2',
      'web-9',
      'shop.herokuapp.com',
    ]);
  });

  it('keeps samples of unparseable lines with their source and line', () => {
    const { stats } = read('json-docker.log');
    expect(stats.samples).toEqual([
      { source: 'logs/json-docker.log', line: 6, text: 'this line is not JSON' },
    ]);
  });

  it('reads every fixture the same whatever the chunks and line endings', () => {
    for (const name of Object.keys(EXPECTED)) {
      const options = { source: `logs/${name}`, referenceTime: REFERENCE };
      const whole = read(name);
      const bytes = fixture(name);
      for (const sizes of [[1], [3, 7], [64, 1, 5], [4096]]) {
        const pieces = readInPieces(bytes, sizes, options);
        expect(pieces.events, `${name} in pieces of ${sizes}`).toEqual(whole.events);
        expect(pieces.stats).toEqual(whole.stats);
      }
      const crlf = new TextEncoder().encode(bytes.toString('utf8').replaceAll('\n', '\r\n'));
      const windows = readInPieces(crlf, [5, 2], options);
      expect(windows.events, `${name} with CRLF`).toEqual(whole.events);
    }
  });

  it('reads a file that starts with a byte order mark', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('json-pino.log')]);
    const { events, stats } = readAll(bom, {
      source: 'logs/json-pino.log',
      referenceTime: REFERENCE,
    });
    expect(stats.format).toBe('json');
    expect(events).toEqual(read('json-pino.log').events);
  });

  it('reads a file with no newline at its end', () => {
    const text = fixture('java-trace.log').toString('utf8').trimEnd();
    const { events } = readAll(text, { source: 'logs/java-trace.log', referenceTime: REFERENCE });
    expect(events).toEqual(read('java-trace.log').events);
  });
});

describe('fieldsOf: the fields of a structured line that no event field took', () => {
  const one = (line: string) => {
    const { events } = readAll(`${line}\n`, { source: 'x', referenceTime: REFERENCE });
    expect(events).toHaveLength(1);
    return fieldsOf(events[0] as LogEvent);
  };

  it('flattens JSON, walking known parents for their unknown keys', () => {
    expect(
      one(
        '{"time":"2026-03-14T09:15:02Z","level":"error","msg":"pay failed","status":500,"amount":"12.50","user":{"region":"eu-west","tier":2,"vip":true},"http":{"method":"POST","client_region":"eu"},"tags":["a"]}',
      ),
    ).toEqual({
      amount: '12.50',
      'user.region': 'eu-west',
      'user.tier': 2,
      'user.vip': true,
      'http.client_region': 'eu',
    });
  });

  it('reads logfmt pairs, leaving the known keys out', () => {
    expect(
      one('time=2026-03-14T09:15:04Z level=error msg="db query failed" region=us-east shard=7'),
    ).toEqual({ region: 'us-east', shard: '7' });
  });

  it('has none for lines of other formats, or structured lines without other fields', () => {
    expect(one('127.0.0.1 - - [14/Mar/2026:09:15:02 +0000] "GET /a HTTP/1.1" 200 5')).toBe(
      undefined,
    );
    expect(one('{"time":"2026-03-14T09:15:02Z","msg":"ok"}')).toBe(undefined);
  });

  it('keeps a "__proto__" key as data', () => {
    const fields = one('{"msg":"x","__proto__":{"polluted":"yes"},"constructor":"c"}');
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
    expect(fields?.constructor).toBe('c');
  });
});
