/**
 * What every section of the terminal report writes the same way: shares as
 * percentages and evidence as `file:line  text` (cut at 160 characters).
 */
import type { Evidence } from './evidence.js';

export const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

export const cite = (e: Evidence) =>
  `${e.source}:${e.line}  ${e.text.length > 160 ? `${e.text.slice(0, 157)}...` : e.text}`;
