import type { IncidentState } from '../incident/incident.js';
import { ROLE_TITLES, roleFilled } from '../incident/roles.js';
import type { SeverityLevel } from '../severity/framework.js';
import { formatDuration } from '../time.js';
import { untold } from './checklist.js';

const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

/** "a, b and c" */
const listed = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * What a level asks of the incident now that it has it, in a few lines: the
 * roles still unfilled, the teams it pages, who must be told and how often.
 * Said when the severity is set, so a raise brings in whoever the new level
 * requires (its notifications go out through the channels meanwhile).
 */
export function levelDemands(state: IncidentState, level: SeverityLevel): string[] {
  const { policy } = level;
  const lines: string[] = [];
  const unfilled = policy.responders.roles.filter((role) => !roleFilled(state.roles, role));
  if (unfilled.length)
    lines.push(
      `${level.key} needs ${listed(unfilled.map((role) => withArticle(ROLE_TITLES[role])))}: calm role ${unfilled[0]} NAME`,
    );
  if (policy.responders.teams.length)
    lines.push(`${level.key} brings in ${policy.responders.teams.join(', ')}`);
  const cadence = Object.entries(policy.updateEvery).map(
    ([audience, every]) => `${audience} every ${formatDuration(every ?? 0)}`,
  );
  if (cadence.length) lines.push(`updates: ${cadence.join(', ')} (calm update AUDIENCE)`);
  const notTold = untold(state, level);
  if (notTold.length) lines.push(`not told yet: ${notTold.join(', ')}`);
  return lines;
}
