import { formatChain } from '../../core/cause/chain.js';
import type { StepState } from '../../core/guide/checklist.js';
import type { UpdateDue } from '../../core/guide/schedule.js';
import { describeImpact, isImpactEmpty } from '../../core/incident/impact.js';
import type { IncidentState } from '../../core/incident/incident.js';
import { MILESTONES, milestoneLabel } from '../../core/incident/milestones.js';
import { localClock, localDateTime, zoneLabel } from '../../core/local-time.js';
import type { SeverityLevel } from '../../core/severity/framework.js';
import { formatDuration } from '../../core/time.js';

export function headline(state: IncidentState, level?: SeverityLevel): string {
  const severity = state.severity ? `${state.severity}${level ? ` ${level.name}` : ''}` : 'unrated';
  return `${state.key}  ${state.title}\n${severity} · ${state.status}`;
}

function rolesLine(state: IncidentState): string {
  const { commander, communications, scribe, responders } = state.roles;
  const parts = [
    `commander ${commander ?? '—'}`,
    `communications ${communications ?? '—'}`,
    `scribe ${scribe ?? '—'}`,
    `responders ${responders.length ? responders.join(', ') : '—'}`,
  ];
  return parts.join(' · ');
}

export function renderSchedule(schedule: readonly UpdateDue[]): string[] {
  return schedule.map((due) =>
    due.overdueByMs > 0
      ? `  ${due.audience}: overdue by ${formatDuration(due.overdueByMs)} (every ${formatDuration(due.everyMs)})`
      : `  ${due.audience}: next update due in ${formatDuration(-due.overdueByMs)} (every ${formatDuration(due.everyMs)})`,
  );
}

export function renderChecklist(steps: readonly StepState[]): string[] {
  return steps.map(
    (step) => `  [${step.done ? 'x' : ' '}] ${step.title.padEnd(23)} ${step.detail}`,
  );
}

/** Everything about an incident but its timeline. */
export function renderSummary(
  state: IncidentState,
  now: number,
  level: SeverityLevel | undefined,
  schedule: readonly UpdateDue[],
  checklist: readonly StepState[],
): string {
  const lines = [headline(state, level)];
  if (state.summary) lines.push(state.summary);
  if (state.services.length) lines.push(`services: ${state.services.join(', ')}`);
  const started = state.milestones.impact_started ?? state.milestones.declared;
  if (started !== undefined) {
    const end = state.milestones.resolved ?? now;
    lines.push(
      `impact ${state.milestones.impact_started ? 'started' : 'declared'} ${localDateTime(started)} (${formatDuration(end - started)} ${state.milestones.resolved ? 'until resolved' : 'ago'})`,
    );
  }
  lines.push(`roles: ${rolesLine(state)}`);
  lines.push(
    `impact: ${isImpactEmpty(state.impact) ? 'not assessed yet' : describeImpact(state.impact)}`,
  );
  const milestones = MILESTONES.filter((m) => state.milestones[m] !== undefined).map(
    (m) => `${milestoneLabel(m)} ${localClock(state.milestones[m] ?? 0)}`,
  );
  lines.push(`milestones: ${milestones.join(' · ')}`);
  if (state.hypotheses.length) {
    lines.push('hypotheses:');
    for (const h of state.hypotheses) {
      const last = h.moves.at(-1);
      lines.push(
        `  H${h.number} ${h.status.padEnd(10)} ${h.statement}${last?.reason ? ` — ${last.reason}` : ''}`,
      );
    }
  }
  if (state.causeChain.length) {
    lines.push('cause chain (symptom first):');
    lines.push(
      ...formatChain(state.causeChain)
        .split('\n')
        .map((line) => `  ${line}`),
    );
  }
  if (schedule.length) {
    lines.push('status updates:');
    lines.push(...renderSchedule(schedule));
  }
  lines.push('checklist:');
  lines.push(...renderChecklist(checklist));
  lines.push(`times in ${zoneLabel(now)}`);
  return `${lines.join('\n')}\n`;
}

export function renderList(incidents: readonly IncidentState[]): string {
  if (incidents.length === 0)
    return 'No incidents match. Declare one with `calm declare "checkout is down"`.\n';
  const rows = incidents.map((s) => [
    s.key,
    s.severity ?? '—',
    s.status,
    localDateTime(s.milestones.declared ?? s.lastEntryAt).slice(0, 16),
    s.services.join(',') || '—',
    s.personal ? `${s.title} (personal)` : s.title,
  ]);
  const header = ['ID', 'SEV', 'STATUS', 'DECLARED', 'SERVICES', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
