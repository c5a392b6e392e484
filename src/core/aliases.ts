/**
 * Looks a typed word up in a table of accepted spellings. Own keys only:
 * "constructor" must not find Object.prototype.constructor.
 */
export function lookupAlias<T>(table: Readonly<Record<string, T>>, value: string): T | undefined {
  const normalized = value.trim().toLowerCase();
  return Object.hasOwn(table, normalized) ? table[normalized] : undefined;
}
