/**
 * The postmortem over the team server's API, for the remote incident service.
 * The server drafts it (in its zone, with its config's gap threshold and word
 * lists, unless a gap is asked for); Markdown and HTML come from it as text.
 */
import type { IncidentService } from '../../app/incident-service.js';
import type { CommandResult } from '../../app/run-command.js';
import { formatIncidentKey, type IncidentId } from '../../core/ids.js';
import type { IncidentState } from '../../core/incident/incident.js';
import type { PostmortemModel } from '../../core/review/postmortem.js';
import type { StageReview } from '../../core/review/stages.js';
import type { TimelineEntry } from '../../core/timeline/entry.js';
import type { ApiClient } from './api-client.js';

type PostmortemCalls = Pick<
  IncidentService,
  | 'draftPostmortem'
  | 'renderPostmortem'
  | 'incidentStages'
  | 'writePostmortemSection'
  | 'completePostmortem'
  | 'reopenPostmortem'
>;

interface Written {
  incident: IncidentState;
  entries: TimelineEntry[];
}

export function remotePostmortem(api: ApiClient): PostmortemCalls {
  const path = (id: IncidentId, rest = '') => `/api/incidents/${formatIncidentKey(id)}${rest}`;
  const result = (written: Written): CommandResult => ({
    state: written.incident,
    entries: written.entries,
  });
  const gap = (settings: { gapMinutes?: number } = {}) => ({ gapMinutes: settings.gapMinutes });
  return {
    draftPostmortem: (id, settings) =>
      api.request<PostmortemModel>({ path: path(id, '/postmortem'), query: gap(settings) }),
    renderPostmortem: (id, format, settings) =>
      api.request<string>({
        path: path(id, '/postmortem'),
        query: { format, ...gap(settings) },
        text: true,
      }),
    incidentStages: (id, settings) =>
      api.request<{ incident: string; stages: StageReview }>({
        path: path(id, '/stages'),
        query: gap(settings),
      }),
    writePostmortemSection: async (id, section, text) =>
      result(
        await api.request<Written>({
          method: 'PUT',
          path: path(id, `/postmortem/sections/${encodeURIComponent(section)}`),
          body: { text },
        }),
      ),
    completePostmortem: async (id) =>
      result(
        await api.request<Written>({ method: 'POST', path: path(id, '/postmortem/complete') }),
      ),
    reopenPostmortem: async (id, reason) =>
      result(
        await api.request<Written>({
          method: 'POST',
          path: path(id, '/postmortem/reopen'),
          body: { reason },
        }),
      ),
  };
}
