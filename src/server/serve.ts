/**
 * `calm serve` and `npm start`: the team server on a port, with the store it
 * is given (SQLite in the data folder, or PostgreSQL), until SIGTERM or
 * SIGINT, when it stops taking requests, finishes those in flight, closes
 * the store and exits 0.
 */
import { availableParallelism } from 'node:os';
import { queueActionItemReminders } from '../app/action-item-reminders.js';
import { systemClock } from '../app/context.js';
import { queueReminders } from '../app/notifications.js';
import type { AlertsConfig } from '../core/alerts/config.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import { OutboxWorker } from '../notify/outbox-worker.js';
import { openStoreSet } from '../store/open.js';
import { buildServer } from './app.js';
import { LocalBus, type TimelineBus } from './events/bus.js';

/** How often reminders of due updates are looked for. */
const REMINDER_SWEEP_MS = 60_000;
/** How often overdue action items are looked for: their reminders are daily, minutes late is on time. */
const ACTION_ITEM_SWEEP_MS = 10 * 60_000;

export interface ServeOptions {
  host: string;
  port: number;
  sqlitePath: string;
  databaseUrl?: string;
  framework(): Promise<SeverityFramework>;
  /** Where notifications go; with none, no outbox worker runs. */
  channels?: ChannelConfig[];
  /** Inbound alerts (the config file's `alerts:`); without it the alert endpoints refuse all. */
  alerts?: AlertsConfig;
  /**
   * How long a claimed notification stays another worker's before it is tried
   * again (60 s when not given): after a crash, what was in flight is resent
   * once this runs out, with the same delivery id.
   */
  outboxLeaseMs?: number;
  /** The team's word lists for the blameless linter. */
  blame?: { words: string[]; allow: string[] };
  /** Silences in the log longer than this show in the stage review (minutes). */
  gapMinutes?: number;
  secureCookies: boolean;
  loginAttemptsPerMinute?: number;
  /** The built web app to serve at `/` (dist/web); see web-app.ts. */
  webRoot?: string;
  /** The entry script analysis worker threads start from (large uploads are read in them). */
  analyzeScript?: URL;
  /** The Evidence page's upload limit in MiB (256 when not given). */
  uploadMb?: number;
  log(line: string): void;
}

export async function serve(options: ServeOptions) {
  const stores = await openStoreSet(options);
  let bus: TimelineBus = new LocalBus();
  if (options.databaseUrl) {
    const { openPostgresBus } = await import('./events/postgres-bus.js');
    bus = await openPostgresBus(options.databaseUrl);
  }
  const channels = options.channels ?? [];
  const worker = channels.length
    ? new OutboxWorker({
        outbox: stores.outbox,
        channels,
        clock: systemClock,
        ...(options.outboxLeaseMs ? { leaseMs: options.outboxLeaseMs } : {}),
        onError: (error) => options.log(`outbox: ${(error as Error).message}`),
      })
    : undefined;
  const app = await buildServer(
    {
      incidents: stores.incidents,
      accounts: stores.accounts,
      outbox: stores.outbox,
      statusPage: stores.statusPage,
      analyses: {
        store: stores.analyses,
        ...(options.uploadMb ? { uploadBytes: options.uploadMb * 1024 * 1024 } : {}),
        ...(options.analyzeScript
          ? { workers: { script: options.analyzeScript, count: availableParallelism() } }
          : {}),
      },
      framework: options.framework,
      channels: async () => channels,
      alerts: { config: async () => options.alerts, store: stores.alerts },
      notifier: worker,
      ...(options.blame ? { blame: options.blame } : {}),
      ...(options.gapMinutes !== undefined ? { review: { gapMinutes: options.gapMinutes } } : {}),
      clock: { now: () => Date.now() as never },
      bus,
      secureCookies: options.secureCookies,
      loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10,
    },
    options.webRoot ? { webRoot: options.webRoot } : {},
  );
  // Asked before listening, so that no await separates printing the URL from returning: the
  // caller installs its SIGTERM handler on return, before the server can answer any request.
  const noAccounts = (await stores.accounts.countUsers()) === 0;
  const address = await app.listen({ host: options.host, port: options.port });
  const where = stores.engine === 'postgres' ? 'PostgreSQL' : options.sqlitePath;
  options.log(`Calm is serving ${address} (store: ${where})`);
  if (noAccounts)
    options.log(
      'No accounts yet. Create the first admin (password on stdin):\n  echo "a long password" | calm user add admin --role admin',
    );
  worker?.start();
  // Reminders of updates due and of overdue action items: every instance sweeps; the outbox
  // keeps one of each (a reminder's key names what it is about and when).
  let actionItemsSweptAt = 0;
  const sweep = async () => {
    const now = systemClock.now();
    let queued = await queueReminders({
      incidents: stores.incidents,
      outbox: stores.outbox,
      framework: await options.framework(),
      channels,
      now,
    });
    if (now - actionItemsSweptAt >= ACTION_ITEM_SWEEP_MS) {
      actionItemsSweptAt = now;
      queued += await queueActionItemReminders({
        incidents: stores.incidents,
        outbox: stores.outbox,
        channels,
        now,
      });
    }
    if (queued) worker?.wake();
  };
  const sweeper = worker
    ? setInterval(() => {
        sweep().catch((error) => options.log(`reminders: ${(error as Error).message}`));
      }, REMINDER_SWEEP_MS)
    : undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(sweeper);
      await app.close();
      await worker?.stop();
      await bus.close();
      await stores.close();
    })();
    return stopping;
  };
  return { url: address, stop };
}
