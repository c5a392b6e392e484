/**
 * The incident's log, oldest first, following new entries as they arrive
 * when the reader is at the bottom (and leaving them alone when scrolled up).
 * Only the entries in view (and a few around them) are in the page, so a log
 * of thousands opens and scrolls as fast as a short one. Every field is
 * rendered as text. A struck entry is shown struck through; an amended one
 * shows its latest text, marked "amended" (the correction is in the log too).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type Ref, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { entryText, KIND_LABELS } from '../entry-text.ts';
import { formatClock, zoneName } from '../time.ts';
import { collectCorrections, isCorrectable, type TimelineEntry } from '../types.ts';
import type { Connection } from '../use-live-timeline.ts';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  closed: 'disconnected: reload the page',
};
/** A one-line entry's height; each is measured once shown. */
const ESTIMATED_ROW_PX = 38;
/** Entries kept in the page beyond each edge of the view. */
const OVERSCAN = 20;

interface EntryProps {
  entry: TimelineEntry;
  struck: boolean;
  /** The latest amended text, if any. */
  amended: string | undefined;
  /** Offers a correction when given (a writer, an entry a person wrote). */
  onCorrect: ((entry: TimelineEntry) => void) | undefined;
  index: number;
  start: number;
  ref: Ref<HTMLLIElement>;
}

/** The entry's line with `text` in place of what it said: "To support: <text>". */
function amendedText(entry: TimelineEntry, text: string): string {
  return 'text' in entry.body
    ? entryText({ ...entry, body: { ...entry.body, text } } as TimelineEntry)
    : text;
}

/** Memoized: a new entry renders itself, not the ones before it. */
const Entry = memo(function Entry({
  entry,
  struck,
  amended,
  onCorrect,
  index,
  start,
  ref,
}: EntryProps) {
  const correctable = onCorrect && !struck && isCorrectable(entry.body.kind);
  return (
    <li
      ref={ref}
      data-index={index}
      data-seq={entry.seq}
      className={`entry kind-${entry.body.kind}${struck ? ' struck' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
    >
      <time dateTime={new Date(entry.occurredAt).toISOString()}>
        {formatClock(entry.occurredAt)}
      </time>
      <span className="entry-kind">{KIND_LABELS[entry.body.kind]}</span>
      <span className="entry-text">
        {amended === undefined ? entryText(entry) : amendedText(entry, amended)}
        {struck && <span className="visually-hidden"> (struck)</span>}
        {amended !== undefined && !struck && <span className="entry-mark"> amended</span>}
      </span>
      <span className="entry-author">{entry.author}</span>
      {correctable && (
        <button
          type="button"
          className="link entry-correct"
          aria-label={`Correct entry #${entry.seq}`}
          onClick={() => onCorrect(entry)}
        >
          Correct
        </button>
      )}
    </li>
  );
});

export function Timeline({
  entries,
  connection,
  onCorrect,
}: {
  entries: TimelineEntry[];
  connection: Connection;
  /** Stable (a memoized entry re-renders when it changes). */
  onCorrect?: (entry: TimelineEntry) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN,
    getItemKey: (index) => entries[index]?.seq ?? index,
  });
  const corrections = useMemo(() => collectCorrections(entries), [entries]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    if (atBottom.current && entries.length)
      virtualizer.scrollToIndex(entries.length - 1, { align: 'end' });
  }, [entries, virtualizer]);

  return (
    <section className="timeline card" aria-labelledby="timeline-title">
      <div className="section-head">
        <h2 id="timeline-title">Timeline</h2>
        <span className={`connection connection-${connection}`} role="status">
          {CONNECTION_TEXT[connection]}
        </span>
      </div>
      <p className="muted small">
        Times in {zoneName}. {entries.length.toLocaleString('en')}{' '}
        {entries.length === 1 ? 'entry' : 'entries'}.
      </p>
      <div
        ref={scroller}
        className={onCorrect ? 'entries correcting' : 'entries'}
        role="log"
        aria-label="Timeline entries"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, so the keyboard must reach it
        tabIndex={0}
      >
        <ol style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const entry = entries[row.index];
            if (!entry) return null;
            const corrected = corrections.get(entry.seq);
            return (
              <Entry
                key={row.key}
                ref={virtualizer.measureElement}
                entry={entry}
                struck={corrected?.struck !== undefined}
                amended={corrected?.amendments.at(-1)?.text}
                onCorrect={onCorrect}
                index={row.index}
                start={row.start}
              />
            );
          })}
        </ol>
      </div>
    </section>
  );
}
