/**
 * How contrast findings (contrast-rank.ts) are worded and merged: the
 * attribute value as a phrase, the failures' name ("the 500s"), the
 * sentence with its shares, the redundant findings folded into the most
 * specific one, and the logs' traffic mix for comparing bug reports with.
 */
import type { MatchKind, Tested, TrafficKind, TrafficMix } from './contrast-rank.js';
import type { ContrastPartial } from './contrast-state.js';
import { overRepresentationBound } from './contrast-stats.js';
import { type AttributePartial, type SampledFailure, sumAt, valueKey } from './contrast-table.js';
import { describeShape, labelOfCode } from './value-shape.js';

export const pct = (v: number) =>
  v > 0 && v < 0.001
    ? '<0.1%'
    : `${v < 0.1 || (v > 0.99 && v < 1) ? (v * 100).toFixed(1) : Math.round(v * 100)}%`;

/** The value as a label ("Firefox 126") and as what failures do ("come from Firefox 126"). */
export function describe(a: AttributePartial, match: MatchKind, value: string) {
  const code = `\`${a.name}\``;
  switch (match) {
    case 'present': {
      const article = /^[aeiou]/i.test(a.name) ? 'an' : 'a';
      return { label: `${article} ${code} parameter`, phrase: `have ${article} ${code} parameter` };
    }
    case 'absent':
      return { label: `no ${code} parameter`, phrase: `have no ${code} parameter` };
    case 'shape': {
      const label = describeShape(a.name, labelOfCode(Number(value)));
      return { label, phrase: `have ${label}` };
    }
  }
  switch (a.kind) {
    case 'endpoint':
      return { label: value, phrase: `are on ${value}` };
    case 'method':
      return { label: `${value} requests`, phrase: `are ${value} requests` };
    case 'host':
    case 'service':
      return { label: `${a.kind} ${value}`, phrase: `come from ${a.kind} ${value}` };
    case 'device':
      return { label: `${value} devices`, phrase: `come from ${value} devices` };
    case 'browser':
    case 'browserFamily':
    case 'os':
    case 'osVersion':
      return { label: value, phrase: `come from ${value}` };
    default: {
      const shown = value === '' || value.trim() !== value ? JSON.stringify(value) : value;
      return { label: `${code} = ${shown}`, phrase: `have ${code} = ${shown}` };
    }
  }
}

/** The failures' name in sentences: "the 500s", "the 5xx responses" or "the failures". */
export function failureNoun(statuses: readonly [number, number][], failures: number): string {
  const top = [...statuses].sort((a, b) => b[1] - a[1])[0];
  if (top && top[1] >= 0.95 * failures) return `the ${top[0]}s`;
  const server = statuses.reduce((n, [s, c]) => n + (s >= 500 ? c : 0), 0);
  return server === failures ? 'the 5xx responses' : 'the failures';
}

const relatedOf = (t: Tested) => ({
  attribute: t.attribute,
  label: t.label,
  failureShare: t.failureShare,
  successShare: t.successShare,
});

/** Each finding's failures among the sampled ones (absence: requests without the parameter). */
export function failureSets(sample: readonly SampledFailure[], findings: readonly Tested[]) {
  const sets = new Map<string, Set<number>>(findings.map((f) => [f.key, new Set<number>()]));
  sample.forEach(([, keys], i) => {
    const own = new Set(keys);
    for (const f of findings) {
      const has =
        f.match === 'absent'
          ? keys.some((k) => k.startsWith('endpoint:')) &&
            !own.has(valueKey(f.attribute, f.name, 'present', ''))
          : own.has(f.key);
      if (has) sets.get(f.key)?.add(i);
    }
  });
  return sets;
}

/** How the failures were counted, for testing what a wider finding adds to a narrower one. */
export interface Counting {
  failures: number;
  /** The dispersion factor (contrast-stats.ts). */
  dispersion: number;
}

