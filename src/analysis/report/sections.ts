/*
 * The report sections of the "Anomalies" and "Patterns" questions that need a
 * baseline, the failing events' inputs, metrics or bug reports. Each carries
 * its answer in a sentence, a confidence, and the findings behind it with
 * their evidence; `found: false` with an answer that says why (no baseline,
 * nothing given, nothing stands out).
 */
import { z } from 'zod';
import { evidenceSchema } from './evidence.js';

const probability = z.number().min(0).max(1);
const timeRange = z.object({ from: z.number(), to: z.number() });

/** Question 5: every series against its baseline, increases and decreases. */
export const anomaliesSchema = z.object({
  found: z.boolean(),
  answer: z.string(),
  confidence: probability,
  windows: z
    .object({
      method: z.enum(['user', 'same-hours', 'before-onset', 'before-recent']),
      incident: timeRange,
      baseline: z.array(timeRange),
      description: z.string(),
    })
    .optional(),
  tested: z.number().int().nonnegative(),
  untestable: z.number().int().nonnegative(),
  anomalies: z.array(
    z.object({
      key: z.string().describe("the series: 'errors', 'status:5xx', 'host:web-1', 'template:...'"),
      label: z.string(),
      kind: z.enum(['share', 'rate', 'latency', 'metric']),
      direction: z.enum(['increase', 'decrease']),
      before: z.number(),
      after: z.number(),
      ratio: z.number().nullable().describe('after / before; null for something new'),
      pValue: probability,
      qValue: probability.describe('adjusted for the number of series tested'),
      confidence: probability,
      sentence: z.string(),
      quantiles: z
        .array(z.object({ q: z.number(), before: z.number(), after: z.number() }))
        .optional(),
      examples: z.array(evidenceSchema),
    }),
  ),
});

/** Question 6: attribute values over-represented among the failing events. */
export const contrastsSchema = z.object({
  found: z.boolean(),
  answer: z.string(),
  confidence: probability,
  failures: z.number().int().nonnegative(),
  successes: z.number().nonnegative().describe('estimated when successes were sampled'),
  tested: z.number().int().nonnegative(),
  findings: z.array(
    z.object({
      attribute: z
        .string()
        .describe('endpoint, method, host, service, browser, os, region, param, field ...'),
      name: z.string(),
      match: z.enum(['value', 'shape', 'present', 'absent']),
      value: z.string(),
      label: z.string(),
      failures: z.number().int().nonnegative(),
      failureShare: probability,
      successes: z.number().nonnegative(),
      successShare: probability,
      lift: z.number().nullable(),
      pValue: probability,
      confidence: probability,
      sentence: z.string(),
      related: z.array(z.object({ attribute: z.string(), label: z.string() })),
      examples: z.array(evidenceSchema),
    }),
  ),
  notes: z.array(z.string()),
});

/** Question 7: CPU, memory, disk and load per host against their baseline, and trends. */
export const healthSchema = z.object({
  found: z.boolean(),
  answer: z.string(),
  confidence: probability,
  findings: z.array(
    z.object({
      kind: z.enum(['shift', 'spike', 'leak', 'filling', 'climbing']),
      host: z.string(),
      metric: z.string(),
      resource: z.string().optional(),
      label: z.string(),
      resourceKind: z.enum(['cpu', 'memory', 'disk', 'load', 'other']),
      direction: z.enum(['up', 'down']),
      before: z.number().optional(),
      after: z.number().optional(),
      ratePerHour: z.number().optional(),
      exhaustedBy: z.number().optional().describe('epoch ms when the resource is projected full'),
      restarts: z.array(z.number()).optional(),
      pValue: probability,
      confidence: probability,
      sentence: z.string(),
      examples: z.array(evidenceSchema),
    }),
  ),
  tested: z.object({
    series: z.number().int().nonnegative(),
    hosts: z.number().int().nonnegative(),
  }),
  notes: z.array(z.string()),
});

/** Question 8: what the customers' bug reports have in common. */
export const bugReportsSchema = z.object({
  found: z.boolean(),
  answer: z.string(),
  confidence: probability,
  reports: z.number().int().nonnegative(),
  commonalities: z.array(
    z.object({
      attribute: z.enum(['browser', 'browserFamily', 'os', 'osVersion', 'device', 'page', 'word']),
      value: z.string(),
      count: z.number().int().nonnegative(),
      of: z.number().int().nonnegative(),
      share: probability,
      trafficShare: probability.optional(),
      lift: z.number().nullable().optional(),
      notable: z.boolean(),
      confidence: probability,
      sentence: z.string(),
      examples: z.array(evidenceSchema),
    }),
  ),
  unreadable: z.number().int().nonnegative(),
});

export type AnomaliesSection = z.infer<typeof anomaliesSchema>;
export type ContrastsSection = z.infer<typeof contrastsSchema>;
export type HealthSection = z.infer<typeof healthSchema>;
export type BugReportsSection = z.infer<typeof bugReportsSchema>;
