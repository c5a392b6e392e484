/**
 * The config file's `alerts:` section: who may send alerts (each source with
 * its own bearer token and/or HMAC secret), how an alert's labels become an
 * incident's severity and services, and how many incidents a minute a source
 * may open before new alert groups go to one "alert flood" incident instead.
 */
import { z } from 'zod';

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'a source name is a short word (letters, digits, - or _)');
const secret = (what: string) => z.string().min(16, `${what} needs at least 16 characters`);
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name is letters, digits and -')
  .transform((value) => value.toLowerCase());

/** The two webhook formats Calm reads; each has its own endpoint, /api/alerts/<type>. */
export const ALERT_SOURCE_TYPES = ['alertmanager', 'grafana'] as const;
export type AlertSourceType = (typeof ALERT_SOURCE_TYPES)[number];

/** Grafana's own name for the header its webhook contact point signs with. */
export const DEFAULT_SIGNATURE_HEADER = 'x-grafana-alerting-signature';

const sourceSchema = z
  .strictObject({
    name,
    type: z.enum(ALERT_SOURCE_TYPES),
    /** `Authorization: Bearer <token>` (Alertmanager's http_config.authorization). */
    token: secret('an alert token').optional(),
    /** Hex HMAC-SHA256 of the body (Grafana's webhook "HMAC signature" setting). */
    secret: secret('an HMAC secret').optional(),
    signatureHeader: headerName.default(DEFAULT_SIGNATURE_HEADER),
    /** When set, the signature covers "<timestamp>:<body>" and the timestamp must be recent. */
    timestampHeader: headerName.optional(),
  })
  .refine((source) => source.token || source.secret, {
    message: 'give the source a token (bearer) or a secret (HMAC signature), or both',
  });

/** A label's wanted value, or any of a list; compared without regard to case. */
const labelValues = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

const severityRule = z.strictObject({
  when: z
    .record(z.string().min(1), labelValues)
    .refine((when) => Object.keys(when).length > 0, 'name at least one label, e.g. severity'),
  level: z.string().min(1),
});

export const alertsConfigSchema = z.strictObject({
  sources: z.array(sourceSchema).min(1, 'list at least one alert source'),
  /** The first rule whose labels all match gives the level. */
  severity: z.array(severityRule).default([]),
  /** When no rule matches; without it the incident is declared without a level. */
  defaultSeverity: z.string().min(1).optional(),
  /** Label names whose values become the incident's services. */
  serviceLabels: z.array(z.string().min(1)).default(['service']),
  /** Per source; beyond it, new alert groups attach to one "alert flood" incident. */
  maxIncidentsPerMinute: z.number().int().min(1).max(1000).default(10),
});

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type AlertSource = AlertsConfig['sources'][number];
export type AlertSeverityRule = AlertsConfig['severity'][number];
