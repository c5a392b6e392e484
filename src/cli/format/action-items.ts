/** Action items as the CLI prints them: one line on a change, a table for a list. */
import type { ActionItemRow } from '../../app/action-items.js';
import type { ActionItem, ActionItemFields } from '../../core/review/action-item.js';

const STATUS_WORDS: Record<ActionItem['status'], string> = {
  open: 'open',
  in_progress: 'in progress',
  done: 'done',
  wont_do: "won't do",
};

/** "owner bob, due 2026-04-01": the fields a change set, in words. */
export function describeFields(fields: Partial<ActionItemFields>): string {
  const parts: string[] = [];
  if (fields.title !== undefined) parts.push(`title "${fields.title}"`);
  if (fields.kind !== undefined) parts.push(fields.kind);
  if (fields.priority !== undefined) parts.push(fields.priority);
  if (fields.status !== undefined) parts.push(STATUS_WORDS[fields.status]);
  if (fields.owner !== undefined) parts.push(`owner ${fields.owner}`);
  if (fields.due !== undefined) parts.push(`due ${fields.due}`);
  if (fields.link !== undefined) parts.push(fields.link);
  return parts.join(', ');
}

const HEADER = ['ITEM', 'PRI', 'KIND', 'STATUS', 'OWNER', 'DUE', 'TITLE'];

/**
 * A table in the order given; an overdue item's due day says so. Each row
 * names its incident, unless the list is of one incident's items.
 */
export function actionItemTable(rows: readonly ActionItemRow[], oneIncident = false): string {
  const cells = rows.map(({ incident, item, overdue }) => [
    oneIncident ? `A${item.number}` : `${incident.key} A${item.number}`,
    item.priority,
    item.kind,
    STATUS_WORDS[item.status],
    item.owner ?? '-',
    item.due ? `${item.due}${overdue ? ' OVERDUE' : ''}` : '-',
    item.title,
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  const overdue = rows.filter((row) => row.overdue).length;
  const open = rows.filter((row) => ['open', 'in_progress'].includes(row.item.status)).length;
  return [
    line(HEADER),
    ...cells.map(line),
    '',
    `${rows.length} item${rows.length === 1 ? '' : 's'}, ${open} open, ${overdue} overdue.`,
  ].join('\n');
}
