import { UserError } from '../errors.js';
import type { EntrySeq, EpochMs } from '../ids.js';

/**
 * Follow-ups of a review, after the background reading's "be a force for
 * change": prevent the cause, detect it sooner, mitigate it faster, or change a
 * process (mandatory testing, code review, restricted access).
 */
export const ACTION_ITEM_KINDS = ['prevent', 'detect', 'mitigate', 'process'] as const;
export type ActionItemKind = (typeof ACTION_ITEM_KINDS)[number];

export const ACTION_ITEM_PRIORITIES = ['p1', 'p2', 'p3'] as const;
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** What a person sets on an action item. */
export interface ActionItemFields {
  title: string;
  kind: ActionItemKind;
  priority: ActionItemPriority;
  status: ActionItemStatus;
  owner?: string;
  /** A calendar date, YYYY-MM-DD: due by the end of that day. */
  due?: string;
  /** Where the work is tracked: an issue or a pull request. */
  link?: string;
}

export interface ActionItem extends ActionItemFields {
  /** 1-based within the incident; shown as A1, A2, ... */
  number: number;
  /** The entry that added it. */
  seq: EntrySeq;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** An item still to be done. */
export function isOpenActionItem(item: Pick<ActionItem, 'status'>): boolean {
  return item.status === 'open' || item.status === 'in_progress';
}

/** Overdue on `today` (YYYY-MM-DD in the team's zone): open and due before today. */
export function isOverdue(item: ActionItem, today: string): boolean {
  return isOpenActionItem(item) && item.due !== undefined && item.due < today;
}

function parseOneOf<T extends string>(what: string, values: readonly T[], input: string): T {
  const normalized = input.trim().toLowerCase().replace(/[- ]/g, '_');
  const found = values.find((value) => value === normalized);
  if (!found) throw new UserError(`unknown ${what} "${input}"; use one of ${values.join(', ')}`);
  return found;
}

export const parseActionItemKind = (input: string) =>
  parseOneOf('action item kind', ACTION_ITEM_KINDS, input);
export const parseActionItemPriority = (input: string) =>
  parseOneOf('priority', ACTION_ITEM_PRIORITIES, input);
export const parseActionItemStatus = (input: string) =>
  parseOneOf('action item status', ACTION_ITEM_STATUSES, input);

/** A due date as YYYY-MM-DD, checked to be a real day. */
export function parseDueDate(input: string): string {
  const text = input.trim();
  // A real day round-trips through Date; 2026-02-30 comes back as March 2.
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  const real = !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
  if (!real) {
    throw new UserError(`"${input}" is not a due date; use YYYY-MM-DD, e.g. 2026-12-01`);
  }
  return text;
}

export function parseActionItemRef(input: string): number {
  const match = /^a?(\d{1,6})$/i.exec(input.trim());
  if (!match?.[1] || Number(match[1]) === 0) {
    throw new UserError(`"${input}" is not an action item; use its number as shown, e.g. A2`);
  }
  return Number(match[1]);
}

export function findActionItem(
  items: readonly ActionItem[],
  number: number,
  key: string,
): ActionItem {
  const item = items.find((candidate) => candidate.number === number);
  if (!item) {
    throw new UserError(
      `${key} has no action item A${number}; ${items.length ? `it has A1-A${items.length}` : 'add one with `calm action add`'}`,
      'not_found',
    );
  }
  return item;
}
