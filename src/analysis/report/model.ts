import { z } from 'zod';
import { cronAlignmentSchema } from '../explain/cron/cron-schema.js';
import { evidenceSchema } from './evidence.js';
import { anomaliesSchema, bugReportsSchema, contrastsSchema, healthSchema } from './sections.js';

export { type Evidence, evidenceSchema } from './evidence.js';

/*
 * The analysis report: one typed model, validated by this schema, rendered as
 * text, Markdown and JSON. The JSON Schema in schema/analysis-report.schema.json
 * is generated from it (`npm run schema`) and a test keeps the two equal.
 */

export const REPORT_FORMAT = 'calm.analysis/v1';

const countedSchema = z.object({
  count: z.number().int().nonnegative(),
  firstSeen: z.number().optional(),
  lastSeen: z.number().optional(),
  examples: z.array(evidenceSchema),
});

/** A change record (a deploy, a config change, a commit...) as the report shows it. */
const changeSchema = z.object({
  time: z.number(),
  kind: z.string(),
  id: z.string().optional(),
  service: z.string().optional(),
  version: z.string().optional(),
  description: z.string(),
  hosts: z.array(z.string()).optional(),
  source: z.string(),
  line: z.number().int().nonnegative(),
});

const suspectSchema = z.object({
  change: changeSchema,
  lagMs: z.number().describe('onset minus the change time: positive before the onset'),
  confidence: z.number().min(0).max(1).describe('probability that this change caused the onset'),
  verdict: z.enum(['likely', 'possible', 'unlikely']),
  reason: z.string(),
});

export const reportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  generatedAt: z.number(),
  sources: z.array(
    z.object({
      name: z.string(),
      format: z.string(),
      lines: z.number().int().nonnegative(),
      events: z.number().int().nonnegative(),
      unparseable: z.number().int().nonnegative(),
      unparseableSamples: z.array(evidenceSchema),
    }),
  ),
  totals: z.object({
    events: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    clientErrors: z.number().int().nonnegative(),
    unparseable: z.number().int().nonnegative(),
    withoutTime: z.number().int().nonnegative(),
  }),
  span: z.object({ from: z.number(), to: z.number() }).optional(),
  series: z
    .object({
      start: z.number(),
      bucketMs: z.number().int().positive(),
      all: z.array(z.number().int().nonnegative()),
      errors: z.array(z.number().int().nonnegative()),
      statusClasses: z.record(z.string(), z.array(z.number().int().nonnegative())),
      hosts: z.record(z.string(), z.array(z.number().int().nonnegative())),
      templates: z.record(z.string(), z.array(z.number().int().nonnegative())),
    })
    .optional(),
  onset: z.object({
    found: z.boolean(),
    time: z.number().optional().describe('the first error of the new pattern'),
    bucketStart: z.number().optional(),
    rateBefore: z.number().optional().describe('errors per event before the onset'),
    rateAfter: z.number().optional().describe('errors per event after the onset'),
    confidence: z.number().min(0).max(1),
    reason: z.string(),
    firstError: evidenceSchema.optional(),
  }),
  statusCodes: z.array(countedSchema.extend({ status: z.number().int() })),
  stackTraces: z.array(
    countedSchema.extend({
      fingerprint: z.string(),
      signature: z.string(),
      exceptionType: z.string(),
      hosts: z.array(z.string()),
      newSinceOnset: z.boolean(),
    }),
  ),
  errorMessages: z.array(
    countedSchema.extend({
      template: z.string(),
      errorCount: z.number().int().nonnegative(),
      newSinceOnset: z.boolean(),
    }),
  ),
  hosts: z.object({
    verdict: z.string(),
    items: z.array(
      z.object({
        host: z.string(),
        events: z.number().int().nonnegative(),
        errors: z.number().int().nonnegative(),
        errorShare: z.number().min(0).max(1),
        trafficShare: z.number().min(0).max(1),
        concentrated: z.boolean(),
      }),
    ),
  }),
  /** What changed around the onset (--changes, --git): changes ranked as suspects. */
  changes: z
    .object({
      answer: z.string(),
      confidence: z.number().min(0).max(1),
      suspects: z.array(suspectSchema),
      lastDeploy: suspectSchema.optional(),
      mitigations: z.array(suspectSchema),
      considered: z.number().int().nonnegative(),
      unreadable: z.number().int().nonnegative(),
      unreadableSamples: z.array(evidenceSchema),
    })
    .optional(),
  /** Patterns across time: periodic errors and times of day they concentrate at. */
  patterns: z
    .object({
      found: z.boolean(),
      answer: z.string(),
      confidence: z.number().min(0).max(1),
      periods: z.array(
        z.object({
          periodMs: z.number().positive(),
          jitterMs: z.number().nonnegative(),
          phase: z.string().describe('where in each cycle, e.g. ":46 past each minute"'),
          cycles: z.number().int().nonnegative(),
          cyclesWithPeak: z.number().int().nonnegative(),
          peakShare: z.number().min(0).max(1).describe('share of all errors in the peak window'),
          lift: z.number(),
          pValue: z.number().min(0).max(1),
          confidence: z.number().min(0).max(1),
          sentence: z.string(),
          examples: z.array(evidenceSchema),
        }),
      ),
      timesOfDay: z.array(
        z.object({
          window: z.string().describe('local wall-clock window, e.g. "09:00-09:20"'),
          zone: z.string(),
          recurringDays: z.number().int().nonnegative(),
          coveredDays: z.number().int().nonnegative(),
          share: z.number().min(0).max(1),
          lift: z.number(),
          pValue: z.number().min(0).max(1),
          confidence: z.number().min(0).max(1),
          examples: z.array(evidenceSchema),
        }),
      ),
      testedPeriodsMs: z.array(z.number()),
    })
    .optional(),
  /** Cron jobs whose runs line up with the error bursts (--cron). */
  cron: cronAlignmentSchema.optional(),
  /** Every series against its baseline (automatic, or --baseline). */
  anomalies: anomaliesSchema.optional(),
  /** Attribute values over-represented among the failing events. */
  contrasts: contrastsSchema.optional(),
  /** Server health from metrics (--metrics, --prometheus). */
  health: healthSchema.optional(),
  /** What the customers' bug reports have in common (--reports). */
  bugReports: bugReportsSchema.optional(),
  /** The checklist of the background reading, each answer in a sentence. */
  answers: z.array(z.object({ question: z.string(), answer: z.string() })),
});

export type AnalysisReport = z.infer<typeof reportSchema>;
