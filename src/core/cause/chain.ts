import type { EntrySeq } from '../ids.js';
import type { CauseCategory } from './categories.js';

/**
 * One link of the chain from the symptom people see to the root cause:
 * "500s on /checkout" <- "gateway timeout" <- "CPU spike" <- "a loop computing pi".
 * The chain is ordered symptom first; each link names the entry that added it.
 */
export interface CauseLink {
  seq: EntrySeq;
  text: string;
  categories: CauseCategory[];
  /** The link judged to be the root cause (the last one, by convention). */
  root: boolean;
}

export function rootCause(chain: readonly CauseLink[]): CauseLink | undefined {
  return chain.find((link) => link.root);
}

export function formatChain(chain: readonly CauseLink[]): string {
  return chain
    .map((link, index) => {
      const tags = link.categories.length ? ` [${link.categories.join(', ')}]` : '';
      const marker = link.root ? ' (root cause)' : '';
      return `${index + 1}. ${link.text}${tags}${marker}`;
    })
    .join('\n');
}
