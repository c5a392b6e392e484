import type { Clock } from '../app/context.js';
import type { AlertsConfig } from '../core/alerts/config.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { BlameOptions } from '../core/review/blame.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import type { AccountStore } from '../store/account-store.js';
import type { AlertStore } from '../store/alert-store.js';
import type { AnalysisStore } from '../store/analysis-store.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { StatusPageStore } from '../store/status-page-store.js';
import type { IncidentStore } from '../store/store.js';
import type { TimelineBus } from './events/bus.js';

/** What the routes run with; tests build it around a store of their own. */
export interface ServerDeps {
  incidents: IncidentStore;
  accounts: AccountStore;
  framework(): Promise<SeverityFramework>;
  /** The notification outbox, and where its messages go. */
  outbox?: OutboxStore;
  channels?(): Promise<ChannelConfig[]>;
  /** The public status page's components and public titles; without it, /status says so. */
  statusPage?: StatusPageStore;
  /** Woken after a write that may have queued notifications (the outbox worker). */
  notifier?: { wake(): void };
  /** Inbound alerts: the config file's `alerts:` section (none: the endpoints refuse) and their store. */
  alerts?: { config(): Promise<AlertsConfig | undefined>; store: AlertStore };
  /**
   * Saved log analyses (the Evidence page): their store, the upload limit in bytes
   * (256 MiB when not given), and the worker threads that read large uploads.
   */
  analyses?: {
    store: AnalysisStore;
    uploadBytes?: number;
    workers?: { script: URL; count: number };
  };
  /** The team's word lists for the blameless linter (the config file's `review.blame`). */
  blame?: Pick<BlameOptions, 'words' | 'allow'>;
  /** The config file's other `review:` settings: the stage review's gap threshold. */
  review?: { gapMinutes?: number };
  clock: Clock;
  /** Tells live timelines (this instance's and, on PostgreSQL, the others') of new entries. */
  bus: TimelineBus;
  /** Cookies marked Secure: the server is reached over TLS (directly or behind a proxy). */
  secureCookies: boolean;
  /** Login attempts per address per minute. */
  loginAttemptsPerMinute: number;
}
