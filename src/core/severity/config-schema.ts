import { z } from 'zod';
import { type AlertsConfig, alertsConfigSchema } from '../alerts/config.js';
import { UserError } from '../errors.js';
import { AFFECTED } from '../incident/impact.js';
import { ROLES } from '../incident/roles.js';
import { type ChannelConfig, channelSchema } from '../notification/channels.js';
import { formatDuration, parseDuration } from '../time.js';
import { AUDIENCES } from '../timeline/entry.js';
import type { SeverityFramework } from './framework.js';
import { PRESET_NAMES, presetFramework } from './presets.js';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration; write it like 30m or 1h`,
    });
    return z.NEVER;
  }
  return ms;
});

const levelSchema = z.strictObject({
  key: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,15}$/,
      'a key is a short word such as SEV1 (letters, digits, - or _)',
    ),
  name: z.string().min(1),
  description: z.string().default(''),
  examples: z.array(z.string()).default([]),
  policy: z
    .strictObject({
      responders: z
        .strictObject({
          roles: z.array(z.enum(ROLES)).default([]),
          teams: z.array(z.string().min(1)).default([]),
        })
        .default({ roles: [], teams: [] }),
      notify: z.array(z.string().min(1)).default([]),
      updates: z.partialRecord(z.enum(AUDIENCES), duration).default({}),
      postmortem: z.boolean().default(false),
      customerCommunication: z.boolean().default(false),
    })
    .default({
      responders: { roles: [], teams: [] },
      notify: [],
      updates: {},
      postmortem: false,
      customerCommunication: false,
    }),
});

const affectedList = z
  .union([z.enum(AFFECTED), z.array(z.enum(AFFECTED)).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

const ruleSchema = z.strictObject({
  when: z.strictObject({
    customerFacing: z.boolean().optional(),
    affected: affectedList.optional(),
    dataLoss: z.boolean().optional(),
    coreFunction: z.boolean().optional(),
    workaround: z.boolean().optional(),
    performanceOnly: z.boolean().optional(),
  }),
  level: z.string().min(1),
  reason: z.string().min(1),
});

export const configSchema = z.strictObject({
  channels: z.array(channelSchema).optional(),
  alerts: alertsConfigSchema.optional(),
  review: z
    .strictObject({
      /** The blameless linter's lists: more words that blame, and words never flagged. */
      blame: z
        .strictObject({
          words: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
          allow: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
        })
        .optional(),
      /** The stage review shows silences in the log longer than this (minutes; default 30). */
      gapMinutes: z.number().int().min(1).max(1440).optional(),
    })
    .optional(),
  severity: z
    .strictObject({
      preset: z.enum(PRESET_NAMES).optional(),
      levels: z.array(levelSchema).min(1, 'list at least one severity level').optional(),
      rules: z.array(ruleSchema).optional(),
    })
    .optional(),
});

export type ConfigFile = z.input<typeof configSchema>;

export interface CalmConfig {
  severity: SeverityFramework;
  /** Where notifications go (see core/notification/channels.ts); none by default. */
  channels: ChannelConfig[];
  /** Inbound alerts (see core/alerts/config.ts); the alert endpoints refuse all without it. */
  alerts?: AlertsConfig;
  /** The team's additions to the blameless linter (core/review/blame.ts). */
  review?: { blame: { words: string[]; allow: string[] }; gapMinutes?: number };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * Validates a parsed config document and builds the framework it describes.
 * Levels replace the preset's levels; rules default to the preset's rules
 * when the levels are the preset's own, and must be given otherwise.
 * Throws a one-line UserError naming the file, the field and the fix.
 */
export function parseConfig(document: unknown, source: string): CalmConfig {
  const result = configSchema.safeParse(document ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? formatPath(issue.path) : 'the top level';
    throw new UserError(
      `${source}: ${where}: ${issue?.message ?? 'invalid'}; fix the file (see \`calm init --help\` for a valid example)`,
      'config',
    );
  }
  const severity = result.data.severity ?? {};
  const preset = presetFramework(severity.preset ?? 'sev1-sev3');
  const levels = severity.levels
    ? severity.levels.map((level) => ({
        key: level.key,
        name: level.name,
        description: level.description,
        examples: level.examples,
        policy: {
          responders: level.policy.responders,
          notify: level.policy.notify,
          updateEvery: level.policy.updates,
          postmortemRequired: level.policy.postmortem,
          customerCommunicationRequired: level.policy.customerCommunication,
        },
      }))
    : preset.levels;

  const keys = new Set<string>();
  for (const [index, level] of levels.entries()) {
    const upper = level.key.toUpperCase();
    if (keys.has(upper)) {
      throw new UserError(
        `${source}: severity.levels[${index}].key: "${level.key}" is used twice; give each level its own key`,
        'config',
      );
    }
    keys.add(upper);
  }

  const ownLevels = severity.levels !== undefined;
  const rules = severity.rules ?? (ownLevels ? [] : preset.rules);
  for (const [index, rule] of rules.entries()) {
    if (!keys.has(rule.level.toUpperCase())) {
      throw new UserError(
        `${source}: severity.rules[${index}].level: "${rule.level}" is not one of the levels (${levels.map((l) => l.key).join(', ')}); use a defined key`,
        'config',
      );
    }
  }
  const canonical = (key: string) =>
    levels.find((level) => level.key.toUpperCase() === key.toUpperCase())?.key ?? key;
  const channels = result.data.channels ?? [];
  const names = new Set<string>();
  for (const [index, channel] of channels.entries()) {
    if (names.has(channel.name.toLowerCase()))
      throw new UserError(
        `${source}: channels[${index}].name: "${channel.name}" is used twice; give each channel its own name`,
        'config',
      );
    names.add(channel.name.toLowerCase());
  }
  const alerts = result.data.alerts;
  if (alerts) checkAlerts(alerts, keys, source);
  return {
    severity: {
      levels,
      rules: rules.map((rule) => ({ ...rule, level: canonical(rule.level) })),
    },
    channels,
    ...(result.data.review
      ? {
          review: {
            blame: {
              words: result.data.review.blame?.words ?? [],
              allow: result.data.review.blame?.allow ?? [],
            },
            ...(result.data.review.gapMinutes !== undefined
              ? { gapMinutes: result.data.review.gapMinutes }
              : {}),
          },
        }
      : {}),
    ...(alerts
      ? {
          alerts: {
            ...alerts,
            severity: alerts.severity.map((rule) => ({ ...rule, level: canonical(rule.level) })),
            ...(alerts.defaultSeverity
              ? { defaultSeverity: canonical(alerts.defaultSeverity) }
              : {}),
          },
        }
      : {}),
  };
}

