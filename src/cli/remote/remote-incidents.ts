/**
 * The incident service over the team server's API: each use case is one
 * request to the route that runs the same use case there, as the token's
 * account. The current incident is this client's own (a small file in the
 * data folder, per server), since on a server each person works on their own.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncidentExport } from '../../app/export.js';
import type { IncidentService } from '../../app/incident-service.js';
import { ACTIVE_STATUSES, chooseIncident } from '../../app/incidents.js';
import type { InsightsReport, RelatedIncidents } from '../../app/insights.js';
import type { CommandResult } from '../../app/run-command.js';
import type { UpdateDraft } from '../../core/communication/composer.js';
import { UserError } from '../../core/errors.js';
import { formatIncidentKey, type IncidentId } from '../../core/ids.js';
import type { IncidentState } from '../../core/incident/incident.js';
import { type Assessment, assessSeverity } from '../../core/severity/assessment.js';
import type { SeverityFramework } from '../../core/severity/framework.js';
import type { TimelineEntry } from '../../core/timeline/entry.js';
import type { OutboxMessage } from '../../store/outbox-store.js';
import type { IncidentFilter } from '../../store/store.js';
import type { ApiClient } from './api-client.js';
import { remoteActionItems } from './remote-action-items.js';
import { remoteAnalyses } from './remote-analyses.js';
import { remotePostmortem } from './remote-postmortem.js';

/** The API's page size limit: lists and timelines come in pages this big. */
const PAGE = 500;
const CURRENT_FILE = 'remote-current.json';

interface Written {
  incident: IncidentState;
  entries: TimelineEntry[];
  assessment?: Assessment;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Which incident is current, per server URL, in the data folder. */
class CurrentIncident {
  constructor(
    private readonly home: string,
    private readonly server: string,
  ) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(join(this.home, CURRENT_FILE), 'utf8'));
    } catch {
      return {};
    }
  }

  get(): string | undefined {
    return this.read()[this.server];
  }

  set(key: string): void {
    mkdirSync(this.home, { recursive: true });
    const all = { ...this.read(), [this.server]: key };
    writeFileSync(join(this.home, CURRENT_FILE), `${JSON.stringify(all, null, 2)}\n`);
  }
}

