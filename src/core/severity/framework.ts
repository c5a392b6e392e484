import { UserError } from '../errors.js';
import type { Affected } from '../incident/impact.js';
import type { Role } from '../incident/roles.js';
import type { Audience } from '../timeline/entry.js';

/** What a severity level asks of the people handling the incident. */
export interface SeverityPolicy {
  /** Who responds: roles that must be filled, and teams to page. */
  responders: { roles: Role[]; teams: string[] };
  /** Audiences (or teams) that must be told an incident of this level exists. */
  notify: string[];
  /** How often each audience must hear from the incident, in milliseconds. */
  updateEvery: Partial<Record<Audience, number>>;
  postmortemRequired: boolean;
  customerCommunicationRequired: boolean;
}

export interface SeverityLevel {
  key: string;
  name: string;
  description: string;
  examples: string[];
  policy: SeverityPolicy;
}

/** Answers to the impact questions that decide a level. Unknown answers are left out. */
export interface AssessmentAnswers {
  customerFacing?: boolean;
  affected?: Affected;
  /** Customer data lost, breached or compromised. */
  dataLoss?: boolean;
  coreFunction?: boolean;
  workaround?: boolean;
  performanceOnly?: boolean;
}

export type AnswerKey = keyof AssessmentAnswers;

/** A rule matches when every answer it names is given and equal (or one of a list). */
export interface AssessmentRule {
  when: {
    customerFacing?: boolean;
    affected?: Affected[];
    dataLoss?: boolean;
    coreFunction?: boolean;
    workaround?: boolean;
    performanceOnly?: boolean;
  };
  level: string;
  reason: string;
}

/** Levels in order, most severe first. */
export interface SeverityFramework {
  levels: SeverityLevel[];
  rules: AssessmentRule[];
}

export function findLevel(framework: SeverityFramework, key: string): SeverityLevel | undefined {
  const wanted = key.trim().toUpperCase();
  return framework.levels.find((level) => level.key.toUpperCase() === wanted);
}

export function requireLevel(framework: SeverityFramework, key: string): SeverityLevel {
  const level = findLevel(framework, key);
  if (!level) {
    throw new UserError(
      `unknown severity "${key}"; this team's levels are ${framework.levels.map((l) => l.key).join(', ')} (see \`calm severity list\`)`,
    );
  }
  return level;
}

/** Negative when `a` is more severe than `b`. */
export function compareSeverity(framework: SeverityFramework, a: string, b: string): number {
  const index = (key: string) => framework.levels.findIndex((level) => level.key === key);
  return index(a) - index(b);
}
