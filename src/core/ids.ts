import { UserError } from './errors.js';

declare const brand: unique symbol;
/** A nominal type: a number or string that cannot be mixed up with another of the same shape. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Milliseconds since the Unix epoch, always UTC. */
export type EpochMs = Brand<number, 'EpochMs'>;
/** The store's number for an incident; shown to people as `INC-<n>`. */
export type IncidentId = Brand<number, 'IncidentId'>;
/** An entry's position in its incident's timeline, 1-based; shown as `#<n>`. */
export type EntrySeq = Brand<number, 'EntrySeq'>;

export const epochMs = (ms: number): EpochMs => ms as EpochMs;
export const incidentId = (n: number): IncidentId => n as IncidentId;
export const entrySeq = (n: number): EntrySeq => n as EntrySeq;

export const INCIDENT_PREFIX = 'INC-';

export function formatIncidentKey(id: IncidentId): string {
  return `${INCIDENT_PREFIX}${id}`;
}

/** Accepts `INC-12`, `inc-12` and `12`. */
export function parseIncidentKey(input: string): IncidentId {
  const match = /^(?:inc-)?(\d{1,9})$/i.exec(input.trim());
  if (!match?.[1] || Number(match[1]) === 0) {
    throw new UserError(
      `"${input}" is not an incident id; use the form INC-12 (see \`calm list\`)`,
      'invalid',
    );
  }
  return incidentId(Number(match[1]));
}

/** Accepts `#7` and `7`. */
export function parseEntrySeq(input: string): EntrySeq {
  const match = /^#?(\d{1,9})$/.exec(input.trim());
  if (!match?.[1] || Number(match[1]) === 0) {
    throw new UserError(
      `"${input}" is not a timeline entry number; use the number shown by \`calm show\`, e.g. 7 or #7`,
    );
  }
  return entrySeq(Number(match[1]));
}
