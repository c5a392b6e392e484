/**
 * Inbound alerts: Prometheus Alertmanager's webhook receiver and Grafana's
 * webhook contact point post here (POST /api/alerts/alertmanager,
 * /api/alerts/grafana). A sender is an alert source of the config file, known
 * by its own bearer token or HMAC signature (auth/alert-sender.ts), not an
 * account. The use case is app/alerts.ts. Every accepted notification is
 * answered 200, flood or not, so that a sender never re-sends it forever.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { receiveAlerts } from '../../app/alerts.js';
import type { AlertSourceType } from '../../core/alerts/config.js';
import {
  alertNotificationSchema,
  groupKeyOf,
  normalizeAlerts,
} from '../../core/alerts/notification.js';
import { UserError } from '../../core/errors.js';
import { verifyAlertSender } from '../auth/alert-sender.js';
import type { ServerDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import { type AnyRoute, defineRoute, registerRoute } from '../route.js';
import { LIMITS } from '../schemas.js';

/** Requests a minute per address on webhook routes, before any credential is checked. */
export const WEBHOOK_REQUESTS_PER_MINUTE = 600;

/** The raw body, kept for the signature check until the sender is known. */
const RAW_BODY = Symbol('raw body');
type WithRawBody = FastifyRequest & { [RAW_BODY]?: Buffer };

const outcomeSchema = z.object({
  incident: z.string().nullable(),
  opened: z.boolean(),
  flood: z.boolean(),
  logged: z.number(),
  duplicates: z.number(),
  unmatched: z.number(),
});

/**
 * Registers a webhook route in a scope of its own: JSON bodies are kept raw
 * (the signature covers the bytes sent) and parsed once the sender is known,
 * so that nobody without the credential learns anything from the body's
 * validation; and requests are limited per address.
 */
export function registerWebhookRoute(app: FastifyInstance, deps: ServerDeps, spec: AnyRoute) {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: LIMITS.bodyBytes },
      (request, body, done) => {
        (request as WithRawBody)[RAW_BODY] = body as Buffer;
        done(null, undefined);
      },
    );
    await scope.register(rateLimit, {
      max: WEBHOOK_REQUESTS_PER_MINUTE,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        ...errorBody(
          'rate_limited',
          `more than ${WEBHOOK_REQUESTS_PER_MINUTE} alert requests a minute from this address; wait ${Math.ceil(context.ttl / 1000)} s`,
        ),
      }),
    });
    registerRoute(scope, deps, spec);
  });
}

/** Runs work one at a time per key, in the order asked. */
function serialPerKey() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

export function alertRoutes(deps: ServerDeps): AnyRoute[] {
  // One notification of a source at a time in this process, so that two do not race for
  // one group here (on other instances, the store's keys settle it).
  const oneAtATime = serialPerKey();

  const route = (type: AlertSourceType, summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/alerts/${type}`,
      role: 'webhook',
      tag: 'alerts',
      summary,
      body: alertNotificationSchema,
      response: outcomeSchema,
      async verifySender(request) {
        const config = await deps.alerts?.config();
        const raw = (request as WithRawBody)[RAW_BODY] ?? Buffer.alloc(0);
        const source = verifyAlertSender(
          config?.sources ?? [],
          type,
          request.headers,
          raw,
          deps.clock.now(),
        );
        try {
          request.body = JSON.parse(raw.toString('utf8'));
        } catch (error) {
          throw new UserError(
            `the body is not JSON (${(error as Error).message}); send the ${type} webhook payload`,
          );
        }
        return source.name;
      },
      async handler({ body, caller }) {
        const intake = deps.alerts;
        const config = await intake?.config();
        const source = config?.sources.find((s) => s.name === caller.sender);
        if (!intake || !config || !source) throw new Error('verifySender named no source');
        const alerts = normalizeAlerts(body);
        if (typeof alerts === 'string') throw new UserError(`${alerts}; send RFC 3339 times`);
        const groupKey = groupKeyOf(body);
        const outcome = await oneAtATime(source.name, () =>
          receiveAlerts(
            {
              store: deps.incidents,
              framework: deps.framework,
              ...(deps.channels ? { channels: deps.channels } : {}),
              clock: deps.clock,
              author: `alerts:${source.name}`,
              // the audit line goes in each write's own transaction, as for every other change
              audit: {
                actor: `alerts:${source.name}`,
                action: 'alerts.receive',
                sourceIp: caller.ip,
                via: 'webhook',
              },
              alertStore: intake.store,
              alertsConfig: config,
            },
            source,
            groupKey,
            body.groupLabels,
            alerts,
          ),
        );
        for (const written of outcome.written)
          await deps.bus.publish({ incidentId: written.id, seq: written.version });
        if (outcome.written.length) deps.notifier?.wake();
        const { written: _, ...answer } = outcome;
        return answer;
      },
    });

  return [
    route(
      'alertmanager',
      "Prometheus Alertmanager's webhook: opens an incident per alert group, or logs to its open one",
    ),
    route(
      'grafana',
      "Grafana alerting's webhook contact point: opens an incident per alert group, or logs to its open one",
    ),
  ];
}
