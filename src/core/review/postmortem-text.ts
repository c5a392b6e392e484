/** What the postmortem drafts are written from, and the small helpers that write them. */
import type { EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';
import { collectCorrections, currentText } from '../timeline/corrections.js';
import type { TimelineEntry } from '../timeline/entry.js';
import type { StageReview } from './stages.js';

export interface DraftContext {
  state: IncidentState;
  entries: readonly TimelineEntry[];
  stages: StageReview;
  level: SeverityLevel | undefined;
  clock: (at: EpochMs) => string;
}

export const prompt = (text: string) => `_${text}_`;
export const sentence = (text: string) =>
  /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const paragraphs = (...parts: (string | false | undefined)[]) =>
  parts.filter(Boolean).join('\n\n');
export const list = (items: string[]) => items.map((item) => `- ${item}`).join('\n');

/** Written entries of some kinds, as they read now, struck ones left out, in time order. */
export function writtenEntries(ctx: DraftContext, kinds: readonly string[]) {
  const corrections = collectCorrections(ctx.entries);
  return [...ctx.entries]
    .filter((e) => kinds.includes(e.body.kind) && !corrections.get(e.seq)?.struck)
    .sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq)
    .map((e) => ({
      entry: e,
      text: 'text' in e.body && e.body.text ? currentText(e.body.text, corrections.get(e.seq)) : '',
    }));
}

export function stageMs(ctx: DraftContext, stage: string) {
  return ctx.stages.stages.find((s) => s.stage === stage)?.ms;
}
