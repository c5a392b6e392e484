import { localClock, localDate } from '../../core/local-time.js';
import { collectCorrections } from '../../core/timeline/corrections.js';
import { chronological, describeBody } from '../../core/timeline/describe.js';
import { KIND_LABELS, type TimelineEntry } from '../../core/timeline/entry.js';

const BACKDATED_MS = 60_000;

/**
 * The readable timeline: a date line whenever the day changes, then one line
 * per entry with its number, local time, kind, author and words. Backdated
 * entries say when they were logged; struck and amended ones say so.
 */
export function renderTimeline(entries: readonly TimelineEntry[]): string {
  const corrections = collectCorrections(entries);
  const lines: string[] = [];
  const seqWidth = String(entries.length).length + 1;
  let day = '';
  for (const entry of chronological(entries)) {
    const date = localDate(entry.occurredAt);
    if (date !== day) {
      lines.push(`${day ? '\n' : ''}${date}`);
      day = date;
    }
    const view = corrections.get(entry.seq);
    const label = KIND_LABELS[entry.body.kind].padEnd(10);
    let text = describeBody(entry.body, view);
    if (view?.struck) text = `[struck in #${view.struck.by}: ${view.struck.reason}] ${text}`;
    else if (view?.amendments.length) text += ` [amended in #${view.amendments.at(-1)?.by}]`;
    if (entry.recordedAt - entry.occurredAt > BACKDATED_MS)
      text += ` (logged ${localClock(entry.recordedAt)})`;
    lines.push(
      `  ${`#${entry.seq}`.padStart(seqWidth)}  ${localClock(entry.occurredAt)}  ${label} ${entry.author}: ${text}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
