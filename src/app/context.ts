import type { EpochMs } from '../core/ids.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { SeverityFramework } from '../core/severity/framework.js';
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
  /** Where notifications go (the config file's channels); none when absent. */
  channels?(): Promise<ChannelConfig[]>;
  clock: Clock;
  author: string;
  /**
   * The request's Idempotency-Key, when it has one (the server sets it): the
   * change is recorded once, and a retry is answered with what was recorded.
   */
  idempotency?: { scope: string; key: string };
}
