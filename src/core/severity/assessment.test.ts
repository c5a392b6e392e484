import { describe, expect, it } from 'vitest';
import { ASSESSMENT_QUESTIONS, assessSeverity } from './assessment.js';
import type { AssessmentAnswers, SeverityFramework } from './framework.js';
import { DEFAULT_FRAMEWORK, presetFramework } from './presets.js';

const assess = (answers: AssessmentAnswers, framework: SeverityFramework = DEFAULT_FRAMEWORK) => {
  const { level, reason } = assessSeverity(framework, answers);
  return [level.key, reason];
};

describe('assessSeverity with the default framework', () => {
  it.each<[string, AssessmentAnswers, string, string]>([
    ['data loss', { dataLoss: true }, 'SEV1', 'customer data is lost, breached or compromised'],
    [
      'data loss even with a workaround',
      { dataLoss: true, workaround: true },
      'SEV1',
      'customer data is lost, breached or compromised',
    ],
    [
      'all customers, no workaround',
      { customerFacing: true, affected: 'all', workaround: false },
      'SEV1',
      'a customer-facing service is down for all customers with no workaround',
    ],
    [
      'all customers',
      { customerFacing: true, affected: 'all' },
      'SEV1',
      'a customer-facing service is down for all customers',
    ],
    [
      'a subset of customers',
      { customerFacing: true, affected: 'subset' },
      'SEV2',
      'a customer-facing service is unavailable for a subset of customers',
    ],
    [
      'core functionality',
      { coreFunction: true },
      'SEV2',
      'core functionality is significantly impacted',
    ],
    ['a workaround', { workaround: true }, 'SEV3', 'a workaround is available'],
    [
      'a subset with a workaround',
      { customerFacing: true, affected: 'subset', workaround: true },
      'SEV3',
      'a workaround is available',
    ],
    [
      'performance only, even for all customers',
      { performanceOnly: true, customerFacing: true, affected: 'all' },
      'SEV3',
      'only performance is degraded',
    ],
    [
      'customer-facing, nothing else known',
      { customerFacing: true },
      'SEV3',
      'customers see a minor inconvenience',
    ],
  ])('%s', (_name, answers, level, reason) => {
    expect(assess(answers)).toEqual([level, reason]);
  });

  it('suggests the least severe level and says no rule matched when nothing is answered', () => {
    const assessment = assessSeverity(DEFAULT_FRAMEWORK, {});
    expect(assessment.level.key).toBe('SEV3');
    expect(assessment.reason).toBe(
      'no rule matched the answers, so the least severe level is suggested',
    );
    expect(assessment.ruleIndex).toBeUndefined();
  });

  it('names the matching rule and keeps the answers', () => {
    const answers: AssessmentAnswers = { customerFacing: true, affected: 'subset' };
    const assessment = assessSeverity(DEFAULT_FRAMEWORK, answers);
    expect(DEFAULT_FRAMEWORK.rules[assessment.ruleIndex ?? -1]?.reason).toBe(assessment.reason);
    expect(assessment.answers).toBe(answers);
  });

  it('does not treat an unknown answer as "no"', () => {
    // customerFacing: false would not match the rules that need true; affected alone matches none.
    expect(assess({ affected: 'all' })[0]).toBe('SEV3');
    expect(assess({ affected: 'all' })[1]).toContain('no rule matched');
  });
});

describe('assessSeverity with other presets', () => {
  const sev0 = presetFramework('sev0-sev4');
  const sev5 = presetFramework('sev1-sev5');

  it('sev0-sev4: data of all customers lost is SEV0', () => {
    expect(assess({ dataLoss: true, affected: 'all' }, sev0)).toEqual([
      'SEV0',
      'data of all customers is lost or exposed',
    ]);
    expect(assess({ dataLoss: true, affected: 'subset' }, sev0)[0]).toBe('SEV1');
  });

  it('sev0-sev4: no customer affected is SEV4, and nothing known falls back to SEV4', () => {
    expect(assess({ customerFacing: false }, sev0)).toEqual(['SEV4', 'no customer is affected']);
    expect(assess({}, sev0)[0]).toBe('SEV4');
  });

  it('sev1-sev5: internal users only is SEV4, nobody is SEV5', () => {
    expect(assess({ affected: 'internal' }, sev5)).toEqual([
      'SEV4',
      'only internal users are affected',
    ]);
    expect(assess({ affected: 'none' }, sev5)).toEqual(['SEV5', 'nobody is affected']);
    expect(assess({}, sev5)[0]).toBe('SEV5');
  });
});

describe('assessSeverity with custom rules', () => {
  const framework: SeverityFramework = {
    levels: DEFAULT_FRAMEWORK.levels,
    rules: [
      { when: { affected: ['all', 'subset'] }, level: 'SEV2', reason: 'customers affected' },
      { when: {}, level: 'SEV1', reason: 'always' },
    ],
  };

  it('matches any of the listed affected answers, first rule first', () => {
    expect(assess({ affected: 'subset' }, framework)).toEqual(['SEV2', 'customers affected']);
    expect(assess({ affected: 'all' }, framework)).toEqual(['SEV2', 'customers affected']);
    expect(assess({ affected: 'internal' }, framework)).toEqual(['SEV1', 'always']);
  });

  it('skips a rule that points at a level the framework does not have', () => {
    const broken: SeverityFramework = {
      levels: DEFAULT_FRAMEWORK.levels,
      rules: [
        { when: {}, level: 'SEV9', reason: 'missing level' },
        { when: {}, level: 'SEV2', reason: 'fallback rule' },
      ],
    };
    expect(assessSeverity(broken, {})).toMatchObject({ reason: 'fallback rule', ruleIndex: 1 });
  });
});

describe('ASSESSMENT_QUESTIONS', () => {
  it('asks one question per answer', () => {
    expect(ASSESSMENT_QUESTIONS.map((q) => q.key)).toEqual([
      'customerFacing',
      'affected',
      'dataLoss',
      'coreFunction',
      'workaround',
      'performanceOnly',
    ]);
    for (const { question } of ASSESSMENT_QUESTIONS) expect(question).toMatch(/\?$/);
  });
});
