import type { Command } from 'commander';
import { Option } from 'commander';
import { UserError } from '../../core/errors.js';
import { localDateTime } from '../../core/local-time.js';
import type { OutboxMessage } from '../../store/outbox-store.js';
import { queueOverdueReminders } from './action-items.js';
import { examples, type GetContext, jsonOption } from './shared.js';

function describe(message: OutboxMessage): string {
  const subject = (message.message as { subject?: string }).subject ?? message.eventKey;
  const when =
    message.status === 'delivered' && message.deliveredAt !== null
      ? `delivered ${localDateTime(message.deliveredAt)}`
      : message.status === 'parked'
        ? `parked after ${message.attempts} attempts: ${message.lastError ?? ''}`
        : message.attempts
          ? `attempt ${message.attempts + 1} at ${localDateTime(message.nextAttemptAt)} (last: ${message.lastError ?? ''})`
          : 'queued';
  return `#${message.id}  ${message.status.padEnd(9)} ${message.destination}: ${subject}\n      ${when}`;
}

export function registerNotificationCommands(program: Command, context: GetContext): void {
  const notifications = examples(
    program
      .command('notifications')
      .description('the notification outbox: what was sent where, what waits, what parked')
      .addOption(
        new Option('--status <status>', 'only these').choices(['pending', 'delivered', 'parked']),
      )
      .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 50)
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        await queueOverdueReminders(ctx);
        const list = await (await ctx.incidents()).listNotifications({
          status: opts.status,
          limit: opts.limit,
        });
        if (opts.json) return ctx.json(list);
        ctx.print(
          list.length
            ? list.map(describe).join('\n')
            : 'No notifications. Channels are set in the config file (channels:).',
        );
      }),
    ['calm notifications', 'calm notifications --status parked'],
  );
  examples(
    notifications
      .command('retry')
      .description('send a parked notification again, once its receiver is fixed')
      .argument('<id>', 'its number in `calm notifications`, e.g. 12')
      .action(async (ref: string) => {
        const ctx = context();
        const id = Number(ref.replace(/^#/, ''));
        if (!Number.isInteger(id) || id <= 0)
          throw new UserError(`"${ref}" is not a notification number; see \`calm notifications\``);
        if (!(await (await ctx.incidents()).retryNotification(id)))
          throw new UserError(
            `there is no parked notification #${id}; see \`calm notifications --status parked\``,
            'not_found',
          );
        ctx.print(`#${id} is queued again.`);
      }),
    ['calm notifications retry 12'],
  );
}
