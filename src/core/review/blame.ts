/**
 * The blameless linter: finds sentences in a postmortem or a timeline that
 * point at a person as the cause, or judge them, and says how to put it in
 * terms of the system that let the failure happen.
 *
 * Hand-written rules rather than a library or a model: no maintained library
 * does this, the rules must run offline and instantly in an editor, and each
 * finding must say which words triggered it and why, so a person can decide.
 * The rules were written against the labelled sentences in
 * test/fixtures/blameless/sentences.tsv; `npm run bench:blameless` prints
 * their precision and recall.
 *
 * Four kinds of finding:
 * - judgement: words about a person's character or care ("careless", "stupid",
 *   "dropped the ball");
 * - culprit: a person named as the cause ("Bob broke it", "caused by Nora",
 *   "whose fault", "human error");
 * - hindsight: what a person "should have" done or known;
 * - the team's own words, from the config file.
 */

export type BlameKind = 'judgement' | 'culprit' | 'hindsight' | 'custom';

export interface BlameFinding {
  kind: BlameKind;
  /** The words that triggered it, as written, and where they are in the text. */
  match: string;
  start: number;
  end: number;
  /** The sentence they are in. */
  sentence: string;
  /** Why it reads as blame. */
  message: string;
  /** A system-focused way to say it. */
  suggestion: string;
}

export interface BlameOptions {
  /** More words or phrases that judge people (the team's list). */
  words?: readonly string[];
  /** Words or phrases never flagged, such as a service named "Lazy Loader". */
  allow?: readonly string[];
  /**
   * People's names (the incident's authors and roles): known to be people even
   * where a word could name a thing. Any other capitalised word before a verb of
   * blame is taken for a name too, unless it is a common word (NOT_PEOPLE).
   */
  people?: readonly string[];
}

interface Rule {
  kind: BlameKind;
  pattern: RegExp;
  message: string;
  suggestion: string;
  /** Whether the rule needs its `subject` group to be a person. */
  personSubject?: boolean;
}

/** Who can be blamed: a name, a pronoun, or a role that stands for a person. */
const ROLE_NOUNS =
  '(?:the |an? |our |this )?(?:on-?call (?:engineer|person|sre|developer)|on-?call|intern|new hire|contractor|engineer|developer|dba|sre(?: on call)?|junior (?:developer|engineer)|release manager|operator|reviewer|admin|person)';
const SUBJECT = `(?<subject>[A-Z][a-z]+|[Hh]e|[Ss]he|${ROLE_NOUNS})`;
const POSSESSIVE = "(?<subject>[A-Z][a-z]+)'s";

/** Words of judgement about a person's character or care. */
const JUDGEMENTS = [
  'careless(?:ly|ness)?',
  'negligen(?:t|ce|tly)',
  'incompeten(?:t|ce)',
  'stupid',
  'dumb',
  'idiot(?:ic)?',
  'lazy',
  'sloppy',
  'reckless(?:ly)?',
  'botch(?:ed)?',
  '(?:screw|mess)(?:ed)? up',
  'fat-finger(?:ed)?',
  'dropped the ball',
  'rookie mistake',
  'asleep at the wheel',
  'should be fired',
  "(?:didn't|did not) (?:bother|care)",
  "(?:wasn't|was not|weren't|not) paying attention",
  'blew away',
  'did not know what (?:he|she|they) (?:was|were) doing',
  "(?:clearly|obviously) (?:did not|didn't|never) (?:understand|read|know)",
];

