/**
 * Action items: added and changed as entries of their incident's log, listed
 * for one incident or across all of them.
 *
 * Across incidents the items are read from the incidents' kept states
 * (`listIncidents`), not from a table of their own: the state already holds
 * each incident's items, folded from its log, so a second copy would have to
 * be kept in step with every write and would add nothing a scan of a team's
 * incidents (hundreds to a few thousand snapshots) cannot answer in time.
 */
import type { EpochMs, IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import { localDate } from '../core/local-time.js';
import {
  type ActionItem,
  type ActionItemFields,
  type ActionItemStatus,
  isOverdue,
} from '../core/review/action-item.js';
import {
  addActionItem as decideAdd,
  changeActionItem as decideChange,
  type NewActionItem,
} from '../core/review/action-item-commands.js';
import type { IncidentStore } from '../store/store.js';
import type { AppContext, Clock } from './context.js';
import { requireIncident, runIncidentCommand } from './run-command.js';

/** An item with the incident it follows up on, and whether it is overdue today. */
export interface ActionItemRow {
  incident: Pick<IncidentState, 'key' | 'title' | 'status' | 'severity'>;
  item: ActionItem;
  overdue: boolean;
}

export interface ActionItemFilter {
  /** Only items in these statuses. */
  status?: ActionItemStatus[];
  /** Only overdue items: open or in progress and due before today. */
  overdue?: boolean;
  /** Only this owner's items (case-insensitive). */
  owner?: string;
}

/**
 * Today in the team's zone: the zone Calm runs in (TZ), the same zone every
 * local time it shows is in. A due day ends at midnight there.
 */
export const teamToday = (clock: Clock): string => localDate(clock.now());

export const addActionItem = (
  ctx: AppContext,
  id: IncidentId,
  input: NewActionItem,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, (state) => decideAdd(state, input), at);

export const changeActionItem = (
  ctx: AppContext,
  id: IncidentId,
  number: number,
  fields: Partial<ActionItemFields>,
  reason?: string,
) => runIncidentCommand(ctx, id, (state) => decideChange(state, number, fields, reason));

const PRIORITY_ORDER = { p1: 0, p2: 1, p3: 2 } as const;

/** Overdue first, then by due day (none last), priority, incident and number. */
function byUrgency(a: ActionItemRow, b: ActionItemRow): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    (a.item.due ?? '9999').localeCompare(b.item.due ?? '9999') ||
    PRIORITY_ORDER[a.item.priority] - PRIORITY_ORDER[b.item.priority] ||
    a.incident.key.localeCompare(b.incident.key, 'en', { numeric: true }) ||
    a.item.number - b.item.number
  );
}

/** The rows of the given incidents' items that pass the filter, most urgent first. */
export function actionItemRows(
  states: readonly IncidentState[],
  filter: ActionItemFilter,
  today: string,
): ActionItemRow[] {
  const owner = filter.owner?.trim().toLowerCase();
  const rows: ActionItemRow[] = [];
  for (const state of states) {
    const incident = {
      key: state.key,
      title: state.title,
      status: state.status,
      severity: state.severity,
    };
    for (const item of state.actionItems) {
      const overdue = isOverdue(item, today);
      if (filter.status?.length && !filter.status.includes(item.status)) continue;
      if (filter.overdue && !overdue) continue;
      if (owner !== undefined && item.owner?.toLowerCase() !== owner) continue;
      rows.push({ incident, item, overdue });
    }
  }
  return rows.sort(byUrgency);
}

/** One incident's items, in the order they were added. */
export async function listActionItems(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  id: IncidentId,
  filter: ActionItemFilter = {},
): Promise<ActionItemRow[]> {
  const state = await requireIncident(ctx, id);
  return actionItemRows([state], filter, teamToday(ctx.clock)).sort(
    (a, b) => a.item.number - b.item.number,
  );
}

const PAGE = 1000;

/** Every incident that has action items, newest first, read page by page. */
export async function incidentsWithActionItems(store: IncidentStore): Promise<IncidentState[]> {
  const out: IncidentState[] = [];
  let after: { declaredAt: number; id: number } | undefined;
  for (;;) {
    const page = await store.listIncidents({ limit: PAGE, ...(after ? { after } : {}) });
    out.push(...page.filter((state) => state.actionItems.length > 0));
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return out;
    after = { declaredAt: last.milestones.declared ?? last.lastEntryAt, id: last.id };
  }
}

/** Items across all incidents that pass the filter, most urgent first. */
export async function listActionItemsAcross(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  filter: ActionItemFilter = {},
): Promise<ActionItemRow[]> {
  return actionItemRows(await incidentsWithActionItems(ctx.store), filter, teamToday(ctx.clock));
}
