import { UserError } from '../errors.js';
import type { EntrySeq, EpochMs } from '../ids.js';

export const HYPOTHESIS_STATUSES = ['proposed', 'testing', 'eliminated', 'confirmed'] as const;
export type HypothesisStatus = (typeof HYPOTHESIS_STATUSES)[number];

/** Each move of a hypothesis, kept with its reason: the record of why a cause was ruled out. */
export interface HypothesisMove {
  status: HypothesisStatus;
  reason?: string;
  at: EpochMs;
  seq: EntrySeq;
}

export interface Hypothesis {
  /** 1-based within the incident; shown as H1, H2, ... */
  number: number;
  statement: string;
  status: HypothesisStatus;
  moves: HypothesisMove[];
}

/**
 * proposed -> testing -> eliminated | confirmed. A hypothesis may be decided
 * without a test, and new evidence may reopen it (eliminated or confirmed ->
 * testing), always with a reason.
 */
const MOVES: Readonly<Record<HypothesisStatus, readonly HypothesisStatus[]>> = {
  proposed: ['testing', 'eliminated', 'confirmed'],
  testing: ['eliminated', 'confirmed'],
  eliminated: ['testing'],
  confirmed: ['testing'],
};

export function assertHypothesisMove(hypothesis: Hypothesis, to: HypothesisStatus): void {
  if (MOVES[hypothesis.status].includes(to)) return;
  throw new UserError(
    `H${hypothesis.number} is ${hypothesis.status} and cannot become ${to}; from ${hypothesis.status} it can become ${MOVES[hypothesis.status].join(' or ')}`,
    'illegal_transition',
  );
}

/**
 * A reason is required where the log must say why: eliminating, confirming,
 * and reopening a decided hypothesis.
 */
export function reasonRequired(from: HypothesisStatus, to: HypothesisStatus): boolean {
  return to === 'eliminated' || to === 'confirmed' || from === 'eliminated' || from === 'confirmed';
}

export function parseHypothesisRef(input: string): number {
  const match = /^h?(\d{1,6})$/i.exec(input.trim());
  if (!match?.[1] || Number(match[1]) === 0) {
    throw new UserError(`"${input}" is not a hypothesis; use its number as shown, e.g. H2`);
  }
  return Number(match[1]);
}
