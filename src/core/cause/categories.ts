import { UserError } from '../errors.js';

/**
 * Why code breaks, from the background reading ("How to recover from mistakes"):
 * first the ways a change goes wrong, then the failures a system meets.
 */
export const CAUSE_CATEGORIES = {
  'untested-code': 'Untested code',
  'unknown-edge-case': 'Unknown edge case',
  'missing-context': 'Missing context',
  'hidden-dependency': 'Hidden dependency',
  'code-rot': 'Code rot',
  'environment-difference': 'Environment difference',
  'third-party-dependency': 'Third-party dependency',
  'bad-logic': 'Bad logic',
  'unanticipated-input': 'Unanticipated input',
  'bad-configuration': 'Bad configuration',
  'cpu-maxed': 'CPU maxed out',
  'memory-leak': 'Memory leak',
  'disk-full': 'No remaining disk space',
  hardware: 'Hardware failure',
  network: 'Network failure',
  'database-corruption': 'Database corruption',
  'user-error': 'User error',
  ddos: 'DDoS attack',
  xss: 'XSS attack',
  'sql-injection': 'SQL injection',
  'social-engineering': 'Social engineering attack',
  'natural-disaster': 'Natural disaster',
} as const;

export type CauseCategory = keyof typeof CAUSE_CATEGORIES;

export function isCauseCategory(value: string): value is CauseCategory {
  return Object.hasOwn(CAUSE_CATEGORIES, value);
}

export function parseCauseCategories(values: readonly string[]): CauseCategory[] {
  return values.map((raw) => {
    const value = raw.trim().toLowerCase().replace(/[_ ]/g, '-');
    if (!isCauseCategory(value)) {
      throw new UserError(
        `unknown cause category "${raw}"; use one of ${Object.keys(CAUSE_CATEGORIES).join(', ')}`,
      );
    }
    return value;
  });
}
