/**
 * The decisions about action items: adding one and changing one, each
 * answered with the entries to append (as in incident/commands.ts). Items may
 * be added at any time, during the incident too ("we should alert on this"),
 * and outlive it: a closed incident's follow-ups are still worked on.
 */
import { UserError } from '../errors.js';
import type { Change } from '../incident/commands.js';
import type { IncidentState } from '../incident/incident.js';
import {
  type ActionItemFields,
  type ActionItemKind,
  type ActionItemPriority,
  findActionItem,
  parseDueDate,
} from './action-item.js';

/** As long as an incident's title: an item is a line in a table, its detail lives at its link. */
export const ACTION_ITEM_TITLE_MAX = 300;

export interface NewActionItem {
  title: string;
  /**
   * Defaults to `prevent`: most follow-ups are about not having the incident
   * again, and a note taken mid-incident should not wait on a classification;
   * the review corrects it with `calm action update A1 --kind detect`.
   */
  kind?: ActionItemKind;
  /** Defaults to p2: p1 is a decision someone makes, not a default. */
  priority?: ActionItemPriority;
  owner?: string;
  due?: string;
  link?: string;
}

function requireTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed)
    throw new UserError(
      'the action item has no title; say what will change, e.g. calm action add "alert on queue depth"',
    );
  if (trimmed.length > ACTION_ITEM_TITLE_MAX)
    throw new UserError(
      `the action item's title has ${trimmed.length} characters; keep it under ${ACTION_ITEM_TITLE_MAX} and put the detail behind --link`,
    );
  return trimmed;
}

function requireOwner(owner: string): string {
  const trimmed = owner.trim();
  if (!trimmed) throw new UserError('the owner is empty; name a person or team, e.g. --owner bob');
  if (trimmed.length > 100)
    throw new UserError('the owner is a name: keep it under 100 characters');
  return trimmed;
}

/** Where the work is tracked: an http(s) address of an issue or pull request. */
export function parseLink(input: string): string {
  const text = input.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || text.length > 2000)
    throw new UserError(
      `"${input}" is not a link; give the issue's address, e.g. https://tracker.example/ISSUE-12`,
    );
  return text;
}

/** The checked value of each field given; fields not given stay out. */
function normalize(fields: Partial<ActionItemFields>): Partial<ActionItemFields> {
  const out: Partial<ActionItemFields> = {};
  if (fields.title !== undefined) out.title = requireTitle(fields.title);
  if (fields.kind !== undefined) out.kind = fields.kind;
  if (fields.priority !== undefined) out.priority = fields.priority;
  if (fields.status !== undefined) out.status = fields.status;
  if (fields.owner !== undefined) out.owner = requireOwner(fields.owner);
  if (fields.due !== undefined) out.due = parseDueDate(fields.due);
  if (fields.link !== undefined) out.link = parseLink(fields.link);
  return out;
}

export function addActionItem(state: IncidentState, input: NewActionItem): Change[] {
  const given = normalize(input);
  const item: ActionItemFields = {
    title: requireTitle(input.title),
    kind: given.kind ?? 'prevent',
    priority: given.priority ?? 'p2',
    status: 'open',
    ...(given.owner !== undefined ? { owner: given.owner } : {}),
    ...(given.due !== undefined ? { due: given.due } : {}),
    ...(given.link !== undefined ? { link: given.link } : {}),
  };
  // max + 1 rather than length + 1: numbers stay unique even if items ever leave the list
  const number = Math.max(0, ...state.actionItems.map((existing) => existing.number)) + 1;
  return [{ body: { kind: 'action_item', number, item } }];
}

const FIELD_FLAGS: Record<keyof ActionItemFields, string> = {
  title: '--title',
  kind: '--kind',
  priority: '--priority',
  status: '--status',
  owner: '--owner',
  due: '--due',
  link: '--link',
};

/**
 * A change to item `number`: only the fields that differ are recorded, so
 * the log says what changed. Dropping an item (wont_do) needs a reason: the
 * review should show why a follow-up was not done, not just that it vanished.
 */
export function changeActionItem(
  state: IncidentState,
  number: number,
  fields: Partial<ActionItemFields>,
  reason?: string,
): Change[] {
  const item = findActionItem(state.actionItems, number, state.key);
  const given = normalize(fields);
  const changes: Partial<ActionItemFields> = {};
  for (const [field, value] of Object.entries(given) as [keyof ActionItemFields, string][])
    if (item[field] !== value) Object.assign(changes, { [field]: value });
  if (!Object.keys(changes).length) {
    const asked = Object.keys(given) as (keyof ActionItemFields)[];
    throw new UserError(
      asked.length
        ? `A${number} of ${state.key} already has ${asked.map((field) => `${field} ${item[field]}`).join(', ')}; nothing to change`
        : `nothing to change on A${number}; give ${Object.values(FIELD_FLAGS).join(', ')}`,
      asked.length ? 'conflict' : 'invalid',
    );
  }
  const why = reason?.trim();
  if (changes.status === 'wont_do' && !why)
    throw new UserError(
      `say why A${number} will not be done: add --reason "..." (the review keeps why a follow-up was dropped)`,
    );
  return [
    {
      body: {
        kind: 'action_item_changed',
        number,
        changes,
        ...(why ? { reason: why } : {}),
      },
    },
  ];
}
