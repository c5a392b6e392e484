import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { assessSeverity } from './assessment.js';
import { parseConfig, toConfigDocument } from './config-schema.js';
import { DEFAULT_FRAMEWORK, PRESET_NAMES, presetFramework } from './presets.js';

const MINUTE = 60_000;
const SOURCE = '/home/alice/.calm/config.yaml';
const FIX = '; fix the file (see `calm init --help` for a valid example)';

/** A level as someone would write it in the file, with only the fields that matter here. */
const level = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `Level ${key}`,
  ...extra,
});
const withLevels = (...levels: unknown[]) => ({ severity: { levels } });

function configError(document: unknown): UserError {
  try {
    parseConfig(document, SOURCE);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig: valid documents', () => {
  it.each([
    ['an empty document', null],
    ['an empty object', {}],
    ['an empty severity section', { severity: {} }],
  ])('uses the default framework for %s', (_name, document) => {
    expect(parseConfig(document, SOURCE).severity).toEqual(DEFAULT_FRAMEWORK);
  });

  it.each(['sev0-sev4', 'sev1-sev5'] as const)('uses the %s preset when asked', (preset) => {
    expect(parseConfig({ severity: { preset } }, SOURCE).severity).toEqual(presetFramework(preset));
  });

  it('builds custom levels with defaults for what is left out', () => {
    const config = parseConfig(withLevels(level('P1'), level('P2')), SOURCE);
    expect(config.severity.levels[1]).toEqual({
      key: 'P2',
      name: 'Level P2',
      description: '',
      examples: [],
      policy: {
        responders: { roles: [], teams: [] },
        notify: [],
        updateEvery: {},
        postmortemRequired: false,
        customerCommunicationRequired: false,
      },
    });
    // Own levels and no rules: the preset's rules would name levels that do not exist.
    expect(config.severity.rules).toEqual([]);
  });

  it('reads a full level with its policy and durations written as 30m, 1h and 45', () => {
    const config = parseConfig(
      withLevels(
        level('P1', {
          description: 'everything is on fire',
          examples: ['checkout down'],
          policy: {
            responders: { roles: ['commander', 'scribe'], teams: ['payments'] },
            notify: ['support', 'cto'],
            updates: { support: '30m', executives: '1h', responders: 45, customers: '1h30m' },
            postmortem: true,
            customerCommunication: true,
          },
        }),
      ),
      SOURCE,
    );
    expect(config.severity.levels[0]).toEqual({
      key: 'P1',
      name: 'Level P1',
      description: 'everything is on fire',
      examples: ['checkout down'],
      policy: {
        responders: { roles: ['commander', 'scribe'], teams: ['payments'] },
        notify: ['support', 'cto'],
        updateEvery: {
          support: 30 * MINUTE,
          executives: 60 * MINUTE,
          responders: 45 * MINUTE,
          customers: 90 * MINUTE,
        },
        postmortemRequired: true,
        customerCommunicationRequired: true,
      },
    });
  });

  it('reads custom rules, a single affected value as a list, and level keys in any case', () => {
    const config = parseConfig(
      {
        severity: {
          levels: [level('P1'), level('P2')],
          rules: [
            { when: { affected: 'all', customerFacing: true }, level: 'p1', reason: 'everyone' },
            { when: { affected: ['subset', 'internal'] }, level: 'P2', reason: 'some' },
          ],
        },
      },
      SOURCE,
    );
    expect(config.severity.rules).toEqual([
      { when: { affected: ['all'], customerFacing: true }, level: 'P1', reason: 'everyone' },
      { when: { affected: ['subset', 'internal'] }, level: 'P2', reason: 'some' },
    ]);
    const suggested = assessSeverity(config.severity, { affected: 'internal' });
    expect([suggested.level.key, suggested.reason]).toEqual(['P2', 'some']);
    // A rule that names no answer it was not given must still match: absent keys stay absent.
    expect(
      assessSeverity(config.severity, { affected: 'all', customerFacing: true }).level.key,
    ).toBe('P1');
  });

  it("replaces the preset's rules while keeping its levels", () => {
    const config = parseConfig(
      {
        severity: {
          preset: 'sev0-sev4',
          rules: [{ when: { workaround: true }, level: 'sev4', reason: 'meh' }],
        },
      },
      SOURCE,
    );
    expect(config.severity.levels).toEqual(presetFramework('sev0-sev4').levels);
    expect(config.severity.rules).toEqual([
      { when: { workaround: true }, level: 'SEV4', reason: 'meh' },
    ]);
  });
});

