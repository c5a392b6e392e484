import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { parseConfig } from '../severity/config-schema.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import {
  type Alert,
  alertNotificationSchema,
  groupKeyOf,
  groupSeverity,
  normalizeAlerts,
  servicesOf,
  titleOf,
} from './notification.js';

const SOURCE = 'calm.config.yaml';
const TOKEN = '0123456789abcdef0123';

function refused(alerts: unknown): string {
  try {
    parseConfig({ alerts }, SOURCE);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('alerts: in the config file', () => {
  it('takes sources, severity rules by label, a default, service labels and the flood cap', () => {
    const config = parseConfig(
      {
        alerts: {
          sources: [
            { name: 'prod', type: 'alertmanager', token: TOKEN },
            { name: 'grafana', type: 'grafana', secret: TOKEN, timestampHeader: 'X-Stamp' },
          ],
          severity: [{ when: { severity: ['critical', 'page'] }, level: 'sev1' }],
          defaultSeverity: 'sev3',
          maxIncidentsPerMinute: 5,
        },
      },
      SOURCE,
    ).alerts;
    expect(config).toMatchObject({
      sources: [
        { name: 'prod', signatureHeader: 'x-grafana-alerting-signature' },
        { name: 'grafana', timestampHeader: 'x-stamp' },
      ],
      // level keys as the framework spells them
      severity: [{ when: { severity: ['critical', 'page'] }, level: 'SEV1' }],
      defaultSeverity: 'SEV3',
      serviceLabels: ['service'],
      maxIncidentsPerMinute: 5,
    });
    expect(parseConfig({}, SOURCE).alerts).toBeUndefined();
  });

  it.each([
    [
      'a source without credential',
      { sources: [{ name: 'am', type: 'alertmanager' }] },
      'alerts.sources[0]: give the source a token (bearer) or a secret (HMAC signature), or both',
    ],
    [
      'a short token',
      { sources: [{ name: 'am', type: 'alertmanager', token: 'short' }] },
      'alerts.sources[0].token: an alert token needs at least 16 characters',
    ],
    [
      'an unknown type',
      { sources: [{ name: 'am', type: 'pagerduty', token: TOKEN }] },
      'alerts.sources[0].type:',
    ],
    [
      'a name used twice',
      {
        sources: [
          { name: 'am', type: 'alertmanager', token: TOKEN },
          { name: 'AM', type: 'grafana', secret: TOKEN },
        ],
      },
      'alerts.sources[1].name: "AM" is used twice; give each source its own name',
    ],
    [
      'an unknown level',
      {
        sources: [{ name: 'am', type: 'alertmanager', token: TOKEN }],
        severity: [{ when: { severity: 'critical' }, level: 'P1' }],
      },
      'alerts.severity[0].level: "P1" is not one of the levels (SEV1, SEV2, SEV3); use a defined key',
    ],
    [
      'an empty match',
      {
        sources: [{ name: 'am', type: 'alertmanager', token: TOKEN }],
        severity: [{ when: {}, level: 'SEV1' }],
      },
      'alerts.severity[0].when: name at least one label, e.g. severity',
    ],
    [
      'an unknown default',
      { sources: [{ name: 'am', type: 'alertmanager', token: TOKEN }], defaultSeverity: 'low' },
      'alerts.defaultSeverity: "low" is not one of the levels',
    ],
    ['no sources', { sources: [] }, 'alerts.sources: list at least one alert source'],
  ])('refuses %s in one line naming the field', (_name, alerts, message) => {
    const text = refused(alerts);
    expect(text).toContain(`${SOURCE}: ${message}`);
    expect(text).not.toContain('\n');
  });
});

describe('an alert notification', () => {
  const config = parseConfig(
    {
      alerts: {
        sources: [{ name: 'am', type: 'alertmanager', token: TOKEN }],
        severity: [
          { when: { severity: 'critical', team: 'payments' }, level: 'SEV1' },
          { when: { severity: 'critical' }, level: 'SEV2' },
        ],
        serviceLabels: ['service', 'job'],
      },
    },
    SOURCE,
  ).alerts;
  if (!config) throw new Error('no alerts config');
  const alert = (labels: Record<string, string>, annotations = {}): Alert => ({
    fingerprint: 'f',
    status: 'firing',
    startsAt: 0 as never,
    endsAt: undefined,
    labels,
    annotations,
    generatorURL: undefined,
  });

  it('maps labels to the most severe level any alert matches, rules in order', () => {
    expect(groupSeverity([alert({ severity: 'critical' })], config, DEFAULT_FRAMEWORK)).toEqual({
      level: 'SEV2',
      reason: "from the alert's labels: severity=critical",
    });
    expect(
      groupSeverity(
        [alert({ severity: 'CRITICAL' }), alert({ severity: 'critical', team: 'Payments' })],
        config,
        DEFAULT_FRAMEWORK,
      )?.level,
    ).toBe('SEV1');
    // no rule matches and no default: declared without a level
    expect(groupSeverity([alert({ severity: 'info' })], config, DEFAULT_FRAMEWORK)).toBeUndefined();
  });

  it('takes services from the configured labels, and a title from alertname and summary', () => {
    expect(
      servicesOf([alert({ service: 'checkout', job: 'api' }), alert({ job: 'api' })], config),
    ).toEqual(['checkout', 'api']);
    expect(titleOf(alert({ alertname: 'Down' }, { summary: 'api\n is down' }))).toBe(
      'Down: api is down',
    );
    expect(titleOf(alert({}))).toBe('Alert');
  });

  it("reads Alertmanager's times (nanoseconds, Go's zero time) and names the group", () => {
    const parsed = alertNotificationSchema.parse({
      status: 'firing',
      groupLabels: { alertname: 'X' },
      receiver: 'calm',
      alerts: [
        {
          status: 'firing',
          labels: { b: '2', a: '1' },
          startsAt: '2026-03-14T14:00:00.123456789+01:00',
          endsAt: '0001-01-01T00:00:00Z',
        },
      ],
    });
    const [first] = normalizeAlerts(parsed) as Alert[];
    expect(first).toMatchObject({
      startsAt: Date.parse('2026-03-14T13:00:00.123Z'),
      endsAt: undefined,
      // no fingerprint sent: the sorted labels stand for it
      fingerprint: 'a=1,b=2',
    });
    expect(groupKeyOf(parsed)).toBe('calm:{alertname="X"}');
    expect(groupKeyOf({ ...parsed, groupKey: '{}:{alertname="X"}' })).toBe('{}:{alertname="X"}');
  });
});