export function remoteIncidents(api: ApiClient, home: string): IncidentService {
  const current = new CurrentIncident(home, api.base.origin + api.base.pathname);
  const path = (id: IncidentId, rest = '') => `/api/incidents/${formatIncidentKey(id)}${rest}`;
  const result = (written: Written): CommandResult => ({
    state: written.incident,
    entries: written.entries,
  });
  /** A write to one incident's sub-resource, answered with its state and new entries. */
  const post = async (id: IncidentId, rest: string, body: object) =>
    result(await api.request<Written>({ method: 'POST', path: path(id, rest), body }));
  let loaded: Promise<SeverityFramework> | undefined;
  const framework = () => {
    loaded ??= api.request<SeverityFramework>({ path: '/api/severity-framework' });
    return loaded;
  };

  async function listIncidents(filter: IncidentFilter): Promise<IncidentState[]> {
    const wanted = filter.limit ?? Number.POSITIVE_INFINITY;
    const items: IncidentState[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.request<Page<IncidentState>>({
        path: '/api/incidents',
        query: {
          status: filter.status,
          severity: filter.severity,
          service: filter.service,
          q: filter.text,
          since: filter.since,
          until: filter.until,
          limit: Math.min(PAGE, wanted - items.length),
          cursor,
        },
      });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && items.length < wanted);
    return items;
  }

  const requireIncident = (id: IncidentId) => api.request<IncidentState>({ path: path(id) });

  return {
    framework,
    resolveIncidentId: (ref) =>
      chooseIncident(ref, {
        current: async () => current.get(),
        active: () => listIncidents({ status: ACTIVE_STATUSES, limit: 2 }),
      }),
    requireIncident,
    listIncidents,
    listNotifications: async (filter) =>
      (await api.request<Page<OutboxMessage>>({ path: '/api/notifications', query: filter })).items,
    async retryNotification(id) {
      try {
        await api.request({ method: 'POST', path: `/api/notifications/${id}/retry` });
        return true;
      } catch (error) {
        if (error instanceof UserError && error.code === 'not_found') return false;
        throw error;
      }
    },
    insights: (range) =>
      api.request<InsightsReport>({
        path: '/api/insights',
        query: { since: range.since, until: range.until },
      }),
    relatedIncidents: (id) => api.request<RelatedIncidents>({ path: path(id, '/related') }),
    exportIncident: (id) =>
      api.request<IncidentExport>({ path: path(id, '/export'), query: { format: 'json' } }),
    async importIncident(file) {
      const answer = await api.request<Written & { origin: { key: string } }>({
        method: 'POST',
        path: '/api/import',
        body: file,
      });
      return { ...result(answer), originKey: answer.origin.key };
    },
    async declareIncident(input) {
      const declared = result(
        await api.request<Written>({ method: 'POST', path: '/api/incidents', body: input }),
      );
      current.set(declared.state.key);
      return declared;
    },
    async useIncident(id) {
      const state = await requireIncident(id);
      current.set(state.key);
      return state;
    },
    async getTimeline(id) {
      const state = await requireIncident(id);
      const entries: TimelineEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.request<Page<TimelineEntry>>({
          path: path(id, '/timeline'),
          query: { limit: PAGE, cursor },
        });
        entries.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      // Entries written between the two reads belong to a newer state: show the state they make.
      return { state: entries.length > state.version ? await requireIncident(id) : state, entries };
    },
    logEntry: (id, kind, text, at) => post(id, '/timeline', { kind, text, at }),
    recordFindings: (id, findings, at) => post(id, '/findings', { findings, at }),
    recordImpact: (id, impact, text, at) => post(id, '/impact', { impact, text, at }),
    proposeHypothesis: (id, statement, at) => post(id, '/hypotheses', { statement, at }),
    moveHypothesis: (id, number, status, reason, at) =>
      post(id, '/hypotheses/move', { number, status, reason, at }),
    setSeverity: (id, level, reason, at) => post(id, '/severity', { level, reason, at }),
    async assessAndSetSeverity(id, answers, at) {
      const written = await api.request<Written>({
        method: 'POST',
        path: path(id, '/severity'),
        body: { answers, at },
      });
      // A retried request is answered with what it recorded, without the assessment: redo it here.
      const assessment = written.assessment ?? assessSeverity(await framework(), answers);
      return { ...result(written), assessment };
    },
    assignRole: (id, role, person, remove, at) => post(id, '/roles', { role, person, remove, at }),
    changeStatus: (id, status, reason, at) => post(id, '/status', { status, reason, at }),
    postStatusUpdate: (id, audience, text, at) => post(id, '/updates', { audience, text, at }),
    postNoNewsUpdate: (id, audience, at) => post(id, '/updates', { audience, noNews: true, at }),
    draftStatusUpdate: (id, audience) =>
      api.request<UpdateDraft>({ path: path(id, '/updates/draft'), query: { audience } }),
    recordCommunication: (id, to, via, text, at) =>
      post(id, '/communications', { to, via, text, at }),
    addCauseLink: (id, text, categories, root, at) =>
      post(id, '/cause', { text, categories, root, at }),
    setMilestone: (id, milestone, at) => post(id, '/milestones', { milestone, at }),
    correctEntry: (id, entry, action, reason, text) =>
      post(id, '/corrections', { entry, action, reason, text }),
    changeDetails: async (id, details) =>
      result(await api.request<Written>({ method: 'PATCH', path: path(id), body: details })),
    ...remoteActionItems(api),
    ...remoteAnalyses(api),
    ...remotePostmortem(api),
  };
}