describe('parseConfig: errors', () => {
  it.each<[string, unknown, string]>([
    [
      'an unknown top-level field',
      { severity: {}, colour: 'red' },
      'the top level: Unrecognized key: "colour"',
    ],
    [
      'a document that is not a mapping',
      'severity: sev1',
      'the top level: Invalid input: expected object, received string',
    ],
    [
      'an unknown preset',
      { severity: { preset: 'p1-p4' } },
      'severity.preset: Invalid option: expected one of "sev1-sev3"|"sev0-sev4"|"sev1-sev5"',
    ],
    ['an empty list of levels', withLevels(), 'severity.levels: list at least one severity level'],
    [
      'an unknown field in a level',
      withLevels(level('P1', { colour: 'red' })),
      'severity.levels[0]: Unrecognized key: "colour"',
    ],
    [
      'a level key that is not a short word',
      withLevels(level('P1'), level('sev 2')),
      'severity.levels[1].key: a key is a short word such as SEV1 (letters, digits, - or _)',
    ],
    [
      'a bad duration',
      withLevels(level('P1', { policy: { updates: { support: 'soon' } } })),
      'severity.levels[0].policy.updates.support: "soon" is not a duration; write it like 30m or 1h',
    ],
    [
      'a zero duration',
      withLevels(level('P1', { policy: { updates: { support: 0 } } })),
      'severity.levels[0].policy.updates.support: "0" is not a duration; write it like 30m or 1h',
    ],
    [
      'an unknown audience for updates',
      withLevels(level('P1', { policy: { updates: { press: '1h' } } })),
      'severity.levels[0].policy.updates: Unrecognized key: "press"',
    ],
    [
      'an unknown role',
      withLevels(level('P1', { policy: { responders: { roles: ['commander', 'boss'] } } })),
      'severity.levels[0].policy.responders.roles[1]: Invalid option: expected one of "commander"|"communications"|"scribe"|"responder"',
    ],
    [
      'an unknown answer in a rule',
      { severity: { rules: [{ when: { outage: true }, level: 'SEV1', reason: 'x' }] } },
      'severity.rules[0].when: Unrecognized key: "outage"',
    ],
  ])('names the file and the field for %s', (_name, document, where) => {
    const error = configError(document);
    expect(error.code).toBe('config');
    expect(error.message).toBe(`${SOURCE}: ${where}${FIX}`);
  });

  it('refuses two levels with the same key, in any case', () => {
    const error = configError(withLevels(level('P1'), level('P2'), level('p1')));
    expect(error.code).toBe('config');
    expect(error.message).toBe(
      `${SOURCE}: severity.levels[2].key: "p1" is used twice; give each level its own key`,
    );
  });

  it('refuses a rule that points at an unknown level, listing the levels', () => {
    const error = configError({
      severity: {
        levels: [level('P1'), level('P2')],
        rules: [
          { when: { dataLoss: true }, level: 'P1', reason: 'data' },
          { when: { workaround: true }, level: 'P3', reason: 'minor' },
        ],
      },
    });
    expect(error.message).toBe(
      `${SOURCE}: severity.rules[1].level: "P3" is not one of the levels (P1, P2); use a defined key`,
    );
  });

  it("refuses rules that point at the default preset's levels when the file has its own", () => {
    const error = configError({
      severity: { levels: [level('P1')], rules: [{ when: {}, level: 'SEV1', reason: 'x' }] },
    });
    expect(error.message).toContain(
      'severity.rules[0].level: "SEV1" is not one of the levels (P1)',
    );
  });

  it('keeps every error on one line', () => {
    const documents = [
      { nope: true },
      withLevels(),
      withLevels(level('P1'), level('P1')),
      withLevels(level('P1', { policy: { updates: { support: '5 parsecs' } } })),
      { severity: { rules: [{ when: { affected: 'some' }, level: 'SEV1', reason: 'x' }] } },
      { severity: { levels: [{ key: 'P1' }] } },
    ];
    for (const document of documents) {
      const message = configError(document).message;
      expect(message.startsWith(`${SOURCE}: `)).toBe(true);
      expect(message).not.toContain('\n');
    }
  });
});

describe('toConfigDocument', () => {
  it.each(PRESET_NAMES)(
    'writes the %s preset so that reading it back gives the same framework',
    (name) => {
      const framework = presetFramework(name);
      expect(parseConfig(toConfigDocument(framework), 'calm.config.yaml').severity).toEqual(
        framework,
      );
    },
  );
});

describe('notification channels in the config', () => {
  const hook = {
    name: 'ops',
    type: 'webhook',
    url: 'https://hooks.example.com/calm',
    secret: 'sixteen-chars-or-more',
  };

  it('reads channels with their routes; a route that names nothing takes everything', () => {
    const config = parseConfig(
      {
        channels: [
          hook,
          {
            name: 'eng',
            type: 'slack',
            url: 'https://chat.example.com/hooks/x',
            when: { severities: ['SEV1'] },
          },
          {
            name: 'mail',
            type: 'email',
            smtp: 'smtp://mail.example.com:587',
            from: 'calm@example.com',
            to: ['support@example.com'],
          },
        ],
      },
      SOURCE,
    );
    expect(config.channels.map((c) => [c.name, c.type, c.when])).toEqual([
      ['ops', 'webhook', {}],
      ['eng', 'slack', { severities: ['SEV1'] }],
      ['mail', 'email', {}],
    ]);
    expect(parseConfig({}, SOURCE).channels).toEqual([]);
  });

  it('refuses a channel it could not deliver to, naming the field', () => {
    expect(configError({ channels: [{ ...hook, url: 'ftp://x' }] }).message).toMatch(
      /channels\[0\]\.url: use an http:\/\/ or https:\/\/ URL/,
    );
    expect(configError({ channels: [{ ...hook, secret: 'short' }] }).message).toMatch(
      /channels\[0\]\.secret: a webhook secret needs at least 16 characters/,
    );
    expect(configError({ channels: [hook, { ...hook }] }).message).toMatch(
      /channels\[1\]\.name: "ops" is used twice; give each channel its own name/,
    );
    expect(configError({ channels: [{ ...hook, when: { events: ['lunch'] } }] }).message).toMatch(
      /channels\[0\]\.when\.events\[0\]/,
    );
  });
});
