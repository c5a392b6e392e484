/** Documented in the README and in `calm --help`. */
export const EXIT = {
  ok: 0,
  /** A bug in Calm: please report it. */
  internal: 1,
  /** A mistake in the command or its input (unknown incident, illegal move, bad time, bad config). Nothing was written. */
  usage: 2,
  /** A check found something (`calm lint` found blame): the command worked, the text needs work. */
  found: 3,
} as const;
