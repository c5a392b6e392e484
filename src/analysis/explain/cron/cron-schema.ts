/**
 * The cron alignment as the report carries it: a zod schema for the lead to
 * put into report/model.ts (as `cronJobs: cronAlignmentSchema.optional()` or
 * similar), so that the JSON schema and the renderers follow. The type check
 * at the bottom keeps it equal to the CronAlignment the code returns.
 */
import { z } from 'zod';
import { evidenceSchema } from '../../report/evidence.js';
import type { CronAlignment } from './cron-alignment.js';

const probability = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

export const cronJobSchema = z.object({
  name: z.string(),
  schedule: z.string().describe('five cron fields or a shortcut such as @daily; @reboot has none'),
  zone: z.string().optional().describe('IANA zone; absent: the analysis default zone'),
  command: z.string(),
  user: z.string().optional(),
  source: z.string(),
  line: z.number().int().nonnegative(),
});

export const cronJobAlignmentSchema = z.object({
  job: cronJobSchema,
  verdict: z.enum([
    'aligned',
    'same-runs',
    'explained-by-other',
    'not-aligned',
    'cannot-tell',
    'no-schedule',
  ]),
  cadence: z.string().describe('"every 15 min", "daily", "42 runs, 2 h to 3 days apart"'),
  runs: count,
  truncated: z.boolean(),
  runsTested: count,
  runsMatched: count,
  expectedByChance: z.number().nonnegative(),
  windowMs: count.describe('the window after each run in which a burst counts'),
  lagMs: z.object({ low: z.number(), median: z.number(), high: z.number() }).optional(),
  pValue: probability.describe('corrected for the windows tried and the jobs tested (Holm)'),
  confidence: probability,
  otherJob: z.string().optional(),
  ranBeforeOnset: z
    .object({ run: z.number(), beforeMs: z.number().nonnegative(), chance: probability })
    .optional(),
  evidence: z.array(evidenceSchema),
  matchedRuns: z.array(z.object({ run: z.number(), burst: z.number() })),
  sentence: z.string(),
});

export const cronAlignmentSchema = z.object({
  verdict: z.enum([
    'aligned',
    'ran-before-onset',
    'none-aligned',
    'no-errors',
    'no-jobs',
    'no-cron-file',
  ]),
  sentence: z.string(),
  confidence: probability,
  alpha: probability.describe('family-wise false-alarm level over the jobs'),
  jobs: z.array(cronJobAlignmentSchema),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when the schema and the CronAlignment type drift apart. */
export const CRON_SCHEMA_MATCHES_TYPE: Same<
  z.infer<typeof cronAlignmentSchema>,
  CronAlignment
> = true;
