/**
 * Shifts said across hosts: "CPU from 30% to 95% on web-2 only" tells the
 * reader both what moved and that the other servers did not, which is what
 * question 7 (and question 4, "specific servers or all?") want to know.
 */
import type { HealthFinding } from './health.js';
import { formatValue } from './health-metrics.js';
import type { MetricSeries } from './health-series.js';
import type { ShiftTest } from './health-shift.js';

const MAX_LISTED = 5;

function fromTo(f: HealthFinding): string {
  return `${formatValue(f.before ?? 0, f.unit)} to ${formatValue(f.after ?? 0, f.unit)}`;
}

/**
 * One sentence per metric and direction; each shift finding's own sentence
 * gets the same context. `shifts[i]` is the test of `series[i]` (undefined:
 * too few readings), which says how many hosts could have moved.
 */
export function groupShifts(
  series: readonly MetricSeries[],
  findings: readonly HealthFinding[],
  shifts: readonly (ShiftTest | undefined)[],
): string[] {
  const testedHosts = new Map<string, Set<string>>();
  series.forEach((s, i) => {
    if (!shifts[i]) return;
    const hosts = testedHosts.get(s.label) ?? new Set<string>();
    hosts.add(s.host);
    testedHosts.set(s.label, hosts);
  });
  const groups = new Map<string, HealthFinding[]>();
  for (const f of findings) {
    if (f.kind !== 'shift') continue;
    const key = `${f.label}\u0000${f.direction}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const sentences: string[] = [];
  for (const group of groups.values()) {
    const first = group[0] as HealthFinding;
    const total = testedHosts.get(first.label)?.size ?? group.length;
    const hosts = new Set(group.map((f) => f.host));
    const verb = first.direction === 'up' ? 'rose' : 'fell';
    if (hosts.size === 1) {
      const only =
        total > 1 ? ` only (the other ${total - 1} host${total > 2 ? 's' : ''} did not move)` : '';
      const sentence = `${first.label} from ${fromTo(first)} on ${first.host}${only}`;
      for (const f of group) f.sentence = group.length === 1 ? sentence : `${f.sentence}${only}`;
      sentences.push(group.length === 1 ? sentence : group.map((f) => f.sentence).join('; '));
      continue;
    }
    const listed = group
      .slice(0, MAX_LISTED)
      .map((f) => `${f.host} ${fromTo(f)}`)
      .join(', ');
    const more = group.length > MAX_LISTED ? `, and ${group.length - MAX_LISTED} more` : '';
    const where = hosts.size === total ? `all ${total} hosts` : `${hosts.size} of ${total} hosts`;
    for (const f of group) f.sentence = `${f.sentence} (as on ${where})`;
    sentences.push(`${first.label} ${verb} on ${where}: ${listed}${more}`);
  }
  return sentences;
}
