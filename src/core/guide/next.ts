import { rootCause } from '../cause/chain.js';
import type { EpochMs } from '../ids.js';
import { isImpactEmpty } from '../incident/impact.js';
import type { IncidentState } from '../incident/incident.js';
import { ROLE_TITLES, roleFilled } from '../incident/roles.js';
import type { SeverityLevel } from '../severity/framework.js';
import { formatDuration } from '../time.js';
import { untold } from './checklist.js';
import { updateSchedule } from './schedule.js';

/** One thing to do, why it matters, and the command that records it. */
export interface Suggestion {
  what: string;
  why: string;
  command: string;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What to do now, most urgent first: the practice's order (assess, log,
 * severity, people, telling, cause, resolve, review), with overdue updates
 * pushed to the front because a promise to an audience is a deadline.
 */
export function nextSteps(
  state: IncidentState,
  level: SeverityLevel | undefined,
  now: EpochMs,
): Suggestion[] {
  if (state.status === 'closed' || state.status === 'declined') {
    return [
      {
        what: `Nothing to do: ${state.key} is ${state.status}.`,
        why: 'Its log is complete.',
        command: 'calm list',
      },
    ];
  }
  const steps: Suggestion[] = [];
  const key = level?.key;

  const notTold = untold(state, level);
  for (const due of updateSchedule(state, level, now)) {
    // An audience nobody has told yet gets its own suggestion below.
    if (due.overdueByMs <= 0 || notTold.includes(due.audience)) continue;
    steps.push({
      what:
        due.lastAt === undefined
          ? `The first update to ${due.audience} is overdue by ${formatDuration(due.overdueByMs)}.`
          : `The update to ${due.audience} is overdue by ${formatDuration(due.overdueByMs)}.`,
      why: `${key} promises ${due.audience} an update every ${formatDuration(due.everyMs)}, even when there is no news.`,
      command: `calm update ${due.audience} "${due.lastAt === undefined ? 'what is happening, who is affected, what we are doing' : 'no new information'}; next update in ${formatDuration(due.everyMs)}"`,
    });
  }

  if (isImpactEmpty(state.impact)) {
    steps.push({
      what: 'Assess the impact.',
      why: 'Who is affected, and whether you can roll back, decide everything that follows.',
      command: 'calm impact --affected all|subset|internal --rollback yes|no',
    });
  }
  if (state.logged === 0) {
    steps.push({
      what: 'Start the log: write down what the impact is and what has happened.',
      why: 'You will thank yourself later: the log is what the review is built from.',
      command: 'calm log "checkout returns 500 since 14:02"',
    });
  }
  if (!state.severity) {
    steps.push({
      what: 'Determine the severity.',
      why: 'The severity decides who responds, who must be told and how often.',
      command: 'calm severity assess',
    });
  }
  for (const role of level?.policy.responders.roles ?? []) {
    if (roleFilled(state.roles, role)) continue;
    steps.push({
      what: `Nobody is the ${ROLE_TITLES[role]}: ${key} requires one.`,
      why: 'Named roles keep people from doing work twice or not at all.',
      command: `calm role ${role} NAME`,
    });
  }
  if (notTold.length) {
    const first = notTold[0] ?? '';
    steps.push({
      what:
        state.tellings.length === 0
          ? `Nobody has been told yet: ${key} requires telling ${notTold.join(', ')}.`
          : `${capitalize(first)} has not been told yet: ${key} requires it.`,
      why: 'Report the problem early; people who know can help, and support can reassure customers.',
      command: `calm told ${first} --via email`,
    });
  } else if (!level && state.tellings.length === 0) {
    steps.push({
      what: 'Report the problem to someone.',
      why: 'Your lead or support should hear it from you first.',
      command: 'calm told support --via email',
    });
  }
  if (state.status === 'triage') {
    steps.push({
      what: 'Move the incident to investigating.',
      why: 'Triage is done once the impact and severity are known.',
      command: 'calm status investigating',
    });
  }

  const root = rootCause(state.causeChain);
  const confirmed = state.hypotheses.find((h) => h.status === 'confirmed');
  if (state.status === 'resolved') {
    steps.push({
      what: 'Review the log: look at each stage and whether the time was used well.',
      why: level?.policy.postmortemRequired
        ? `${key} requires a postmortem; the log is its first draft.`
        : 'Small lessons are cheapest to learn right after the incident.',
      command: 'calm show && calm close',
    });
    return steps;
  }
  if (!root && !confirmed) {
    const testing = state.hypotheses.filter((h) => h.status === 'testing');
    const proposed = state.hypotheses.filter((h) => h.status === 'proposed');
    if (testing[0]) {
      steps.push({
        what: `Finish testing H${testing[0].number}: ${testing[0].statement}.`,
        why: 'One thing at a time: eliminate or confirm it, and note why.',
        command: `calm hypothesis eliminate ${testing[0].number} --reason "..."`,
      });
    } else if (proposed[0]) {
      steps.push({
        what: `Test H${proposed[0].number}: ${proposed[0].statement}.`,
        why: 'Slow is smooth, smooth is fast: test one possible cause at a time.',
        command: `calm hypothesis test ${proposed[0].number}`,
      });
    } else {
      steps.push({
        what: 'Find the root cause: propose what might be causing this.',
        why: 'Eliminate causes one by one, and keep notes of why each was ruled out.',
        command: 'calm hypothesis add "the 14:00 deploy broke checkout"',
      });
    }
  } else if (!root) {
    steps.push({
      what: 'Record the chain from the symptom to the root cause.',
      why: 'The surfaced problem is often second order; the review needs the whole chain.',
      command: 'calm cause add "500s on /checkout" && calm cause add --root "..."',
    });
  }
  if (root || confirmed) {
    steps.push({
      what: 'Resolve the problem, then watch that it stays resolved.',
      why: 'The cause is known; fix it and be extra communicative while you do.',
      command: state.status === 'monitoring' ? 'calm resolve' : 'calm status monitoring',
    });
  }
  return steps;
}
