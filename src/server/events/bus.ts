/**
 * Wake-ups for live timelines. A notice says only "incident N has entries up
 * to seq S"; each stream then reads the entries after the last one it sent
 * from the store. So a notice that is lost, late or doubled can neither drop
 * nor repeat an entry, and streams on other instances learn of writes
 * through PostgreSQL's LISTEN/NOTIFY (postgres-bus.ts) in the same way.
 */
import { EventEmitter } from 'node:events';

export interface TimelineNotice {
  incidentId: number;
  seq: number;
}

export interface TimelineBus {
  publish(notice: TimelineNotice): Promise<void>;
  subscribe(listener: (notice: TimelineNotice) => void): () => void;
  close(): Promise<void>;
}

/** One process: the SQLite server, or the local half of the PostgreSQL bus. */
export class LocalBus implements TimelineBus {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  async publish(notice: TimelineNotice): Promise<void> {
    this.#emitter.emit('notice', notice);
  }

  subscribe(listener: (notice: TimelineNotice) => void): () => void {
    this.#emitter.on('notice', listener);
    return () => this.#emitter.off('notice', listener);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}
