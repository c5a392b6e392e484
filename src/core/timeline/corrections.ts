import type { EntrySeq } from '../ids.js';
import type { TimelineEntry } from './entry.js';

/** How an entry reads once later corrections are taken into account. */
export interface CorrectedView {
  struck?: { by: EntrySeq; reason: string };
  amendments: { by: EntrySeq; text: string; reason: string }[];
}

/** Collects, per target entry, the corrections made to it later. */
export function collectCorrections(
  entries: readonly TimelineEntry[],
): Map<EntrySeq, CorrectedView> {
  const views = new Map<EntrySeq, CorrectedView>();
  for (const entry of entries) {
    const body = entry.body;
    if (body.kind !== 'correction') continue;
    const view = views.get(body.target) ?? { amendments: [] };
    if (body.action === 'strike') view.struck = { by: entry.seq, reason: body.reason };
    else view.amendments.push({ by: entry.seq, text: body.text ?? '', reason: body.reason });
    views.set(body.target, view);
  }
  return views;
}

/** The text an entry shows now: the latest amendment, else its own. */
export function currentText(original: string, view: CorrectedView | undefined): string {
  const latest = view?.amendments.at(-1);
  return latest ? latest.text : original;
}
