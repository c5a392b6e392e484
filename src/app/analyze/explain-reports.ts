/**
 * Question 8 of the report, customer bug reports: the files given with
 * `--reports FILE` (repeatable; CSV or JSON, see reports-input.ts) read into
 * one list, judged by analyzeBugReports against the logs' traffic mix, span
 * and onset, and mapped into the report's `bugReports` section.
 *
 * A file that cannot be opened, or in which no record can be used, stops the
 * analysis with a one-line UserError naming the fix; records the reader
 * could not use in an otherwise readable file are counted as `unreadable`.
 */
import type { TrafficMix } from '../../analysis/explain/contrast/contrast-rank.js';
import {
  analyzeBugReports,
  type BugReportsResult,
  type ReportCommonality,
} from '../../analysis/explain/reports/bug-reports.js';
import type { BugReportsSection } from '../../analysis/report/sections.js';
import { UserError } from '../../core/errors.js';
import { readInputText } from './input-file.js';
import { finiteOrNull, probability } from './report-values.js';
import { parseReports, type ReportsInput } from './reports-input.js';

export interface BugReportInputs {
  /** Bug report files: CSV with a header row, a JSON array or JSON lines. */
  reports?: readonly string[];
}

export interface BugReportContext {
  /** The logs' traffic mix (ContrastResult.traffic), to compare the reports with. */
  traffic?: TrafficMix;
  /** The logs' span. */
  span?: { from: number; to: number };
  /** When the errors started, if known. */
  onset?: number;
  now: number;
  /** Zone of report times written without one. */
  defaultZone?: string;
  resolvePath: (path: string) => string;
}

type SectionCommonality = BugReportsSection['commonalities'][number];

/** The bug-reports section and its checklist answer; undefined when no reports were given. */
export async function explainBugReports(
  inputs: BugReportInputs,
  context: BugReportContext,
): Promise<{ section: BugReportsSection; answer: string } | undefined> {
  const files = inputs.reports ?? [];
  if (files.length === 0) return undefined;
  const reads = await Promise.all(files.map((file) => readReports(file, context)));
  const result = analyzeBugReports(
    reads.flatMap((r) => r.reports),
    {
      ...(context.traffic ? { traffic: context.traffic } : {}),
      ...(context.span ? { window: context.span } : {}),
      ...(context.onset !== undefined ? { onset: context.onset } : {}),
    },
  );
  const section = toSection(
    result,
    reads.reduce((n, r) => n + r.bad, 0),
  );
  return { section, answer: section.answer };
}

async function readReports(file: string, context: BugReportContext): Promise<ReportsInput> {
  const text = await readInputText(context.resolvePath(file), `--reports ${file}`, {
    hint: '; give a CSV or JSON file of bug reports (check the path)',
    code: 'not_found',
  });
  const read = parseReports(text, file, {
    referenceTime: context.now,
    ...(context.defaultZone ? { defaultZone: context.defaultZone } : {}),
  });
  if (read.reports.length === 0 && read.bad > 0) {
    const example = read.badSamples[0];
    const where = example ? ` (line ${example.line}: ${example.reason.slice(0, 80)})` : '';
    throw new UserError(
      `--reports ${file}: none of its ${read.bad} records could be read${where}; give CSV with a header row, a JSON array or JSON lines, with columns such as time, user_agent, browser, os, page, description`,
    );
  }
  return read;
}

/** Infinity (a value the traffic never showed) has no JSON form: null says "no finite lift". */
function liftOf(lift: number | undefined): { lift?: number | null } {
  if (lift === undefined) return {};
  return { lift: finiteOrNull(lift) };
}

function toSectionCommonality(c: ReportCommonality): SectionCommonality {
  return {
    attribute: c.attribute,
    value: c.value,
    count: c.count,
    of: c.of,
    share: probability(c.share),
    ...(c.trafficShare !== undefined ? { trafficShare: probability(c.trafficShare) } : {}),
    ...liftOf(c.lift),
    notable: c.notable,
    confidence: probability(c.confidence),
    sentence: c.sentence,
    examples: c.examples,
  };
}

function toSection(result: BugReportsResult, unreadable: number): BugReportsSection {
  return {
    found: result.found,
    answer: result.answer,
    confidence: probability(result.confidence),
    reports: result.reports,
    commonalities: result.commonalities.map(toSectionCommonality),
    unreadable,
  };
}
