import type { IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';

/** Incidents whose latest state is kept; more are read from the database again. */
const KEPT_STATES = 1000;

/**
 * The order of one store's writes to each incident, and the state each left.
 * A write takes its incident's turn, builds on the state the write before it
 * left, and passes the turn on as soon as its statements have run inside the
 * batch transaction (group-commit.ts), not when the batch commits: so fifty
 * appends to one incident can share one commit, each numbered after the one
 * before. The kept state may be ahead of the committed one; a write that was
 * rolled back takes its state back out (WriteScope.ifRolledBack) before any
 * later batch runs, and a write built on a state that is no longer kept fails
 * as a version conflict and is built again from the database.
 */
export class IncidentTurns {
  readonly #tails = new Map<IncidentId, Promise<void>>();
  readonly #latest = new Map<IncidentId, IncidentState>();

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

  /** The state the last write this store ran left, if kept. */
  latest(id: IncidentId): IncidentState | undefined {
    return this.#latest.get(id);
  }

  remember(state: IncidentState): void {
    this.#latest.delete(state.id);
    if (this.#latest.size >= KEPT_STATES)
      this.#latest.delete(this.#latest.keys().next().value as IncidentId);
    this.#latest.set(state.id, state);
  }

  /** Forgets the incident's state (or only `state`, if that is still the one kept). */
  forget(id: IncidentId, state?: IncidentState): void {
    if (state === undefined || this.#latest.get(id) === state) this.#latest.delete(id);
  }
}