/** Alert sources named once each, and every level they map to one of the framework's. */
function checkAlerts(alerts: AlertsConfig, levelKeys: Set<string>, source: string) {
  const fail = (where: string, message: string) => {
    throw new UserError(`${source}: ${where}: ${message}`, 'config');
  };
  const levels = [...levelKeys].join(', ');
  const names = new Set<string>();
  for (const [index, alertSource] of alerts.sources.entries()) {
    if (names.has(alertSource.name.toLowerCase()))
      fail(
        `alerts.sources[${index}].name`,
        `"${alertSource.name}" is used twice; give each source its own name`,
      );
    names.add(alertSource.name.toLowerCase());
  }
  for (const [index, rule] of alerts.severity.entries())
    if (!levelKeys.has(rule.level.toUpperCase()))
      fail(
        `alerts.severity[${index}].level`,
        `"${rule.level}" is not one of the levels (${levels}); use a defined key`,
      );
  if (alerts.defaultSeverity && !levelKeys.has(alerts.defaultSeverity.toUpperCase()))
    fail(
      'alerts.defaultSeverity',
      `"${alerts.defaultSeverity}" is not one of the levels (${levels}); use a defined key`,
    );
}

/** The inverse of parseConfig: a framework in the file's own shape, durations as "30m". */
export function toConfigDocument(framework: SeverityFramework): ConfigFile {
  return {
    severity: {
      levels: framework.levels.map((level) => ({
        key: level.key,
        name: level.name,
        description: level.description,
        examples: level.examples,
        policy: {
          responders: level.policy.responders,
          notify: level.policy.notify,
          updates: Object.fromEntries(
            Object.entries(level.policy.updateEvery).map(([audience, ms]) => [
              audience,
              formatDuration(ms),
            ]),
          ),
          postmortem: level.policy.postmortemRequired,
          customerCommunication: level.policy.customerCommunicationRequired,
        },
      })),
      rules: framework.rules.map((rule) => ({
        when: rule.when,
        level: rule.level,
        reason: rule.reason,
      })),
    },
  };
}
