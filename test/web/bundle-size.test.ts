/** The web app's JavaScript stays within its budget: 300 kB gzipped (issue 7). */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('ships at most 300 kB of gzipped JavaScript (scripts/web-size.mjs)', () => {
  // global-setup built dist/web; the script exits 1 over the budget
  const report = execFileSync(process.execPath, ['scripts/web-size.mjs'], { encoding: 'utf8' });
  console.log(report.trimEnd());
  const total = /JavaScript gzipped: ([\d.]+) kB of 300\.0 kB/.exec(report)?.[1];
  expect(Number(total)).toBeGreaterThan(20);
  expect(Number(total)).toBeLessThanOrEqual(300);
});
