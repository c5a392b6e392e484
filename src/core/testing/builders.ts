/**
 * Test-only builders for timelines and incident states, shared by the
 * `*.test.ts` files under src/core. Nothing in the product imports this.
 */
import { type EntrySeq, type EpochMs, entrySeq, epochMs, incidentId } from '../ids.js';
import type { Change } from '../incident/commands.js';
import { applyEntry, type IncidentState, replayTimeline } from '../incident/incident.js';
import type { EntryBody, TimelineEntry } from '../timeline/entry.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** When the incidents in these tests are declared: 2026-03-14 14:00 UTC. */
export const T0: EpochMs = epochMs(Date.UTC(2026, 2, 14, 14, 0));

/** The instant `minutes` after T0 (negative: before it). */
export const atMinute = (minutes: number): EpochMs => epochMs(T0 + minutes * MINUTE);

export interface EntryOptions {
  /** Defaults to one minute per entry after T0: entry #1 at T0, #2 at T0+1m, ... */
  occurredAt?: number;
  author?: string;
  incident?: number;
}

export function entry(seq: number, body: EntryBody, options: EntryOptions = {}): TimelineEntry {
  const occurredAt = epochMs(options.occurredAt ?? T0 + (seq - 1) * MINUTE);
  return {
    incidentId: incidentId(options.incident ?? 7),
    seq: entrySeq(seq),
    occurredAt,
    recordedAt: occurredAt,
    author: options.author ?? 'alice',
    body,
  };
}

export function declared(
  overrides: Partial<Extract<EntryBody, { kind: 'declared' }>> = {},
): EntryBody {
  return {
    kind: 'declared',
    title: 'Checkout returns 500',
    summary: 'card payments fail',
    services: ['checkout'],
    ...overrides,
  };
}

export const note = (text = 'checkout returns 500 since 14:02'): EntryBody => ({
  kind: 'note',
  text,
});

export const strike = (target: number, reason = 'wrong incident'): EntryBody => ({
  kind: 'correction',
  target: entrySeq(target),
  action: 'strike',
  reason,
});

export const amend = (target: number, text: string, reason = 'typo'): EntryBody => ({
  kind: 'correction',
  target: entrySeq(target),
  action: 'amend',
  text,
  reason,
});

/** A body, or a body with the minute (after T0) it happened at. */
export type Step = EntryBody | { body: EntryBody; at: number };

/** Numbers the steps 1, 2, 3, ... in order. */
export function timeline(...steps: Step[]): TimelineEntry[] {
  return steps.map((step, index) =>
    'kind' in step
      ? entry(index + 1, step)
      : entry(index + 1, step.body, { occurredAt: atMinute(step.at) }),
  );
}

/** The state of an incident declared at T0 whose log then holds `steps`. */
export function incident(...steps: Step[]): IncidentState {
  const state = replayTimeline(timeline(declared(), ...steps));
  if (!state) throw new Error('a timeline with a declared entry always has a state');
  return state;
}

/** Appends what a command decided, as the app layer would, and returns the new state. */
export function applyChanges(
  state: IncidentState,
  changes: readonly Change[],
  occurredAt: number = state.lastEntryAt + MINUTE,
): IncidentState {
  return changes.reduce(
    (current, change, index) =>
      applyEntry(
        current,
        entry(current.version + 1, change.body, {
          occurredAt: change.occurredAt ?? occurredAt + index,
        }),
      ),
    state,
  );
}

export const seq = (n: number): EntrySeq => entrySeq(n);
