/**
 * A copy of `s` that does not keep alive the string it was cut from.
 *
 * V8 represents `big.slice(i, j)` (13 characters or more) as a view into
 * `big`. The readers decode a whole chunk (about a megabyte) into one string
 * and cut lines, messages and fields out of it, so one kept example, host
 * name or template token would pin its whole chunk: hundreds of kept values
 * pinned hundreds of megabytes. Everything the evidence engine keeps past
 * the event it came from goes through here; the per-event hot path never does.
 */
export function detach(s: string): string {
  // Shorter slices are copied by V8 anyway. JSON.parse builds a fresh flat string.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
