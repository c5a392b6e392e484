/**
 * An alert notification as Prometheus Alertmanager's webhook sends it, and
 * Grafana's unified alerting webhook too (the same shape with extra fields,
 * which are ignored), and what Calm makes of it: a severity and services from
 * the labels, a title, and one timeline line per alert.
 */
import { z } from 'zod';
import { type EpochMs, epochMs } from '../ids.js';
import { findLevel, type SeverityFramework } from '../severity/framework.js';
import type { AlertsConfig } from './config.js';

const MAX_TEXT = 10_000;
const labelMap = z.record(z.string().max(1000), z.string().max(MAX_TEXT)).default({});
/** RFC 3339 as Alertmanager writes it (nanoseconds allowed); Go's zero time means "not set". */
const instantText = z.string().max(64);

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap,
  startsAt: instantText,
  endsAt: instantText.optional(),
  generatorURL: z.string().max(MAX_TEXT).optional(),
  fingerprint: z.string().max(200).optional(),
});

export const alertNotificationSchema = z.object({
  receiver: z.string().max(1000).optional(),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(alertSchema).min(1, 'a notification carries at least one alert').max(5000),
  groupLabels: labelMap,
  commonLabels: labelMap,
  commonAnnotations: labelMap,
  externalURL: z.string().max(MAX_TEXT).optional(),
  /** Alertmanager's (and Grafana's) name for the group; the incident's identity. */
  groupKey: z.string().min(1).max(MAX_TEXT).optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
});

export type AlertNotification = z.output<typeof alertNotificationSchema>;
export type RawAlert = AlertNotification['alerts'][number];

/** One alert as Calm keeps it: its identity is fingerprint + startsAt + status. */
export interface Alert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: EpochMs;
  endsAt: EpochMs | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string | undefined;
}

/** Go's zero time (0001-01-01T00:00:00Z), which Alertmanager sends for "no end yet". */
const parseInstant = (text: string | undefined): EpochMs | undefined => {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? epochMs(ms) : undefined;
};

const sortedPairs = (labels: Record<string, string>) =>
  Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Alerts with a readable instant; the first one that has none is a 400 naming it. */
export function normalizeAlerts(notification: AlertNotification): Alert[] | string {
  const alerts: Alert[] = [];
  for (const [index, raw] of notification.alerts.entries()) {
    const startsAt = parseInstant(raw.startsAt);
    if (startsAt === undefined)
      return `alerts.${index}.startsAt: "${raw.startsAt}" is not an RFC 3339 time`;
    alerts.push({
      // both senders give one; else the sorted labels name the alert just as well
      fingerprint:
        raw.fingerprint ||
        sortedPairs(raw.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      status: raw.status,
      startsAt,
      endsAt: parseInstant(raw.endsAt),
      labels: raw.labels,
      annotations: raw.annotations,
      generatorURL: raw.generatorURL || undefined,
    });
  }
  return alerts;
}

/** The group the alerts belong to: groupKey, else the receiver and group labels. */
export function groupKeyOf(notification: AlertNotification): string {
  if (notification.groupKey) return notification.groupKey;
  const labels = sortedPairs(notification.groupLabels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${notification.receiver ?? ''}:{${labels}}`;
}

const matches = (wanted: string[], value: string | undefined) =>
  value !== undefined && wanted.some((w) => w.toLowerCase() === value.toLowerCase());

/** The level the labels map to, with why; the config's default when no rule matches. */
export function severityOf(
  labels: Record<string, string>,
  config: AlertsConfig,
  framework: SeverityFramework,
): { level: string; reason: string } | undefined {
  for (const rule of config.severity) {
    const when = Object.entries(rule.when);
    if (when.every(([label, wanted]) => matches(wanted, labels[label]))) {
      const level = findLevel(framework, rule.level);
      if (level)
        return {
          level: level.key,
          reason: `from the alert's labels: ${when.map(([l]) => `${l}=${labels[l]}`).join(', ')}`,
        };
    }
  }
  const fallback = config.defaultSeverity && findLevel(framework, config.defaultSeverity);
  return fallback
    ? { level: fallback.key, reason: 'the default severity for alerts (no label rule matched)' }
    : undefined;
}

/** The most severe level any of the alerts maps to. */
export function groupSeverity(
  alerts: Alert[],
  config: AlertsConfig,
  framework: SeverityFramework,
): { level: string; reason: string } | undefined {
  const rank = (level: string) => framework.levels.findIndex((l) => l.key === level);
  let best: { level: string; reason: string } | undefined;
  for (const alert of alerts) {
    const found = severityOf(alert.labels, config, framework);
    if (found && (!best || rank(found.level) < rank(best.level))) best = found;
  }
  return best;
}

/** The values of the service labels, each once, in the order met. */
export function servicesOf(alerts: Alert[], config: AlertsConfig): string[] {
  const services = new Set<string>();
  for (const alert of alerts)
    for (const label of config.serviceLabels) {
      const value = alert.labels[label]?.trim();
      if (value) services.add(value.slice(0, 100));
    }
  return [...services].slice(0, 50);
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** "HighErrorRate: checkout answers 5xx" (alertname, then the summary annotation). */
export function titleOf(alert: Alert): string {
  const name = alert.labels.alertname?.trim() || 'Alert';
  const summary = oneLine(alert.annotations.summary ?? alert.annotations.title ?? '');
  const title = summary ? `${name}: ${summary}` : name;
  return title.length > 300 ? `${title.slice(0, 299)}…` : title;
}

const iso = (ms: EpochMs) => new Date(ms).toISOString();

/** The timeline line for an alert: what fired (or cleared), its labels, annotations and link. */
export function describeAlert(alert: Alert): string {
  const lines = [
    alert.status === 'firing'
      ? `Alert firing: ${titleOf(alert)}`
      : `Alert resolved: ${titleOf(alert)} (the incident stays open: a person resolves it)`,
    `labels: ${sortedPairs(alert.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  ];
  const annotations = sortedPairs(alert.annotations);
  if (annotations.length)
    lines.push(`annotations: ${annotations.map(([k, v]) => `${k}=${oneLine(v)}`).join('; ')}`);
  lines.push(
    alert.status === 'firing' || alert.endsAt === undefined
      ? `started ${iso(alert.startsAt)}`
      : `started ${iso(alert.startsAt)}, ended ${iso(alert.endsAt)}`,
  );
  if (alert.generatorURL) lines.push(`source: ${alert.generatorURL}`);
  lines.push(`fingerprint: ${alert.fingerprint}`);
  return lines.join('\n').slice(0, 50_000);
}
