import { lookupAlias } from '../aliases.js';
import { UserError } from '../errors.js';

export const AFFECTED = ['all', 'subset', 'internal', 'none'] as const;
/** Who is affected: all customers, a subset of them, internal users only, or nobody yet. */
export type Affected = (typeof AFFECTED)[number];

export interface Impact {
  affected?: Affected;
  /** Customer-facing services or features that are down or degraded. */
  customerFacingServices?: string[];
  dataLost?: boolean;
  dataBreached?: boolean;
  workaroundAvailable?: boolean;
  canRollBack?: boolean;
  /** What people see, in words: "checkout returns 500 for card payments". */
  description?: string;
}

export function parseAffected(value: string): Affected {
  const aliases: Record<string, Affected> = {
    all: 'all',
    everyone: 'all',
    'all-customers': 'all',
    subset: 'subset',
    some: 'subset',
    partial: 'subset',
    internal: 'internal',
    none: 'none',
  };
  const affected = lookupAlias(aliases, value);
  if (!affected) {
    throw new UserError(`unknown audience affected "${value}"; use all, subset, internal or none`);
  }
  return affected;
}

/** Later answers override earlier ones, field by field. */
export function mergeImpact(base: Impact, update: Impact): Impact {
  const merged: Impact = { ...base };
  for (const [key, value] of Object.entries(update) as [keyof Impact, Impact[keyof Impact]][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

export function isImpactEmpty(impact: Impact): boolean {
  return Object.values(impact).every((value) => value === undefined);
}

export function describeImpact(impact: Impact): string {
  const parts: string[] = [];
  const who: Record<Affected, string> = {
    all: 'all customers affected',
    subset: 'a subset of customers affected',
    internal: 'internal users only',
    none: 'nobody affected',
  };
  if (impact.affected) parts.push(who[impact.affected]);
  if (impact.customerFacingServices?.length) {
    parts.push(`customer-facing: ${impact.customerFacingServices.join(', ')}`);
  }
  if (impact.dataLost) parts.push('data lost');
  if (impact.dataBreached) parts.push('data breached');
  if (impact.workaroundAvailable !== undefined) {
    parts.push(impact.workaroundAvailable ? 'workaround available' : 'no workaround');
  }
  if (impact.canRollBack !== undefined) {
    parts.push(impact.canRollBack ? 'can roll back' : 'cannot roll back');
  }
  if (impact.description) parts.push(impact.description);
  return parts.join('; ');
}
