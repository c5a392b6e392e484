import type { EpochMs } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import type { AnalysisStore } from '../store/analysis-store.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { IncidentStore } from '../store/store.js';

export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => Date.now() as EpochMs };

/** What every use case runs with: where incidents live, the team's rules, the time, and who acts. */
export interface AppContext {
  store: IncidentStore;
  /** Loaded on first use: most commands never need it. */
  framework(): Promise<SeverityFramework>;
  /** The notification outbox, where the store has one. */
  outbox?: OutboxStore;
  /** Saved log analyses (whole reports), where the store has them. */
  analyses?: AnalysisStore;
  /** Where notifications go (the config file's channels); none when absent. */
  channels?(): Promise<ChannelConfig[]>;
  clock: Clock;
  author: string;
  /**
   * The request's Idempotency-Key, when it has one (the server sets it): the
   * change is recorded once, and a retry is answered with what was recorded.
   */
  idempotency?: { scope: string; key: string };
  /**
   * Who made the change and how (the server sets it): an audit line written
   * in the same transaction as the change.
   */
  audit?: { actor: string; action: string; sourceIp: string; via: string };
  /**
   * A check of the state the change is decided on, which throws to refuse it
   * (the server's If-Match): made on the very state the change builds on.
   */
  precondition?: (state: IncidentState) => void;
}
