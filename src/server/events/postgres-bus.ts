import pg from 'pg';
import { LocalBus, type TimelineBus, type TimelineNotice } from './bus.js';

const CHANNEL = 'calm_timeline';

/**
 * The bus across instances on one PostgreSQL: a notice is a NOTIFY, and every
 * instance (this one included) hears it on a connection that LISTENs. If that
 * connection drops it is opened again, and streams catch up from the store.
 */
export async function openPostgresBus(url: string): Promise<TimelineBus> {
  const local = new LocalBus();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  let listener: pg.Client | undefined;
  let closed = false;

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    client.on('end', () => {
      if (!closed) setTimeout(() => listen().catch(() => {}), 500);
    });
    client.on('notification', (message) => {
      try {
        const notice = JSON.parse(message.payload ?? '') as TimelineNotice;
        void local.publish(notice);
      } catch {
        // not ours
      }
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  }
  await listen();

  return {
    async publish(notice) {
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(notice)]);
    },
    subscribe: (fn) => local.subscribe(fn),
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end().catch(() => {});
      await local.close();
    },
  };
}
