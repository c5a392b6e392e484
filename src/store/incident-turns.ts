import type { IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import type { PlannedWrite } from './group-commit.js';

/** Incidents whose latest state is kept; more are read from the database again. */
const KEPT_STATES = 1000;

/** The state an incident's last write leaves, and that write (to build the next one on). */
export interface Kept {
  state: IncidentState;
  write: PlannedWrite | undefined;
}

/**
 * The order of one store's writes to each incident, and the state each left.
 * A write takes its incident's turn, builds on the state the write before it
 * left, and passes the turn on as soon as it is queued (group-commit.ts), not
 * when it commits: so fifty appends to one incident can share one commit, each
 * numbered after the one before. The kept state may be ahead of the committed
 * one; a write built on a write that is rolled back fails as a version conflict
 * (PlannedWrite.after), and so does one built on a state that is no longer kept
 * but still committing: both are built again from the database.
 */
export class IncidentTurns {
  readonly #tails = new Map<IncidentId, Promise<void>>();
  readonly #latest = new Map<IncidentId, Kept>();

  /** Waits for the incident's turn; the function returned passes it on (once, however often called). */
  async take(id: IncidentId): Promise<() => void> {
    const prior = this.#tails.get(id);
    let open = () => {};
    const mine = new Promise<void>((resolve) => {
      open = resolve;
    });
    // the tails never reject, so one failed write cannot fail those queued behind it
    const tail = prior ? prior.then(() => mine) : mine;
    this.#tails.set(id, tail);
    if (prior) await prior;
    let passed = false;
    return () => {
      if (passed) return;
      passed = true;
      open();
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    };
  }

  /** The state the last write this store queued leaves, if kept. */
  latest(id: IncidentId): Kept | undefined {
    return this.#latest.get(id);
  }

  remember(state: IncidentState, write?: PlannedWrite): void {
    this.#latest.delete(state.id);
    if (this.#latest.size >= KEPT_STATES)
      this.#latest.delete(this.#latest.keys().next().value as IncidentId);
    this.#latest.set(state.id, { state, write });
  }

  /** Forgets the incident's state (or only `state`, if that is still the one kept). */
  forget(id: IncidentId, state?: IncidentState): void {
    if (state === undefined || this.#latest.get(id)?.state === state) this.#latest.delete(id);
  }
}
