import { UserError } from '../errors.js';

export const STATUSES = [
  'triage',
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'closed',
  'declined',
] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The legal moves. Work flows forward (steps may be skipped: a quick rollback
 * goes from investigating straight to resolved), and may step back when the
 * facts say so: a wrong theory sends `identified` back to `investigating`, a
 * regression sends `monitoring` or `resolved` back. `declined` ("a bug, not an
 * incident") is decided in triage; `closed` and `declined` are final.
 */
const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  triage: ['investigating', 'identified', 'monitoring', 'resolved', 'declined'],
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['investigating', 'closed'],
  closed: [],
  declined: [],
};

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function parseStatus(value: string): Status {
  const normalized = value.trim().toLowerCase();
  if (!isStatus(normalized)) {
    throw new UserError(`unknown status "${value}"; use one of ${STATUSES.join(', ')}`);
  }
  return normalized;
}

export function allowedTransitions(from: Status): readonly Status[] {
  return TRANSITIONS[from];
}

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: Status, to: Status): void {
  if (canTransition(from, to)) return;
  const options = TRANSITIONS[from];
  const fix =
    options.length === 0
      ? `a ${from} incident is final; declare a new incident if the problem is back`
      : `from ${from} it can move to ${options.join(', ')}`;
  throw new UserError(
    `cannot move the incident from ${from} to ${to}: ${fix}`,
    'illegal_transition',
  );
}

/** Active incidents are the ones somebody is working on. */
export function isActive(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed' && status !== 'declined';
}

export const ACTIVE_STATUSES: Status[] = STATUSES.filter(isActive);
