/**
 * Numbers as the report's JSON holds them: probabilities within [0, 1]
 * (rounding and adjusted p-values may stray past), and no Infinity, which
 * JSON cannot say (a ratio or lift of something new is null).
 */
export const probability = (p: number) => (Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0);

export const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
