/**
 * The notification outbox, for the people who make sure messages arrive:
 * what is pending, delivered or parked (with the last error), and retrying a
 * parked message once its receiver is fixed.
 */
import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import type { OutboxStore } from '../../store/outbox-store.js';
import { recordAudit } from '../audit.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { idParams, LIMITS } from '../schemas.js';

const OUTBOX_STATUSES = ['pending', 'delivered', 'parked'] as const;

export function notificationRoutes(deps: ServerDeps): AnyRoute[] {
  const outbox = (): OutboxStore => {
    if (!deps.outbox) throw new UserError('this server keeps no outbox', 'not_found');
    return deps.outbox;
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/notifications',
      role: 'viewer',
      tag: 'notifications',
      summary: 'Notifications, newest first: pending, delivered or parked, with the last error',
      query: z.object({
        status: z.enum(OUTBOX_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(LIMITS.page).default(100),
      }),
      handler: async ({ query }) => ({ items: await outbox().list(query) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/notifications/:id/retry',
      role: 'responder',
      tag: 'notifications',
      summary: 'Put a parked notification back in the queue, due now',
      params: idParams,
      async handler({ params, caller }) {
        if (!(await outbox().retry(params.id, deps.clock.now())))
          throw new UserError(
            `there is no parked notification ${params.id}; see GET /api/notifications?status=parked`,
            'not_found',
          );
        await recordAudit(deps, caller, 'notification.retry', `notification:${params.id}`);
        deps.notifier?.wake();
        return { id: params.id, status: 'pending' };
      },
    }),
  ];
}
