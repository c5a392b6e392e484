/**
 * The failures scenarios plant, and the rare ones of a healthy day: each a
 * message with variable parts and a trace for either language (trace.ts). The
 * same failure on two services gets two different traces, as in life.
 */
import type { Service } from './catalog.js';
import type { Rng } from './random.js';
import { type Failure, failure as make } from './trace.js';

export type { Failure } from './trace.js';

/** A whole-number parser given a decimal amount (the planted bug of kind 1). */
export function decimalAmountRejected(service: Service, amount: string, order: number): Failure {
  return make(service, 500, `payment request for order ${order} failed: invalid amount`, {
    java: {
      type: 'java.lang.NumberFormatException',
      detail: `For input string: "${amount}"`,
      library: [
        'java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
        'java.base/java.lang.Long.parseLong(Long.java:711)',
        'java.base/java.lang.Long.parseLong(Long.java:836)',
      ],
      frames: [
        'api.PaymentRequestMapper.toMinorUnits(PaymentRequestMapper.java:48)',
        'api.PaymentController.create(PaymentController.java:73)',
      ],
    },
    node: {
      type: 'SyntaxError',
      detail: `Cannot convert ${amount} to a BigInt`,
      library: ['BigInt (<anonymous>)'],
      frames: [
        'toMinorUnits (src/payments/amount.js:14:10)',
        'createPayment (src/routes/payments.js:37:21)',
      ],
    },
  });
}

/** A call to a third party that does not answer in time. */
export function upstreamTimeout(service: Service, upstream: string, timeoutMs: number): Failure {
  return make(service, 504, `upstream timeout calling ${upstream} after ${timeoutMs}ms`, {
    java: {
      type: 'java.net.SocketTimeoutException',
      detail: 'Read timed out',
      library: [
        'java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
        'java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)',
      ],
      frames: [
        'provider.ProviderClient.charge(ProviderClient.java:142)',
        'PaymentService.pay(PaymentService.java:88)',
      ],
    },
    node: {
      type: 'TimeoutError',
      detail: `request to https://${upstream}/v1/charges timed out after ${timeoutMs}ms`,
      library: ['Timeout._onTimeout (/app/node_modules/undici/lib/core/request.js:172:14)'],
      frames: [
        'ProviderClient.charge (src/provider/client.js:61:13)',
        'pay (src/service.js:118:22)',
      ],
    },
  });
}

/** A query that runs out of time while something else holds the database. */
export function queryTimeout(service: Service, what: string, timeoutMs: number): Failure {
  return make(service, 504, `query timed out after ${timeoutMs}ms while loading ${what}`, {
    java: {
      type: 'org.springframework.dao.QueryTimeoutException',
      detail: 'PreparedStatementCallback; SQL [select * from products where ...]',
      frames: ['repository.ProductRepository.search(ProductRepository.java:97)'],
      causedBy:
        'org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout',
    },
    node: {
      type: 'KnexTimeoutError',
      detail: 'Knex: Timeout acquiring a connection. The pool is probably full.',
      library: ['Client_PG.acquireConnection (/app/node_modules/knex/lib/client.js:332:26)'],
      frames: ['ProductStore.search (src/store/products.js:88:17)'],
    },
  });
}

/** A write to a full disk. */
export function diskFull(service: Service, path: string): Failure {
  return make(service, 500, `failed to write ${path}: No space left on device`, {
    java: {
      type: 'java.io.IOException',
      detail: 'No space left on device',
      library: [
        'java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)',
        'java.base/sun.nio.ch.FileChannelImpl.write(FileChannelImpl.java:300)',
      ],
      frames: ['storage.LocalSpool.append(LocalSpool.java:64)'],
    },
    node: {
      type: 'Error',
      detail: `ENOSPC: no space left on device, write '${path}'`,
      library: ['Object.writeSync (node:fs:925:3)'],
      frames: ['Spool.append (src/storage/spool.js:31:8)'],
    },
  });
}

/** A process short of memory before it is restarted. */
export function outOfMemory(service: Service): Failure {
  return make(service, 503, 'request failed: out of memory', {
    java: {
      type: 'java.lang.OutOfMemoryError',
      detail: 'Java heap space',
      library: ['java.base/java.util.Arrays.copyOf(Arrays.java:3541)'],
      frames: ['cache.ResponseCache.put(ResponseCache.java:77)'],
    },
    node: {
      type: 'RangeError',
      detail: 'Array buffer allocation failed',
      library: ['new ArrayBuffer (<anonymous>)'],
      frames: ['ResponseCache.put (src/cache.js:77:19)'],
    },
  });
}

