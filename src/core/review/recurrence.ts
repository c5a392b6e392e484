import type { CauseCategory } from '../cause/categories.js';
import type { EpochMs, IncidentId } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { collectCorrections } from '../timeline/corrections.js';
import type { TimelineEntry } from '../timeline/entry.js';

/**
 * "This happened before": an incident links to earlier ones that failed the
 * same way. What counts as the same way, strongest first: the same stack-trace
 * fingerprint, the same error-message template (from `calm analyze --attach`),
 * the same cause category on the same service. A shared service or a shared
 * category alone is not enough (every checkout incident shares checkout), and a
 * template too generic to tell failures apart ("error <*>") is not compared.
 */
export interface IncidentSignals {
  id: IncidentId;
  key: string;
  title: string;
  declaredAt: EpochMs;
  services: string[];
  categories: CauseCategory[];
  templates: string[];
  stacks: { fingerprint: string; signature: string }[];
  personal: boolean;
}

export type RecurrenceReason =
  | { kind: 'stack'; fingerprint: string; signature: string }
  | { kind: 'template'; template: string }
  | { kind: 'cause'; category: CauseCategory; service: string };

export interface RecurrenceLink {
  id: IncidentId;
  key: string;
  title: string;
  declaredAt: EpochMs;
  /** Higher is more alike: 3 per shared stack, 2 per template, 2 per category on a shared service. */
  score: number;
  reasons: RecurrenceReason[];
}

const WEIGHT = { stack: 3, template: 2, cause: 2 } as const;
/** The least score that links two incidents: one strong reason. */
export const LINK_THRESHOLD = 2;
/** Words a template must have besides its placeholders to say which failure it is. */
const SPECIFIC_WORDS = 3;

const PLACEHOLDER = /^<[^>]*>$|^\*$|^\d+$/;

/** A template compared: case, spacing and placeholder spellings do not matter. */
export function normalizeTemplate(template: string): string {
  return template
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => (PLACEHOLDER.test(word) ? '<*>' : word))
    .join(' ');
}

function isSpecific(normalized: string): boolean {
  const words = normalized.split(' ').filter((w) => w !== '<*>' && /[a-z]{2,}/.test(w));
  return words.length >= SPECIFIC_WORDS;
}

/** What an incident's log says about how it failed; struck findings say nothing. */
export function signalsOf(
  state: IncidentState,
  entries: readonly TimelineEntry[],
): IncidentSignals {
  const corrections = collectCorrections(entries);
  const templates = new Set<string>();
  const stacks = new Map<string, string>();
  for (const entry of entries) {
    if (entry.body.kind !== 'finding' || !entry.body.evidence) continue;
    if (corrections.get(entry.seq)?.struck) continue;
    for (const template of entry.body.evidence.templates ?? []) templates.add(template);
    for (const stack of entry.body.evidence.stacks ?? [])
      stacks.set(stack.fingerprint, stack.signature);
  }
  return {
    id: state.id,
    key: state.key,
    title: state.title,
    declaredAt: state.milestones.declared ?? state.lastEntryAt,
    services: state.services,
    categories: [...new Set(state.causeChain.flatMap((link) => link.categories))],
    templates: [...templates],
    stacks: [...stacks].map(([fingerprint, signature]) => ({ fingerprint, signature })),
    personal: state.personal === true,
  };
}

/** What comparisons need of an incident, worked out once per incident (insights compare all pairs). */
interface Prepared {
  stacks: Set<string>;
  /** Normalized template -> the template as written, specific ones only. */
  templates: Map<string, string>;
  services: Map<string, string>;
}
const prepared = new WeakMap<IncidentSignals, Prepared>();

function prepare(signals: IncidentSignals): Prepared {
  let found = prepared.get(signals);
  if (!found) {
    const templates = new Map<string, string>();
    for (const template of signals.templates) {
      const normalized = normalizeTemplate(template);
      if (isSpecific(normalized) && !templates.has(normalized)) templates.set(normalized, template);
    }
    found = {
      stacks: new Set(signals.stacks.map((s) => s.fingerprint)),
      templates,
      services: new Map(signals.services.map((s) => [s.toLowerCase(), s])),
    };
    prepared.set(signals, found);
  }
  return found;
}

/** Why `a` and `b` look like the same failure, each reason once. */
export function reasonsBetween(a: IncidentSignals, b: IncidentSignals): RecurrenceReason[] {
  const [mine, theirs] = [prepare(a), prepare(b)];
  const reasons: RecurrenceReason[] = [];
  for (const stack of a.stacks)
    if (theirs.stacks.has(stack.fingerprint)) reasons.push({ kind: 'stack', ...stack });
  for (const [normalized, template] of mine.templates)
    if (theirs.templates.has(normalized)) reasons.push({ kind: 'template', template });
  const shared = [...mine.services].find(([service]) => theirs.services.has(service))?.[1];
  if (shared) {
    for (const category of a.categories)
      if (b.categories.includes(category))
        reasons.push({ kind: 'cause', category, service: shared });
  }
  return reasons;
}

const scoreOf = (reasons: readonly RecurrenceReason[]) =>
  reasons.reduce((sum, reason) => sum + WEIGHT[reason.kind], 0);

export const isEarlier = (a: IncidentSignals, b: IncidentSignals) =>
  a.declaredAt < b.declaredAt || (a.declaredAt === b.declaredAt && a.id < b.id);

/** The earlier incidents `target` repeats, most alike first (then the most recent). */
export function earlierOccurrences(
  target: IncidentSignals,
  others: readonly IncidentSignals[],
): RecurrenceLink[] {
  const links: RecurrenceLink[] = [];
  for (const other of others) {
    if (other.id === target.id || !isEarlier(other, target)) continue;
    const reasons = reasonsBetween(target, other);
    const score = scoreOf(reasons);
    if (score < LINK_THRESHOLD) continue;
    const { id, key, title, declaredAt } = other;
    links.push({ id, key, title, declaredAt, score, reasons });
  }
  return links.sort((a, b) => b.score - a.score || b.declaredAt - a.declaredAt);
}

/** A reason in words, for the CLI and the web app. */
export function describeReason(reason: RecurrenceReason): string {
  switch (reason.kind) {
    case 'stack':
      return `same stack fingerprint ${reason.fingerprint} (${reason.signature})`;
    case 'template':
      return `shared error message "${reason.template}"`;
    case 'cause':
      return `same cause category ${reason.category} on ${reason.service}`;
  }
}
