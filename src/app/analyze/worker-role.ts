/** Marks a thread started by `calm analyze`, so the entry script serves pieces (kept tiny: main.ts imports it at startup). */
export const ANALYZE_WORKER = 'calm-analyze-worker';
