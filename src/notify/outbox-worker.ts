/**
 * Delivers the outbox: claims due messages under a lease, hands each to its
 * channel, and marks it delivered, or failed with a later attempt (backoff
 * doubling from 5 s to at most 10 min), or parked after the last attempt.
 * With the defaults a receiver may be down for about 90 minutes before a
 * message parks, and a parked one is retried by hand (`calm notifications
 * retry`). Several workers (server instances) share one outbox: a claim is
 * exclusive until it is marked or its lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../app/context.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { Notification } from '../core/notification/notification.js';
import type { OutboxMessage, OutboxStore } from '../store/outbox-store.js';
import { deliver } from './channels/delivery.js';

export interface OutboxWorkerOptions {
  outbox: OutboxStore;
  channels: ChannelConfig[];
  clock: Clock;
  /** Attempts before a message parks. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claim is held: longer than one delivery can take. */
  leaseMs?: number;
  batch?: number;
  /** How often an idle worker looks for work another instance queued. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export interface RoundResult {
  delivered: number;
  failed: number;
  parked: number;
}

export class OutboxWorker {
  readonly id = `worker-${randomUUID()}`;
  private readonly options: Required<Omit<OutboxWorkerOptions, 'onError'>> &
    Pick<OutboxWorkerOptions, 'onError'>;
  private running?: Promise<void>;
  private stopped = false;
  private wakeUp?: () => void;

  constructor(options: OutboxWorkerOptions) {
    this.options = {
      maxAttempts: 15,
      baseDelayMs: 5_000,
      maxDelayMs: 10 * 60_000,
      leaseMs: 60_000,
      batch: 20,
      pollMs: 1_000,
      ...options,
    };
  }

  /** When attempt `n` (1, 2 ...) failed: the next try, or undefined to park. */
  retryAt(attempt: number, now: number): number | undefined {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.options;
    if (attempt >= maxAttempts) return undefined;
    return now + Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  }

  /** Delivers what is due now, until nothing is; returns what happened. */
  async runOnce(): Promise<RoundResult> {
    const result: RoundResult = { delivered: 0, failed: 0, parked: 0 };
    for (;;) {
      const { outbox, clock, leaseMs, batch } = this.options;
      const claimed = await outbox.claim(this.id, clock.now(), leaseMs, batch);
      if (!claimed.length) return result;
      await Promise.all(claimed.map((message) => this.attempt(message, result)));
    }
  }

  private async attempt(message: OutboxMessage, result: RoundResult): Promise<void> {
    const { outbox, clock, channels } = this.options;
    const channel = channels.find((c) => c.name === message.destination);
    try {
      if (!channel)
        throw new Error(`no channel "${message.destination}" in the config; add it, then retry`);
      await deliver(channel, {
        id: message.id,
        eventKey: message.eventKey,
        notification: message.message as Notification,
        now: clock.now(),
      });
      await outbox.delivered(message.id, clock.now());
      result.delivered++;
    } catch (error) {
      const retryAt = channel ? this.retryAt(message.attempts + 1, clock.now()) : undefined;
      await outbox.failed(message.id, (error as Error).message ?? String(error), retryAt);
      if (retryAt === undefined) result.parked++;
      else result.failed++;
    }
  }

  /** Runs rounds until stopped, sleeping until woken or the poll interval passes. */
  start(): void {
    if (this.running) return;
    this.running = (async () => {
      while (!this.stopped) {
        try {
          await this.runOnce();
        } catch (error) {
          this.options.onError?.(error);
        }
        if (this.stopped) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    })();
  }

  /** New messages were queued here: deliver them now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }
}
