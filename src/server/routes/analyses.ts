/**
 * An incident's log analyses: upload log files (and the changes, cron jobs,
 * metrics and bug reports to read with them) to be analyzed as `calm
 * analyze` does; the report is saved with the incident and its answers go on
 * the timeline as findings, as `calm analyze --attach` records them. Saved
 * reports are listed and opened again in the web app's Evidence page.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AnalysisReport } from '../../analysis/report/model.js';
import { attachAnalysis, reportOfUpload, UPLOAD_FIELDS } from '../../app/analyses.js';
import { UserError } from '../../core/errors.js';
import { type IncidentId, parseIncidentKey } from '../../core/ids.js';
import { zoneLabel } from '../../core/local-time.js';
import type { ServerDeps } from '../deps.js';
import { spoolUpload } from '../evidence-upload.js';
import { type AnyRoute, defineRoute, registerRoute } from '../route.js';
import { incidentParams } from '../schemas.js';
import {
  analysisParams,
  analysisSummary,
  uploadForm,
  withReport,
  zoneOf,
} from './analysis-schemas.js';
import { contextFor, written } from './incidents.js';

/** The whole upload's limit unless the server is given another (ServerDeps.analyses). */
export const DEFAULT_UPLOAD_BYTES = 256 * 1024 * 1024;
const UPLOAD_FILES = 50;
/** Uploads read or analyzed at the same time; more are refused (429) until one is done. */
export const UPLOADS_AT_ONCE = 4;

/** Runs one analysis at a time: each takes the machine's cores while it reads. */
function oneAtATime() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => {});
    return run;
  };
}

export function analysisRoutes(deps: ServerDeps): AnyRoute[] {
  const queue = oneAtATime();
  let uploading = 0;
  const analyzeUpload = async (request: FastifyRequest): Promise<AnalysisReport> => {
    const upload = await spoolUpload(
      request,
      { bytes: limit(), files: UPLOAD_FILES },
      { files: UPLOAD_FIELDS, fields: ['tz'] },
    );
    try {
      const zone = zoneOf(upload.fields.tz);
      return await queue(() =>
        reportOfUpload(upload, {
          now: deps.clock.now(),
          ...(zone ? { defaultZone: zone } : {}),
          ...(deps.analyses?.workers ? { workers: deps.analyses.workers } : {}),
        }),
      );
    } finally {
      await upload.remove();
    }
  };
  const store = () => {
    if (!deps.analyses) throw new UserError('this server keeps no analyses', 'unavailable');
    return deps.analyses.store;
  };
  const limit = () => deps.analyses?.uploadBytes ?? DEFAULT_UPLOAD_BYTES;
  const existing = async (id: IncidentId) => {
    const state = await deps.incidents.getIncident(id);
    if (!state)
      throw new UserError(`there is no incident ${id}; see GET /api/incidents`, 'not_found');
    return state;
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/api/incidents/:incident/analyses',
      role: 'responder',
      tag: 'evidence',
      summary:
        'Analyze uploaded log files (with changes, cron jobs, metrics or bug reports) as calm analyze does, or take a report it wrote (field report); the report is saved with the incident and its answers recorded as findings',
      params: incidentParams,
      upload: uploadForm,
      response: withReport.extend({ entries: z.array(z.unknown()), incident: z.unknown() }),
      status: 201,
      idempotent: true,
      async handler({ params, caller, request, reply }) {
        const ctx = { ...contextFor(deps, caller, request, 'analysis.create'), analyses: store() };
        const id = parseIncidentKey(params.incident);
        await existing(id);
        // a retry of an upload already analyzed is answered from what was saved, unread
        const key = ctx.idempotency;
        const first = key && (await ctx.analyses.byKey(key.scope, key.key));
        let report: AnalysisReport;
        if (first) {
          request.raw.resume();
          report = JSON.parse((await ctx.analyses.get(id, first.id))?.report ?? 'null');
        } else {
          // each upload holds up to the limit on disk until it is analyzed: only a few at once
          if (uploading >= UPLOADS_AT_ONCE)
            throw new UserError(
              `${UPLOADS_AT_ONCE} uploads are being analyzed already; send this one again in a minute`,
              'rate_limited',
            );
          uploading++;
          try {
            report = await analyzeUpload(request);
          } finally {
            uploading--;
          }
        }
        const result = await attachAnalysis(ctx, id, report);
        const answer = await written(deps, reply, result, { report });
        if (first) reply.header('idempotent-replayed', 'true');
        return answer;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/analyses',
      role: 'viewer',
      tag: 'evidence',
      summary: "An incident's saved analyses, newest first (without their reports)",
      params: incidentParams,
      response: z.object({
        analyses: z.array(analysisSummary),
        uploadLimitBytes: z.number().int(),
        serverZone: z.string().describe("the zone of the times in the reports' sentences"),
      }),
      async handler({ params }) {
        const id = parseIncidentKey(params.incident);
        await existing(id);
        // the report's sentences give times in this process's zone, as the CLI's do in the user's
        return {
          analyses: await store().list(id),
          uploadLimitBytes: limit(),
          serverZone: zoneLabel(deps.clock.now()),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/analyses/:id',
      role: 'viewer',
      tag: 'evidence',
      summary: 'One saved analysis with its whole report (the calm.analysis/v1 JSON)',
      params: analysisParams,
      response: withReport,
      async handler({ params, reply }) {
        const id = parseIncidentKey(params.incident);
        const found = await store().get(id, params.id);
        if (!found)
          throw new UserError(
            `there is no analysis ${params.id} of ${params.incident}; see GET /api/incidents/${params.incident}/analyses`,
            'not_found',
          );
        // the report is sent as stored, not parsed and written again
        return reply
          .type('application/json; charset=utf-8')
          .send(`{"analysis":${JSON.stringify(found.analysis)},"report":${found.report}}`);
      },
    }),
  ];
}

/** The upload route in a scope that hands a form's body to its handler unread. */
export function registerUploadRoute(app: FastifyInstance, deps: ServerDeps, spec: AnyRoute) {
  app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
    registerRoute(scope, deps, spec);
  });
}
