/**
 * The other fields of a structured line, read when asked: the analysis
 * compares them (which inputs fail) for failing events and a sample of the
 * rest only, so the reader keeps the line (`LogEvent.raw`) rather than
 * building an object per event that nobody reads.
 */
import type { LogEvent } from '../event.js';
import { collectExtraFields, type FieldValue } from './fields.js';
import { logfmt } from './logfmt.js';

export type { FieldValue };

/** The fields of a JSON or logfmt line that no event field took; undefined when none. */
export function extraFields(raw: string): Record<string, FieldValue> | undefined {
  const out: Record<string, FieldValue> = Object.create(null);
  let i = 0;
  while (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9) i++;
  if (raw.charCodeAt(i) === 123) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    collectExtraFields(parsed as Record<string, unknown>, out);
  } else logfmt(raw, i, out);
  for (const _ in out) return out;
  return undefined;
}

/** An event's other fields: those it carries, else those of its line. */
export function fieldsOf(event: LogEvent): Record<string, FieldValue> | undefined {
  return event.fields ?? (event.raw === undefined ? undefined : extraFields(event.raw));
}