const RULES: Rule[] = [
  {
    kind: 'judgement',
    pattern: new RegExp(`\\b(?:${JUDGEMENTS.join('|')})\\b`, 'gi'),
    message: "judges a person's care or character, which explains nothing about the failure",
    suggestion:
      'describe what happened and what made it possible: "the config change reached production without validation"',
  },
  {
    kind: 'culprit',
    pattern:
      /\b(?:(?:whose|his|her|their|my|your|[A-Z][a-z]+'s) fault|(?<!not |n't )(?:is|was|are|were) (?:entirely |partly |all )?to blame|blame lies|we blame|(?:human|operator|user) error)\b/gi,
    message:
      'looks for a culprit; incidents have causes, and people act in the system they are given',
    suggestion:
      'name the conditions that combined: "the restore used the wrong backup because both were labelled alike"',
  },
  {
    kind: 'culprit',
    pattern: new RegExp(
      `(?:\\b(?:the )?[\\w-]+ team|\\b(?:Ops|Support|Operations|Engineering|QA)|${SUBJECT}) (?:is|was|are|were) (?:entirely |partly |clearly )?at fault\\b`,
      'g',
    ),
    message: 'names a person or team as at fault',
    suggestion: 'say what in the system failed, and what let it',
    personSubject: true,
  },
  {
    kind: 'culprit',
    pattern: new RegExp(
      `\\b${SUBJECT} (?:simply |just |clearly |again |carelessly )?(?:broke|has broken|had broken|caused|forgot|neglected|ignored|deleted|pushed broken|failed to|(?:didn't|did not|never) (?:follow|test|check|read|notice|escalate|understand|bother|care|know)|could have broken)\\b`,
      'g',
    ),
    message: 'names a person as the cause',
    suggestion:
      'name the change or the action, and what let it through: "the 14:00 deploy broke checkout; the pipeline has no canary stage"',
    personSubject: true,
  },
  {
    kind: 'culprit',
    pattern: new RegExp(
      `\\b${POSSESSIVE} (?:\\w+ )?(?:change|typo|script|deploy|commit|mistake|error|query|code) (?:broke|caused|took down|deleted|cost|led to)\\b`,
      'g',
    ),
    message: "names a person's work as the cause, which points at the person",
    suggestion: 'drop the name: "the change broke payments"; then ask what let it through',
    personSubject: true,
  },
  {
    kind: 'culprit',
    pattern:
      /\b(?:caused by|is on|root cause (?:was|is)|mistake was (?:entirely |all )?) ?(?<subject>[A-Z][a-z]+)\b(?! (?:cluster|server|service|database|deploy|job|queue|cache)\b)/g,
    message: 'names a person as the cause',
    suggestion:
      'say what happened in the system: "the migration did not run because it was a manual step"',
    personSubject: true,
  },
  {
    kind: 'culprit',
    pattern:
      /\b(?<subject>[A-Z][a-z]+) is responsible for the (?:outage|downtime|incident|data loss|breach|failure)\b|\bwho broke\b|\bthe one who broke\b|\bwhoever (?:wrote|did|broke)\b/g,
    message: 'looks for the person who caused it',
    suggestion: 'ask what caused it, and what made that possible',
  },
  {
    kind: 'hindsight',
    pattern: /\b(?:should have|should've|ought to have) known\b/gi,
    message: 'hindsight: it was not known then, or it would not have happened',
    suggestion: 'say what would have made it visible: "nothing showed that the flag was still on"',
  },
  {
    kind: 'hindsight',
    pattern: new RegExp(
      `\\b${SUBJECT} (?:should have|should've|should never have|ought to have)\\b`,
      'g',
    ),
    message: 'hindsight about what a person should have done',
    suggestion:
      'say what the system should do, as an action item: "the deploy checklist now includes checking the logs"',
    personSubject: true,
  },
  {
    kind: 'hindsight',
    pattern: /\b[Ii]f (?<subject>[A-Z][a-z]+) had\b/g,
    message: 'a counterfactual about one person',
    suggestion:
      'say which safeguard would have caught it: "a test for this path would have caught it"',
    personSubject: true,
  },
];

/** Capitalised words that start sentences or name things, not people. */
const NOT_PEOPLE = new Set(
  (
    'The This That These Those It Its We Our Us They Their There Here What Which When Where Why How ' +
    'Because Since After Before During While If Then Also But And Or So Nobody Somebody Someone ' +
    'Everyone Anyone Whoever Support Ops Operations Engineering Security Tests Testing Monitoring ' +
    'Alerting Deploys Deploy Errors Error Code Review Training Production Staging Customers Users ' +
    'Root Action Item Detection Timeline Frankly Obviously Clearly Only One'
  ).split(' '),
);

function isPerson(subject: string | undefined, people: ReadonlySet<string> | undefined): boolean {
  if (!subject) return true;
  const word = subject.trim();
  if (!/^[A-Z][a-z]+$/.test(word)) return true; // a pronoun or a role noun
  return people?.has(word.toLowerCase()) || !NOT_PEOPLE.has(word);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where each sentence starts and ends, so a finding can quote its sentence. */
function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const from = Math.max(
    before.lastIndexOf('. ') + 1,
    before.lastIndexOf('? ') + 1,
    before.lastIndexOf('! ') + 1,
    before.lastIndexOf('\n') + 1,
  );
  const after = text.slice(end).search(/[.?!](?:\s|$)|\n/);
  const to = after === -1 ? text.length : end + after + 1;
  return text.slice(from, to).trim();
}

/** Every finding in `text`, in the order they appear; overlapping ones are kept once. */
export function lintBlame(text: string, options: BlameOptions = {}): BlameFinding[] {
  const people = options.people?.length
    ? new Set(options.people.flatMap((name) => name.toLowerCase().split(/\s+/)))
    : undefined;
  // where the allowed phrases are: a finding inside one is not reported
  const allowed = options.allow?.length
    ? [...text.matchAll(new RegExp(options.allow.map(escapeRegExp).join('|'), 'gi'))].map(
        (found) => ({ start: found.index ?? 0, end: (found.index ?? 0) + found[0].length }),
      )
    : [];
  const rules = [...RULES];
  if (options.words?.length)
    rules.push({
      kind: 'custom',
      pattern: new RegExp(`\\b(?:${options.words.map(escapeRegExp).join('|')})\\b`, 'gi'),
      message: "is on this team's list of words that blame",
      suggestion: 'describe the system and the conditions instead',
    });

  const findings: BlameFinding[] = [];
  for (const rule of rules) {
    for (const found of text.matchAll(rule.pattern)) {
      const start = found.index ?? 0;
      const end = start + found[0].length;
      if (rule.personSubject && !isPerson(found.groups?.subject, people)) continue;
      if (allowed.some((span) => start < span.end && span.start < end)) continue;
      if (findings.some((other) => start < other.end && other.start < end)) continue;
      findings.push({
        kind: rule.kind,
        match: found[0],
        start,
        end,
        sentence: sentenceAround(text, start, end),
        message: `"${found[0]}" ${rule.message}`,
        suggestion: rule.suggestion,
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}
