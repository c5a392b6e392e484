/**
 * Fills a store with one incident of N timeline entries through the real use
 * cases (in batches of 100 per append), for bench/cli-latency.mjs.
 * Usage: node seed-timeline.mjs <db file> <entries>
 */
import { systemClock } from '../src/app/context.js';
import { declareIncident } from '../src/app/incidents.js';
import { runIncidentCommand } from '../src/app/run-command.js';
import type { Change } from '../src/core/incident/commands.js';
import { DEFAULT_FRAMEWORK } from '../src/core/severity/presets.js';
import type { EntryBody } from '../src/core/timeline/entry.js';
import { openSqliteStore } from '../src/store/open.js';

const [path, countText] = process.argv.slice(2);
if (!path || !countText) throw new Error('usage: seed-timeline <db file> <entries>');
const count = Number(countText);
const store = await openSqliteStore(path);
const ctx = {
  store,
  clock: systemClock,
  author: 'bench',
  framework: async () => DEFAULT_FRAMEWORK,
};
const { state } = await declareIncident(ctx, {
  title: 'Bench incident',
  services: ['checkout'],
  severity: 'SEV2',
});
const kinds = ['note', 'action', 'finding', 'decision'] as const;
const start = Date.now() - count * 1000;
let written = state.version;
while (written < count) {
  const batch: Change[] = [];
  for (let i = 0; i < 100 && written + batch.length < count; i++) {
    const n = written + batch.length;
    const body: EntryBody =
      n % 10 === 0
        ? {
            kind: 'status_update',
            audience: 'support',
            text: `update ${n}: still investigating, next update in 30 minutes`,
          }
        : {
            kind: kinds[n % kinds.length] ?? 'note',
            text: `entry ${n}: error rate on /checkout is ${n % 50}% on web-${n % 7}`,
          };
    batch.push({ body, occurredAt: (start + n * 1000) as Change['occurredAt'] & number });
  }
  const result = await runIncidentCommand(ctx, state.id, () => batch);
  written = result.state.version;
}
await store.close();
console.log(`seeded ${state.key} with ${written} entries`);