/** A region whose new configuration points at a credential that does not work. */
export function regionConfigBroken(service: Service, region: string): Failure {
  return make(service, 502, `tax rates lookup failed for region ${region}: 401 Unauthorized`, {
    java: {
      type: 'org.springframework.web.client.HttpClientErrorException$Unauthorized',
      detail: `401 Unauthorized: "invalid api key for tax-${region}"`,
      frames: [
        'tax.TaxClient.rates(TaxClient.java:55)',
        'tax.TaxService.quote(TaxService.java:31)',
      ],
    },
    node: {
      type: 'HTTPError',
      detail: `Response code 401 (Unauthorized) from tax-${region}.internal`,
      library: ['Request._onResponse (/app/node_modules/got/dist/source/core/index.js:960:31)'],
      frames: ['TaxClient.rates (src/tax/client.js:55:11)'],
    },
  });
}

/** A request body the new frontend sends without a field on some browser. */
export function missingPaymentToken(service: Service): Failure {
  return make(service, 500, 'checkout failed: payment token missing', {
    java: {
      type: 'java.lang.NullPointerException',
      detail: 'Cannot invoke "String.length()" because "request.getPaymentToken()" is null',
      frames: ['api.CheckoutController.submit(CheckoutController.java:112)'],
    },
    node: {
      type: 'TypeError',
      detail: "Cannot read properties of undefined (reading 'token')",
      frames: ['submitCheckout (src/routes/checkout.js:112:38)'],
    },
  });
}

/** A service that sheds load: its queue is full. */
export function overloaded(service: Service, waiting: number): Failure {
  return make(service, 503, `request rejected: server overloaded (${waiting} requests waiting)`, {
    java: {
      type: 'java.util.concurrent.RejectedExecutionException',
      detail: `Task rejected from java.util.concurrent.ThreadPoolExecutor[Running, pool size = 200, queued tasks = ${waiting}]`,
      frames: ['web.BoundedExecutor.submit(BoundedExecutor.java:45)'],
    },
    node: {
      type: 'Error',
      detail: 'Service Unavailable - Under pressure',
      library: ['underPressure (/app/node_modules/@fastify/under-pressure/index.js:223:17)'],
      frames: ['guard (src/http/guard.js:18:5)'],
    },
  });
}

/** A dependency check that hangs (kind 9). */
export function dependencyCheckTimeout(service: Service, dependency: string): Failure {
  return make(service, 503, `health check of ${dependency} failed: timeout after 2000ms`, {
    java: {
      type: 'io.lettuce.core.RedisCommandTimeoutException',
      detail: 'Command timed out after 2 second(s)',
      frames: ['health.DependencyHealth.check(DependencyHealth.java:40)'],
    },
    node: {
      type: 'Error',
      detail: `Connection timeout (${dependency}) after 2000ms`,
      frames: ['checkDependency (src/health.js:40:9)'],
    },
  });
}

/** The rare errors of a healthy day. */
export function backgroundFailure(service: Service, rng: Rng): Failure {
  const id = rng.int(10_000, 999_999);
  switch (rng.int(0, 3)) {
    case 0:
      return make(service, 500, `failed to load order ${id}: connection reset by peer`, {
        java: {
          type: 'java.net.SocketException',
          detail: 'Connection reset',
          frames: ['client.OrderClient.load(OrderClient.java:71)'],
        },
        node: {
          type: 'Error',
          detail: 'read ECONNRESET',
          frames: ['OrderClient.load (src/clients/orders.js:71:15)'],
        },
      });
    case 1:
      return make(service, 500, `transaction rolled back for cart ${id}: deadlock detected`, {
        java: {
          type: 'org.springframework.dao.CannotAcquireLockException',
          detail: 'could not execute statement; SQL [n/a]',
          frames: ['repository.CartRepository.save(CartRepository.java:58)'],
          causedBy: 'org.postgresql.util.PSQLException: ERROR: deadlock detected',
        },
        node: {
          type: 'DatabaseError',
          detail: 'deadlock detected',
          frames: ['CartStore.save (src/store/cart.js:58:11)'],
        },
      });
    case 2:
      return make(service, 500, `cache read failed for key session:${id}`, {
        java: {
          type: 'io.lettuce.core.RedisCommandTimeoutException',
          detail: 'Command timed out after 1 second(s)',
          frames: ['cache.SessionCache.get(SessionCache.java:33)'],
        },
        node: {
          type: 'Error',
          detail: 'Command timed out',
          frames: ['SessionCache.get (src/cache/session.js:33:20)'],
        },
      });
    default:
      return make(service, 500, `unexpected error handling request ${id}`, {
        java: {
          type: 'java.lang.IllegalStateException',
          detail: 'Response already committed',
          frames: ['web.ErrorAdvice.handle(ErrorAdvice.java:29)'],
        },
        node: {
          type: 'TypeError',
          detail: "Cannot read properties of undefined (reading 'id')",
          frames: ['serialize (src/http/serialize.js:29:31)'],
        },
      });
  }
}
