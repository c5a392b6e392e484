/**
 * The Evidence API's schemas: the upload form's fields (for the OpenAPI
 * document; the form is read as a stream), a saved analysis as the answers
 * carry it, and the upload's time zone, checked.
 */
import { z } from 'zod';
import { reportSchema } from '../../analysis/report/model.js';
import { UserError } from '../../core/errors.js';
import { incidentParams } from '../schemas.js';

const file = z.string().meta({ format: 'binary' });
export const uploadForm = z.object({
  logs: z
    .array(file)
    .optional()
    .describe(
      'log files: plain, gzip (.gz), any format calm analyze reads (required unless report)',
    ),
  changes: z.array(file).optional().describe('deploy and change records: JSON lines, JSON or CSV'),
  cron: z.array(file).optional().describe('crontabs or Kubernetes CronJob manifests'),
  metrics: z.array(file).optional().describe('server metrics: CSV or JSON, wide or long'),
  reports: z.array(file).optional().describe('customer bug reports: CSV or JSON'),
  report: file
    .optional()
    .describe('instead of files to analyze: a report calm analyze --format json wrote'),
  tz: z.string().optional().describe('zone for stamps without one, e.g. Europe/Berlin'),
});

export const analysisSummary = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  at: z.number().describe('when it was saved (epoch ms)'),
  author: z.string(),
  name: z.string().describe("the analyzed files' names"),
  events: z.number().int(),
  errors: z.number().int(),
  onsetAt: z.number().optional().describe('when the errors started, if they did'),
});
export const withReport = z.object({ analysis: analysisSummary, report: reportSchema });

export const analysisParams = incidentParams.extend({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

export function zoneOf(given: string | undefined): string | undefined {
  if (!given) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: given });
    return given;
  } catch {
    if (/^[+-]\d{2}:?\d{2}$/.test(given)) return given;
    throw new UserError(
      `tz: ${given.slice(0, 40)} is not a time zone; use e.g. Europe/Berlin or +02:00`,
    );
  }
}
