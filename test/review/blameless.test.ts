import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintBlame } from '../../src/core/review/blame.js';

/** The labelled sentences of test/fixtures/blameless: the bar on them. */
describe('lintBlame on labelled sentences', () => {
  const read = (file: string) =>
    readFileSync(join(import.meta.dirname, '../fixtures/blameless', file), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .slice(1)
      .map((line) => line.split('\t') as [string, string]);

  it.each(['sentences.tsv', 'held-out.tsv'])(
    '%s: precision at least 0.9, recall at least 0.8',
    (file) => {
      const rows = read(file);
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const [label, sentence] of rows) {
        const flagged = lintBlame(sentence).length > 0;
        if (flagged && label === 'blame') tp++;
        else if (flagged) fp++;
        else if (label === 'blame') fn++;
      }
      expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.9);
      expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.8);
      expect(rows.length).toBeGreaterThan(100);
    },
  );
});
