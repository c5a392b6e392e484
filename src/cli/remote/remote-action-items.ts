/**
 * Action items over the team server's API, for the remote incident service:
 * each call is one request to the route that runs the same use case there.
 * Whether an item is overdue is the server's answer, on its today.
 */
import type { ActionItemFilter, ActionItemRow } from '../../app/action-items.js';
import type { IncidentService } from '../../app/incident-service.js';
import type { CommandResult } from '../../app/run-command.js';
import { formatIncidentKey, type IncidentId } from '../../core/ids.js';
import type { IncidentState } from '../../core/incident/incident.js';
import type { TimelineEntry } from '../../core/timeline/entry.js';
import type { ApiClient } from './api-client.js';

type ActionItemCalls = Pick<
  IncidentService,
  'addActionItem' | 'changeActionItem' | 'listActionItems' | 'listActionItemsAcross'
>;

interface Written {
  incident: IncidentState;
  entries: TimelineEntry[];
}

const queryOf = (filter: ActionItemFilter = {}) => ({
  status: filter.status,
  overdue: filter.overdue ? 'true' : undefined,
  owner: filter.owner,
});

export function remoteActionItems(api: ApiClient): ActionItemCalls {
  const path = (id: IncidentId, rest = '') =>
    `/api/incidents/${formatIncidentKey(id)}/action-items${rest}`;
  const result = (written: Written): CommandResult => ({
    state: written.incident,
    entries: written.entries,
  });
  return {
    addActionItem: async (id, input, at) =>
      result(
        await api.request<Written>({ method: 'POST', path: path(id), body: { ...input, at } }),
      ),
    changeActionItem: async (id, number, fields, reason) =>
      result(
        await api.request<Written>({
          method: 'PATCH',
          path: path(id, `/${number}`),
          body: { ...fields, reason },
        }),
      ),
    listActionItems: async (id, filter) =>
      (await api.request<{ items: ActionItemRow[] }>({ path: path(id), query: queryOf(filter) }))
        .items,
    listActionItemsAcross: async (filter) =>
      (
        await api.request<{ items: ActionItemRow[] }>({
          path: '/api/action-items',
          query: queryOf(filter),
        })
      ).items,
  };
}
