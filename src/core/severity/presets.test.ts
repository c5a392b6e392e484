import { describe, expect, it } from 'vitest';
import { compareSeverity, findLevel, requireLevel } from './framework.js';
import { DEFAULT_FRAMEWORK, PRESET_NAMES, presetFramework } from './presets.js';

const MINUTE = 60_000;
const keysOf = (name: (typeof PRESET_NAMES)[number]) =>
  presetFramework(name).levels.map((level) => level.key);

describe('severity presets', () => {
  it('defaults to the three levels of the background reading', () => {
    expect(DEFAULT_FRAMEWORK).toEqual(presetFramework('sev1-sev3'));
    expect(DEFAULT_FRAMEWORK.levels.map((l) => [l.key, l.name])).toEqual([
      ['SEV1', 'Critical'],
      ['SEV2', 'Major'],
      ['SEV3', 'Minor'],
    ]);
  });

  it('describes each default level with the examples of the background reading', () => {
    const [sev1, sev2, sev3] = DEFAULT_FRAMEWORK.levels;
    expect(sev1?.examples).toEqual([
      'A customer-facing service or feature (such as a checkout page) is down for all customers',
      'Customer data is breached or compromised',
      'Customer data is lost',
    ]);
    expect(sev2?.examples).toEqual([
      'A customer-facing service or feature (such as a push notification system) is unavailable for a subset of customers',
      'Core functionality such as invoice creation is significantly impacted',
    ]);
    expect(sev3?.examples).toEqual([
      'A bug is causing a minor inconvenience to customers, but a workaround is available',
      'Performance for a page or feature is degraded',
    ]);
  });

  it('asks more of more severe levels', () => {
    const [sev1, sev2, sev3] = DEFAULT_FRAMEWORK.levels;
    expect(sev1?.policy).toEqual({
      responders: { roles: ['commander', 'communications', 'scribe'], teams: [] },
      notify: ['responders', 'support', 'executives'],
      updateEvery: {
        responders: 15 * MINUTE,
        support: 30 * MINUTE,
        executives: 60 * MINUTE,
        customers: 60 * MINUTE,
      },
      postmortemRequired: true,
      customerCommunicationRequired: true,
    });
    expect(sev2?.policy.notify).toEqual(['responders', 'support']);
    expect(sev2?.policy.postmortemRequired).toBe(true);
    expect(sev2?.policy.customerCommunicationRequired).toBe(false);
    expect(sev3?.policy.responders.roles).toEqual(['commander']);
    expect(sev3?.policy.updateEvery).toEqual({ responders: 120 * MINUTE });
    expect(sev3?.policy.postmortemRequired).toBe(false);
  });

  it('offers SEV0..SEV4 with a catastrophic level on top', () => {
    expect(keysOf('sev0-sev4')).toEqual(['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
    const framework = presetFramework('sev0-sev4');
    expect(framework.levels[0]?.name).toBe('Catastrophic');
    expect(framework.levels[0]?.policy.updateEvery.executives).toBe(30 * MINUTE);
    expect(framework.levels[4]?.policy.notify).toEqual([]);
  });

  it('offers SEV1..SEV5 with internal and informational levels below', () => {
    expect(keysOf('sev1-sev5')).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5']);
    const [, , , sev4, sev5] = presetFramework('sev1-sev5').levels;
    expect(sev4?.name).toBe('Low');
    expect(sev4?.policy.updateEvery).toEqual({ responders: 240 * MINUTE });
    expect(sev5?.name).toBe('Informational');
  });

  it.each(PRESET_NAMES)('%s: every rule points at one of its levels', (name) => {
    const framework = presetFramework(name);
    const keys = framework.levels.map((l) => l.key);
    expect(framework.rules.length).toBeGreaterThan(0);
    for (const rule of framework.rules) {
      expect(keys).toContain(rule.level);
      expect(rule.reason).not.toBe('');
    }
  });

  it('builds a new framework each time, so changing one does not change another', () => {
    const mine = presetFramework('sev1-sev3');
    mine.levels.pop();
    expect(presetFramework('sev1-sev3').levels).toHaveLength(3);
  });
});

describe('finding levels', () => {
  it('finds a level by key, ignoring case and space', () => {
    expect(findLevel(DEFAULT_FRAMEWORK, ' sev2 ')?.name).toBe('Major');
    expect(findLevel(DEFAULT_FRAMEWORK, 'SEV4')).toBeUndefined();
  });

  it('requires a known level and lists the levels when it is not', () => {
    expect(requireLevel(DEFAULT_FRAMEWORK, 'Sev3').key).toBe('SEV3');
    expect(() => requireLevel(presetFramework('sev0-sev4'), 'P1')).toThrow(
      'unknown severity "P1"; this team\'s levels are SEV0, SEV1, SEV2, SEV3, SEV4 (see `calm severity list`)',
    );
  });

  it('orders levels most severe first', () => {
    expect(compareSeverity(DEFAULT_FRAMEWORK, 'SEV1', 'SEV3')).toBeLessThan(0);
    expect(compareSeverity(DEFAULT_FRAMEWORK, 'SEV3', 'SEV2')).toBeGreaterThan(0);
    expect(compareSeverity(DEFAULT_FRAMEWORK, 'SEV2', 'SEV2')).toBe(0);
  });
});
