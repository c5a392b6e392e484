/**
 * Everything the CLI does with incidents, as one interface with two homes:
 * embedded (the use cases on this machine's store, below) and remote (the
 * team server's HTTP API, src/cli/remote/). Commands are written once against
 * it, so each works the same either way.
 */
import type { AnalysisReport } from '../analysis/report/model.js';
import type { IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import type { AnalysisSummary } from '../store/analysis-store.js';
import type { OutboxMessage, OutboxStatus } from '../store/outbox-store.js';
import type { IncidentFilter } from '../store/store.js';
import * as actionItems from './action-items.js';
import type { AppContext } from './context.js';
import * as exporting from './export.js';
import * as importing from './import.js';
import * as incidents from './incidents.js';
import * as insights from './insights.js';
import * as postmortem from './postmortem.js';
import type { CommandResult } from './run-command.js';
import * as statusUpdates from './status-updates.js';

/** The use cases that act on incidents; each takes the context first. */
const USE_CASES = {
  declareIncident: incidents.declareIncident,
  useIncident: incidents.useIncident,
  getTimeline: incidents.getTimeline,
  logEntry: incidents.logEntry,
  recordFindings: incidents.recordFindings,
  recordImpact: incidents.recordImpact,
  proposeHypothesis: incidents.proposeHypothesis,
  moveHypothesis: incidents.moveHypothesis,
  setSeverity: incidents.setSeverity,
  assessAndSetSeverity: incidents.assessAndSetSeverity,
  assignRole: incidents.assignRole,
  changeStatus: incidents.changeStatus,
  postStatusUpdate: incidents.postStatusUpdate,
  postNoNewsUpdate: statusUpdates.postNoNewsUpdate,
  draftStatusUpdate: statusUpdates.draftStatusUpdate,
  recordCommunication: incidents.recordCommunication,
  addCauseLink: incidents.addCauseLink,
  setMilestone: incidents.setMilestone,
  changeDetails: incidents.changeDetails,
  correctEntry: incidents.correctEntry,
  addActionItem: actionItems.addActionItem,
  changeActionItem: actionItems.changeActionItem,
  listActionItems: actionItems.listActionItems,
  listActionItemsAcross: actionItems.listActionItemsAcross,
  draftPostmortem: postmortem.draftIncidentPostmortem,
  renderPostmortem: postmortem.renderIncidentPostmortem,
  incidentStages: postmortem.incidentStages,
  writePostmortemSection: postmortem.writePostmortemSection,
  completePostmortem: postmortem.completePostmortem,
  reopenPostmortem: postmortem.reopenPostmortem,
};

/** A use case with its context already given. */
type Bound<F> = F extends (ctx: AppContext, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

export type IncidentService = { [K in keyof typeof USE_CASES]: Bound<(typeof USE_CASES)[K]> } & {
  /** The team's severity framework: the config file's, or the server's when remote. */
  framework(): Promise<SeverityFramework>;
  /** The incident named (INC-3), else the current one, else the only active one. */
  resolveIncidentId(ref: string | undefined): Promise<IncidentId>;
  requireIncident(id: IncidentId): Promise<IncidentState>;
  listIncidents(filter: IncidentFilter): Promise<IncidentState[]>;
  /** The notification outbox, newest first. */
  listNotifications(filter: { status?: OutboxStatus; limit?: number }): Promise<OutboxMessage[]>;
  /** Puts a parked notification back in the queue; false when there is no such parked one. */
  retryNotification(id: number): Promise<boolean>;
  /** Figures across the incidents of a period (calm insights). */
  insights(range: insights.InsightsRange): Promise<insights.InsightsReport>;
  /** The earlier incidents this one repeats. */
  relatedIncidents(id: IncidentId): Promise<insights.RelatedIncidents>;
  /** The incident as a lossless JSON export (calm.incident/v1). */
  exportIncident(id: IncidentId): Promise<exporting.IncidentExport>;
  /** Writes an exported incident under a new key (calm import). */
  importIncident(file: unknown): Promise<importing.ImportResult>;
  /** Keeps a log analysis's report with the incident and records its answers as findings. */
  attachAnalysis(
    id: IncidentId,
    report: AnalysisReport,
  ): Promise<CommandResult & { analysis: AnalysisSummary }>;
};

export function embeddedIncidents(ctx: AppContext): IncidentService {
  const outbox = async () => {
    if (!ctx.outbox) throw new Error('this store was opened without its outbox');
    return ctx.outbox;
  };
  return {
    framework: () => ctx.framework(),
    resolveIncidentId: (ref) => incidents.resolveIncidentId(ctx, ref),
    requireIncident: (id) => incidents.requireIncident(ctx, id),
    listIncidents: (filter) => ctx.store.listIncidents(filter),
    listNotifications: async (filter) => (await outbox()).list(filter),
    retryNotification: async (id) => (await outbox()).retry(id, ctx.clock.now()),
    insights: (range) => insights.getInsights(ctx, range),
    relatedIncidents: (id) => insights.relatedIncidents(ctx, id),
    exportIncident: (id) => exporting.exportIncident(ctx, id),
    // on this machine a personal incident may come back from a backup
    importIncident: (file) => importing.importIncident(ctx, file, { allowPersonal: true }),
    // loaded when used: the analysis engine stays out of every other command's start
    attachAnalysis: async (id, report) =>
      (await import('./analyses.js')).attachAnalysis(ctx, id, report),
    declareIncident: (...args) => USE_CASES.declareIncident(ctx, ...args),
    useIncident: (...args) => USE_CASES.useIncident(ctx, ...args),
    getTimeline: (...args) => USE_CASES.getTimeline(ctx, ...args),
    logEntry: (...args) => USE_CASES.logEntry(ctx, ...args),
    recordFindings: (...args) => USE_CASES.recordFindings(ctx, ...args),
    recordImpact: (...args) => USE_CASES.recordImpact(ctx, ...args),
    proposeHypothesis: (...args) => USE_CASES.proposeHypothesis(ctx, ...args),
    moveHypothesis: (...args) => USE_CASES.moveHypothesis(ctx, ...args),
    setSeverity: (...args) => USE_CASES.setSeverity(ctx, ...args),
    assessAndSetSeverity: (...args) => USE_CASES.assessAndSetSeverity(ctx, ...args),
    assignRole: (...args) => USE_CASES.assignRole(ctx, ...args),
    changeStatus: (...args) => USE_CASES.changeStatus(ctx, ...args),
    postStatusUpdate: (...args) => USE_CASES.postStatusUpdate(ctx, ...args),
    postNoNewsUpdate: (...args) => USE_CASES.postNoNewsUpdate(ctx, ...args),
    draftStatusUpdate: (...args) => USE_CASES.draftStatusUpdate(ctx, ...args),
    recordCommunication: (...args) => USE_CASES.recordCommunication(ctx, ...args),
    addCauseLink: (...args) => USE_CASES.addCauseLink(ctx, ...args),
    setMilestone: (...args) => USE_CASES.setMilestone(ctx, ...args),
    changeDetails: (...args) => USE_CASES.changeDetails(ctx, ...args),
    correctEntry: (...args) => USE_CASES.correctEntry(ctx, ...args),
    addActionItem: (...args) => USE_CASES.addActionItem(ctx, ...args),
    changeActionItem: (...args) => USE_CASES.changeActionItem(ctx, ...args),
    listActionItems: (...args) => USE_CASES.listActionItems(ctx, ...args),
    listActionItemsAcross: (...args) => USE_CASES.listActionItemsAcross(ctx, ...args),
    draftPostmortem: (...args) => USE_CASES.draftPostmortem(ctx, ...args),
    renderPostmortem: (...args) => USE_CASES.renderPostmortem(ctx, ...args),
    incidentStages: (...args) => USE_CASES.incidentStages(ctx, ...args),
    writePostmortemSection: (...args) => USE_CASES.writePostmortemSection(ctx, ...args),
    completePostmortem: (...args) => USE_CASES.completePostmortem(ctx, ...args),
    reopenPostmortem: (...args) => USE_CASES.reopenPostmortem(ctx, ...args),
  };
}
