/**
 * The scenario generator's entry point: `generateScenario(kind, seed)` gives
 * a realistic small incident (or a quiet control day) as in-memory files with
 * the planted truth. Same kind and seed, byte-identical files.
 */
import { browserSpecificFailure } from './kinds/browser-specific-failure.js';
import { cronPeriodicTimeouts } from './kinds/cron-periodic-timeouts.js';
import { deployBreaksInputShape } from './kinds/deploy-breaks-input-shape.js';
import { diskFilling } from './kinds/disk-filling.js';
import { memoryLeakRestarts } from './kinds/memory-leak-restarts.js';
import { periodicNoCron } from './kinds/periodic-no-cron.js';
import { quietControl } from './kinds/quiet-control.js';
import { regionConfigChange } from './kinds/region-config-change.js';
import { thirdPartyOutage } from './kinds/third-party-outage-innocent-deploy.js';
import { timeOfDaySurge } from './kinds/time-of-day-surge.js';
import { SCENARIO_KINDS, type Scenario, type ScenarioKind } from './truth.js';

export type { Scenario, ScenarioFile, ScenarioKind, Truth } from './truth.js';
export { isScenarioKind, SCENARIO_KINDS } from './truth.js';

const BUILDERS: Record<ScenarioKind, (seed: number) => Scenario> = {
  'deploy-breaks-input-shape': deployBreaksInputShape,
  'cron-periodic-timeouts': cronPeriodicTimeouts,
  'disk-filling': diskFilling,
  'third-party-outage-innocent-deploy': thirdPartyOutage,
  'time-of-day-surge': timeOfDaySurge,
  'memory-leak-restarts': memoryLeakRestarts,
  'browser-specific-failure': browserSpecificFailure,
  'region-config-change': regionConfigChange,
  'periodic-no-cron': periodicNoCron,
  'quiet-control': quietControl,
};

/** One scenario of `kind`; `seed` (an integer) draws everything else. */
export function generateScenario(kind: ScenarioKind, seed: number): Scenario {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return BUILDERS[kind](seed);
}

/** Every kind, in the order of issue 4. */
export function listKinds(): readonly ScenarioKind[] {
  return SCENARIO_KINDS;
}
