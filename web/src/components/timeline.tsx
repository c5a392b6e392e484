/**
 * The incident's log, oldest first, following new entries as they arrive
 * when the reader is at the bottom (and leaving them alone when scrolled up).
 * Every field is rendered as text.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { entryText, KIND_LABELS } from '../entry-text.ts';
import { formatClock, zoneName } from '../time.ts';
import type { TimelineEntry } from '../types.ts';
import type { Connection } from '../use-live-timeline.ts';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  closed: 'disconnected: reload the page',
};

function Entry({ entry, struck }: { entry: TimelineEntry; struck: boolean }) {
  return (
    <li className={`entry kind-${entry.body.kind}${struck ? ' struck' : ''}`} data-seq={entry.seq}>
      <time dateTime={new Date(entry.occurredAt).toISOString()}>
        {formatClock(entry.occurredAt)}
      </time>
      <span className="entry-kind">{KIND_LABELS[entry.body.kind]}</span>
      <span className="entry-text">{entryText(entry)}</span>
      <span className="entry-author">{entry.author}</span>
    </li>
  );
}

export function Timeline({
  entries,
  connection,
}: {
  entries: TimelineEntry[];
  connection: Connection;
}) {
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const struck = new Set(
    entries.flatMap((e) =>
      e.body.kind === 'correction' && e.body.action === 'strike' ? [e.body.target as number] : [],
    ),
  );

  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && atBottom.current && entries.length) element.scrollTop = element.scrollHeight;
  }, [entries]);

  return (
    <section className="timeline card" aria-labelledby="timeline-title">
      <div className="section-head">
        <h2 id="timeline-title">Timeline</h2>
        <span className={`connection connection-${connection}`} role="status">
          {CONNECTION_TEXT[connection]}
        </span>
      </div>
      <p className="muted small">Times in {zoneName}.</p>
      <ol
        ref={list}
        className="entries"
        aria-live="polite"
        aria-label="Timeline entries"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, so the keyboard must reach it
        tabIndex={0}
      >
        {entries.map((entry) => (
          <Entry key={entry.seq} entry={entry} struck={struck.has(entry.seq)} />
        ))}
      </ol>
    </section>
  );
}
