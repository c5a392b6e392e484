import type {
  AssessmentRule,
  SeverityFramework,
  SeverityLevel,
  SeverityPolicy,
} from './framework.js';

const MINUTE = 60_000;

const criticalPolicy: SeverityPolicy = {
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
};

const majorPolicy: SeverityPolicy = {
  responders: { roles: ['commander', 'communications'], teams: [] },
  notify: ['responders', 'support'],
  updateEvery: { responders: 30 * MINUTE, support: 30 * MINUTE, executives: 120 * MINUTE },
  postmortemRequired: true,
  customerCommunicationRequired: false,
};

const minorPolicy: SeverityPolicy = {
  responders: { roles: ['commander'], teams: [] },
  notify: ['responders'],
  updateEvery: { responders: 120 * MINUTE },
  postmortemRequired: false,
  customerCommunicationRequired: false,
};

const lowPolicy: SeverityPolicy = {
  responders: { roles: [], teams: [] },
  notify: [],
  updateEvery: {},
  postmortemRequired: false,
  customerCommunicationRequired: false,
};

/** The sample framework of the background reading: SEV1 critical ... SEV3 minor. */
export function defaultLevels(keys: [string, string, string]): SeverityLevel[] {
  return [
    {
      key: keys[0],
      name: 'Critical',
      description: 'A critical incident with significant impact',
      examples: [
        'A customer-facing service or feature (such as a checkout page) is down for all customers',
        'Customer data is breached or compromised',
        'Customer data is lost',
      ],
      policy: criticalPolicy,
    },
    {
      key: keys[1],
      name: 'Major',
      description: 'A major incident with a large impact',
      examples: [
        'A customer-facing service or feature (such as a push notification system) is unavailable for a subset of customers',
        'Core functionality such as invoice creation is significantly impacted',
      ],
      policy: majorPolicy,
    },
    {
      key: keys[2],
      name: 'Minor',
      description: 'A minor incident with a low impact',
      examples: [
        'A bug is causing a minor inconvenience to customers, but a workaround is available',
        'Performance for a page or feature is degraded',
      ],
      policy: minorPolicy,
    },
  ];
}

/** Rules for the three core levels; first match wins. */
function coreRules([critical, major, minor]: [string, string, string]): AssessmentRule[] {
  return [
    {
      when: { dataLoss: true },
      level: critical,
      reason: 'customer data is lost, breached or compromised',
    },
    {
      when: { performanceOnly: true },
      level: minor,
      reason: 'only performance is degraded',
    },
    {
      when: { customerFacing: true, affected: ['all'], workaround: false },
      level: critical,
      reason: 'a customer-facing service is down for all customers with no workaround',
    },
    {
      when: { customerFacing: true, affected: ['all'] },
      level: critical,
      reason: 'a customer-facing service is down for all customers',
    },
    { when: { workaround: true }, level: minor, reason: 'a workaround is available' },
    {
      when: { customerFacing: true, affected: ['subset'] },
      level: major,
      reason: 'a customer-facing service is unavailable for a subset of customers',
    },
    {
      when: { coreFunction: true },
      level: major,
      reason: 'core functionality is significantly impacted',
    },
    { when: { customerFacing: true }, level: minor, reason: 'customers see a minor inconvenience' },
  ];
}

export const PRESET_NAMES = ['sev1-sev3', 'sev0-sev4', 'sev1-sev5'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A fresh copy each time: a team's edits to one framework never leak into another. */
export function presetFramework(name: PresetName): SeverityFramework {
  return structuredClone(buildPreset(name));
}

function buildPreset(name: PresetName): SeverityFramework {
  switch (name) {
    case 'sev1-sev3': {
      const keys: [string, string, string] = ['SEV1', 'SEV2', 'SEV3'];
      return { levels: defaultLevels(keys), rules: coreRules(keys) };
    }
    case 'sev0-sev4': {
      const keys: [string, string, string] = ['SEV1', 'SEV2', 'SEV3'];
      const sev0: SeverityLevel = {
        key: 'SEV0',
        name: 'Catastrophic',
        description: 'The whole business is down or data of many customers is exposed',
        examples: [
          'Every product is unavailable to every customer',
          'A breach exposes the data of many customers',
        ],
        policy: {
          ...criticalPolicy,
          updateEvery: { ...criticalPolicy.updateEvery, executives: 30 * MINUTE },
        },
      };
      const sev4: SeverityLevel = {
        key: 'SEV4',
        name: 'Low',
        description: 'A cosmetic issue or a risk that can be fixed in normal work',
        examples: ['A typo on a settings page', 'A noisy alert with no customer impact'],
        policy: lowPolicy,
      };
      return {
        levels: [sev0, ...defaultLevels(keys), sev4],
        rules: [
          {
            when: { dataLoss: true, affected: ['all'] },
            level: 'SEV0',
            reason: 'data of all customers is lost or exposed',
          },
          ...coreRules(keys),
          { when: { customerFacing: false }, level: 'SEV4', reason: 'no customer is affected' },
        ],
      };
    }
    case 'sev1-sev5': {
      const keys: [string, string, string] = ['SEV1', 'SEV2', 'SEV3'];
      const sev4: SeverityLevel = {
        key: 'SEV4',
        name: 'Low',
        description: 'Internal impact only, or a small defect with no customer impact',
        examples: ['An internal dashboard is down', 'A batch job needs a manual re-run'],
        policy: { ...lowPolicy, updateEvery: { responders: 240 * MINUTE } },
      };
      const sev5: SeverityLevel = {
        key: 'SEV5',
        name: 'Informational',
        description: 'Worth recording; no impact',
        examples: ['A near miss caught before release', 'A cosmetic glitch'],
        policy: lowPolicy,
      };
      return {
        levels: [...defaultLevels(keys), sev4, sev5],
        rules: [
          ...coreRules(keys),
          {
            when: { affected: ['internal'] },
            level: 'SEV4',
            reason: 'only internal users are affected',
          },
          { when: { affected: ['none'] }, level: 'SEV5', reason: 'nobody is affected' },
        ],
      };
    }
  }
}

export const DEFAULT_FRAMEWORK: SeverityFramework = presetFramework('sev1-sev3');