/** See the file comment of contrast-rank.ts. */
export function mergeRedundant(
  findings: Tested[],
  sets: Map<string, Set<number>>,
  counting: Counting,
): Tested[] {
  const sizeOf = (f: Tested) => sets.get(f.key)?.size ?? 0;
  const shared = (a: Tested, b: Tested) => {
    const [small, large] = sizeOf(a) <= sizeOf(b) ? [a, b] : [b, a];
    let n = 0;
    for (const i of sets.get(small.key) ?? []) if (sets.get(large.key)?.has(i)) n++;
    return n;
  };
  // Too few sampled failures to judge: nearly all failures in both is still proof enough.
  const judged = (a: Tested, b: Tested) => Math.min(sizeOf(a), sizeOf(b)) >= 5;
  const same = (a: Tested, b: Tested) =>
    judged(a, b)
      ? shared(a, b) >= 0.8 * Math.max(sizeOf(a), sizeOf(b))
      : a.failureShare + b.failureShare - 1 >= 0.9 * Math.max(a.failureShare, b.failureShare);
  const within = (inner: Tested, outer: Tested) =>
    judged(inner, outer)
      ? shared(inner, outer) >= 0.9 * sizeOf(inner)
      : inner.failureShare + outer.failureShare - 1 >= 0.9 * inner.failureShare;
  // A narrower finding with more lift is a cause of its own, not a detail of the wider one.
  const detail = (inner: Tested, outer: Tested) =>
    sizeOf(inner) < sizeOf(outer) && within(inner, outer) && inner.lift <= 1.25 * outer.lift;
  const excess = (f: Tested) => f.failureShare - f.successShare;
  const groups: Tested[][] = [];
  for (const f of [...findings].sort((a, b) => excess(b) - excess(a))) {
    const group = groups.find((g) => g.some((m) => same(m, f) || detail(f, m) || detail(m, f)));
    if (group) group.push(f);
    else groups.push([f]);
  }
  // What the wider finding has beyond the narrower one: does it fail more than its traffic?
  const { failures, dispersion: phi } = counting;
  const remainderStandsOut = (outer: Tested, inner: Tested) => {
    const share = Math.max(0, outer.failureShare - inner.failureShare);
    const traffic = Math.max(0, outer.successShare - inner.successShare);
    const p = overRepresentationBound((share * failures) / phi, failures / phi, traffic);
    return p <= 0.01 && share >= 1.5 * traffic;
  };
  const preference: MatchKind[] = ['shape', 'value', 'present', 'absent'];
  const bySpecificity = (a: Tested, b: Tested) =>
    a.successShare - b.successShare || preference.indexOf(a.match) - preference.indexOf(b.match);
  return groups.map((group) => {
    // Start from the best explanation; move to a narrower one inside it while
    // what the wider one adds is no more than chance.
    let leader = group[0] as Tested;
    for (;;) {
      const next = group
        .filter(
          (m) =>
            m !== leader &&
            bySpecificity(m, leader) < 0 &&
            within(m, leader) &&
            !remainderStandsOut(leader, m),
        )
        .sort(bySpecificity)[0];
      if (!next) break;
      leader = next;
    }
    for (const m of group) if (m !== leader) leader.related.push(relatedOf(m));
    return leader;
  });
}

export function sentenceOf(f: Tested, noun: string): string {
  let phrase = f.sentence;
  if (f.attribute === 'browser' || f.attribute === 'browserFamily') {
    const os = f.related.find(
      (r) =>
        !r.label.includes('`') &&
        /^(iOS|Android|Windows|Mac OS|Linux|Chrome OS|Ubuntu)/.test(r.label),
    );
    if (os) phrase = `${phrase} on ${os.label}`;
  }
  const also = f.related
    .filter((r) => !phrase.includes(r.label))
    .map((r) => `${r.label}, ${pct(r.successShare)} of the successes`);
  const more = also.length > 2 ? `; and ${also.length - 2} more` : '';
  const tail = also.length ? ` (the same failures: ${also.slice(0, 2).join('; ')}${more})` : '';
  return `${pct(f.failureShare)} of ${noun} ${phrase}, against ${pct(f.successShare)} of the successes${tail}.`;
}

const TRAFFIC_KINDS: readonly TrafficKind[] = [
  'endpoint',
  'browser',
  'browserFamily',
  'os',
  'osVersion',
  'device',
];

/** Each client and endpoint value's share of the events that carry the attribute. */
export function trafficMix(part: ContrastPartial, top = 50): TrafficMix {
  const mix: TrafficMix = {};
  const events = (counts: readonly number[]) => sumAt(counts, 0) + sumAt(counts, 1) * part.sampling;
  for (const a of part.attributes) {
    if (!(TRAFFIC_KINDS as readonly string[]).includes(a.kind) || !a.values) continue;
    const scope = events(a.present.counts);
    if (scope === 0) continue;
    mix[a.kind as TrafficKind] = a.values
      .map(([value, cell]) => ({
        value,
        events: events(cell.counts),
        share: events(cell.counts) / scope,
      }))
      .sort((x, y) => y.events - x.events)
      .slice(0, top);
  }
  return mix;
}
