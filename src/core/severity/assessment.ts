import type {
  AssessmentAnswers,
  AssessmentRule,
  SeverityFramework,
  SeverityLevel,
} from './framework.js';

export interface Assessment {
  level: SeverityLevel;
  /** Why this level, in words a responder can repeat: "a workaround is available". */
  reason: string;
  /** Index of the rule that matched, or undefined when none did. */
  ruleIndex?: number;
  answers: AssessmentAnswers;
}

function ruleMatches(rule: AssessmentRule, answers: AssessmentAnswers): boolean {
  const { affected, ...flags } = rule.when;
  if (affected && (answers.affected === undefined || !affected.includes(answers.affected))) {
    return false;
  }
  return Object.entries(flags).every(
    ([key, expected]) => answers[key as keyof typeof flags] === expected,
  );
}

/**
 * Suggests a level from the answers: the first rule (in config order) whose
 * conditions all hold. No match falls back to the least severe level, and says so.
 */
export function assessSeverity(
  framework: SeverityFramework,
  answers: AssessmentAnswers,
): Assessment {
  for (const [index, rule] of framework.rules.entries()) {
    if (!ruleMatches(rule, answers)) continue;
    const level = framework.levels.find((candidate) => candidate.key === rule.level);
    if (level) return { level, reason: rule.reason, ruleIndex: index, answers };
  }
  const lowest = framework.levels.at(-1);
  if (!lowest) throw new Error('a severity framework always has at least one level');
  return {
    level: lowest,
    reason: 'no rule matched the answers, so the least severe level is suggested',
    answers,
  };
}

/** The questions, in the order a responder is asked them. */
export const ASSESSMENT_QUESTIONS: readonly { key: keyof AssessmentAnswers; question: string }[] = [
  { key: 'customerFacing', question: 'Is a customer-facing service or feature affected?' },
  {
    key: 'affected',
    question: 'Who is affected: all customers, a subset, or internal users only?',
  },
  { key: 'dataLoss', question: 'Is customer data lost, breached or compromised?' },
  {
    key: 'coreFunction',
    question: 'Is core functionality (e.g. invoice creation) significantly impacted?',
  },
  { key: 'workaround', question: 'Is a workaround available?' },
  { key: 'performanceOnly', question: 'Is only performance degraded (everything works, slowly)?' },
];
