/**
 * The live timeline (GET /api/incidents/KEY/events, server-sent events) read
 * over a real socket as a browser's EventSource would: frames parsed as they
 * arrive, Last-Event-ID sent on reconnection.
 */
import { request } from 'node:http';

export interface StreamedEntry {
  seq: number;
  /** The event's id, which a reconnecting client sends back as Last-Event-ID. */
  id: string;
  text: string | undefined;
}

export interface TimelineStream {
  /** Entries in the order they arrived. */
  received: StreamedEntry[];
  /** Resolves once `count` entries have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens GET /api/incidents/KEY/events and resolves once the server has answered 200. */
export function followTimeline(
  url: string,
  token: string,
  key: string,
  lastEventId?: string,
): Promise<TimelineStream> {
  const received: StreamedEntry[] = [];
  const waiters = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/incidents/${key}/events`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`events: ${response.statusCode}`));
        response.resume();
        return;
      }
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        const frames = buffered.split('\n\n');
        buffered = frames.pop() ?? '';
        for (const frame of frames) {
          const entry = parseFrame(frame);
          if (entry) received.push(entry);
        }
        for (const wake of waiters) wake();
      });
      response.on('error', () => {});
      resolve({
        received,
        waitFor: (count, timeoutMs = 10_000) => waitForCount(received, waiters, count, timeoutMs),
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/** An `entry` event as the route writes it; comments (heartbeats) and other events are skipped. */
function parseFrame(frame: string): StreamedEntry | undefined {
  const fields = new Map<string, string>();
  for (const line of frame.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const data = fields.get('data');
  if (fields.get('event') !== 'entry' || data === undefined) return undefined;
  const entry = JSON.parse(data) as { seq: number; body: { text?: string } };
  return { seq: entry.seq, id: fields.get('id') ?? '', text: entry.body.text };
}

function waitForCount(
  received: StreamedEntry[],
  waiters: Set<() => void>,
  count: number,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (received.length < count) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`expected ${count} live entries, got ${received.length}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
}
