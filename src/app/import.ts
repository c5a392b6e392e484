/**
 * `calm import` and POST /api/import: an exported incident written into this
 * store, under a new id (keys of two stores collide), with its whole timeline.
 *
 * Lossless means: exporting the imported incident gives the file it came from,
 * except for the incident's id and key (`incident.id`, `incident.key` and each
 * entry's `incidentId`). Every entry keeps its number, kind, body (every field,
 * in the same order), author, occurredAt and recordedAt; the state is the same
 * fold of the same entries, so the action items, the postmortem's sections and
 * status, the cause chain and the milestones are the same, and so is anything
 * drawn from them (the postmortem's Markdown). `origin.key`, the key the incident
 * was first declared under, travels with it through every store.
 *
 * Importing a timeline already imported into this store is refused as a
 * duplicate, naming the incident it became (a digest of its entries is kept
 * with its provenance); importing into the store it was exported from makes a
 * copy, since that store never imported it. Nothing is written unless the whole
 * file is valid: the schema (incident-file.ts), entries numbered 1..n without a
 * gap, a state that is the fold of those entries.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { UserError } from '../core/errors.js';
import { formatIncidentKey } from '../core/ids.js';
import { type IncidentState, replayTimeline } from '../core/incident/incident.js';
import type { TimelineEntry } from '../core/timeline/entry.js';
import { AlreadyImportedError, AlreadyRecordedError } from '../store/store.js';
import type { AppContext } from './context.js';
import { type IncidentFile, incidentFileSchema } from './incident-file.js';
import { recorded, writeOptions } from './run-command.js';

const HOW = 'export one with `calm export INC-3 --format json`';

export interface ImportResult {
  state: IncidentState;
  entries: TimelineEntry[];
  /** The key it was first declared under. */
  originKey: string;
  replayed?: boolean;
}

/** The file's text as JSON, or a one-line reason it is not. */
export function parseIncidentJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${name} is not JSON (${(error as Error).message.split('\n')[0]}): the file is truncated or not an export; ${HOW}`,
    );
  }
}

/** Checks the file against the schema, and answers it as given (fields in their own order). */
export function checkIncidentFile(value: unknown): IncidentFile {
  const checked = incidentFileSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new UserError(
      `not a Calm incident export: ${where}${issue?.message ?? 'invalid'}; ${HOW}`,
    );
  }
  // The schema has no transforms: the input is what it checked, with its fields' order kept.
  const file = value as IncidentFile;
  file.entries.forEach((entry, index) => {
    if (entry.seq !== index + 1)
      throw new UserError(
        `entry #${index + 1} is missing from the file (found #${entry.seq}): it is truncated or edited; ${HOW}`,
      );
    if (entry.incidentId !== file.incident.id)
      throw new UserError(
        `entry #${entry.seq} belongs to incident ${entry.incidentId}, not ${file.incident.key}; ${HOW}`,
      );
  });
  if (file.incident.version !== file.entries.length)
    throw new UserError(
      `${file.incident.key} is at version ${file.incident.version} but the file holds ${file.entries.length} entries: it is truncated or edited; ${HOW}`,
    );
  return file;
}

/** The timeline under another id, and its state, which must be the one the file states. */
function retimeline(file: IncidentFile, id: IncidentState['id']) {
  const entries = file.entries.map((entry) => ({ ...entry, incidentId: id }) as TimelineEntry);
  let state: IncidentState | undefined;
  try {
    state = replayTimeline(entries);
  } catch (error) {
    throw new UserError(`the timeline does not replay: ${(error as Error).message}; ${HOW}`);
  }
  if (!state) throw new UserError(`the file has no entries; ${HOW}`);
  return { entries, state };
}

function assertSameState(file: IncidentFile, state: IncidentState) {
  const normalized = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
  for (const [field, value] of Object.entries(file.incident)) {
    if (field === 'id' || field === 'key') continue;
    if (!isDeepStrictEqual(value, normalized[field]))
      throw new UserError(
        `the file's incident (${field}) is not what its timeline says: the file was edited; ${HOW}`,
      );
  }
}

/** The same entries hash the same wherever they come from: the incident id is left out. */
export function timelineDigest(entries: readonly IncidentFile['entries'][number][]): string {
  const hash = createHash('sha256');
  for (const { incidentId: _, ...rest } of entries) hash.update(`${JSON.stringify(rest)}\n`);
  return hash.digest('hex');
}

export async function importIncident(
  ctx: AppContext,
  value: unknown,
  options: { allowPersonal: boolean },
): Promise<ImportResult> {
  const file = checkIncidentFile(value);
  const originKey = file.origin?.key ?? file.incident.key;
  const first = file.entries[0]?.body;
  if (first?.kind === 'declared' && first.personal && !options.allowPersonal)
    throw new UserError(
      `${originKey} is a personal incident: it stays on its engineer's machine; import it with calm import there, without CALM_URL`,
      'forbidden',
    );
  assertSameState(file, retimeline(file, file.incident.id as IncidentState['id']).state);
  // Imported history tells nobody: its news was sent, if ever, where it happened.
  const { outbox: _, ...write } = await writeOptions(ctx);
  let entries: TimelineEntry[] = [];
  try {
    const state = await ctx.store.importIncident(
      (id) => {
        const built = retimeline(file, id);
        entries = built.entries;
        return built;
      },
      { originKey, digest: timelineDigest(file.entries) },
      write,
    );
    return { state, entries, originKey };
  } catch (error) {
    if (error instanceof AlreadyRecordedError)
      return { ...(await recorded(ctx, error)), originKey };
    if (error instanceof AlreadyImportedError)
      throw new UserError(
        `${originKey} was already imported here as ${formatIncidentKey(error.incidentId)}; nothing written (see \`calm show ${formatIncidentKey(error.incidentId)}\`)`,
        'conflict',
      );
    throw error;
  }
}
