/**
 * The team server as a Fastify instance: security headers, cookies, a body
 * limit, login rate limiting, one error shape, and the routes. Tests call it
 * in-process with `inject()`; `calm serve` listens on a port (serve.ts).
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerDeps } from './deps.js';
import { errorBody, handleError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { type AnyRoute, registerRoute } from './route.js';
import { accountRoutes } from './routes/accounts.js';
import { actionItemRoutes } from './routes/action-items.js';
import { alertRoutes, registerWebhookRoute } from './routes/alerts.js';
import { analysisRoutes, registerUploadRoute } from './routes/analyses.js';
import { eventRoutes } from './routes/events.js';
import { importRoutes } from './routes/import.js';
import { incidentRoutes } from './routes/incidents.js';
import { insightsRoutes } from './routes/insights.js';
import { notificationRoutes } from './routes/notifications.js';
import { postmortemRoutes } from './routes/postmortem.js';
import { reviewRoutes } from './routes/review.js';
import { severityRoutes } from './routes/severity.js';
import { statusPageRoutes } from './routes/status-page.js';
import { statusPageAdminRoutes } from './routes/status-page-admin.js';
import { statusUpdateRoutes } from './routes/status-updates.js';
import { LIMITS } from './schemas.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerWebApp } from './web-app.js';

export const VERSION = '0.1.0';

export async function buildServer(
  deps: ServerDeps,
  /** webRoot: the built web app (dist/web), served at `/`; without it `/` says how to build it. */
  options: { logger?: boolean; webRoot?: string } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: LIMITS.bodyBytes,
    // behind a proxy the client's address comes from X-Forwarded-For (the audit log records it)
    trustProxy: true,
  });
  await registerSecurityHeaders(app, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          'not_found',
          `no route ${request.method} ${request.url.split('?')[0]}; see /api/openapi.json`,
        ),
      ),
  );

  const events = eventRoutes(deps);
  app.addHook('preClose', async () => events.endAll());
  const routes: AnyRoute[] = [
    ...accountRoutes(deps),
    ...incidentRoutes(deps),
    ...severityRoutes(deps),
    ...notificationRoutes(deps),
    ...statusPageRoutes(deps),
    ...statusPageAdminRoutes(deps),
    ...statusUpdateRoutes(deps),
    ...reviewRoutes(deps),
    ...postmortemRoutes(deps),
    ...insightsRoutes(deps),
    ...importRoutes(deps),
    ...actionItemRoutes(deps),
    ...alertRoutes(deps),
    ...analysisRoutes(deps),
    ...events.routes,
  ];
  for (const spec of routes) {
    if (spec.url === '/api/session' && spec.method === 'POST') {
      // login attempts are limited per address, so passwords cannot be guessed at speed
      app.register(async (scope) => {
        await scope.register(rateLimit, {
          max: deps.loginAttemptsPerMinute,
          timeWindow: 60_000,
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            ...errorBody(
              'rate_limited',
              `too many login attempts; wait ${Math.ceil(context.ttl / 1000)} s`,
            ),
          }),
        });
        registerRoute(scope, deps, spec);
      });
    } else if (spec.role === 'webhook') registerWebhookRoute(app, deps, spec);
    else if (spec.upload) registerUploadRoute(app, deps, spec);
    else registerRoute(app, deps, spec);
  }
  const document = openApiDocument(routes, VERSION);
  app.get('/api/openapi.json', async () => document);
  app.get('/api/health', async () => ({ ok: true }));
  registerWebApp(app, options.webRoot);
  return app;
}
