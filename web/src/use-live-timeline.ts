/**
 * The incident's timeline, live: an EventSource on the server's SSE stream,
 * which sends every entry and then each new one as it is written. After a
 * dropped connection the browser reconnects with Last-Event-ID, so nothing
 * is missed; entries are kept by number, so nothing shows twice.
 */
import { useEffect, useState } from 'react';
import type { TimelineEntry } from './types.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export function useLiveTimeline(
  incidentKey: string,
  onEntries: () => void,
): { entries: TimelineEntry[]; connection: Connection } {
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');

  useEffect(() => {
    const source = new EventSource(`/api/incidents/${incidentKey}/events`);
    let pending: TimelineEntry[] = [];
    let frame = 0;
    // entries arrive in bursts (the whole log on connect): applied once per frame
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setEntries((old) => {
        const last = old.at(-1)?.seq ?? 0;
        const fresh = batch.filter((entry) => entry.seq > last);
        return fresh.length ? [...old, ...fresh] : old;
      });
      onEntries();
    };
    source.addEventListener('entry', (event) => {
      pending.push(JSON.parse((event as MessageEvent<string>).data) as TimelineEntry);
      frame ||= requestAnimationFrame(flush);
    });
    source.onopen = () => setConnection('live');
    source.onerror = () =>
      setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    return () => {
      cancelAnimationFrame(frame);
      source.close();
    };
  }, [incidentKey, onEntries]);

  return { entries, connection };
}
