/**
 * Which alert source sent a request, by its own credential from the config
 * file: `Authorization: Bearer <token>` (Alertmanager's http_config
 * authorization), or an HMAC-SHA256 signature of the raw body (Grafana's
 * webhook "HMAC signature": hex in X-Grafana-Alerting-Signature, over
 * "<timestamp>:<body>" when a timestamp header is configured). Every
 * comparison takes the same time whatever the bytes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertSource, AlertSourceType } from '../../core/alerts/config.js';
import { UserError } from '../../core/errors.js';

/** How far a signed timestamp may be from our clock. */
const MAX_SKEW_S = 300;

const sameSecret = (a: string | Buffer, b: string | Buffer) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const header = (headers: Record<string, unknown>, name: string) => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

const unauthorized = (message: string) => new UserError(message, 'unauthorized');

export function verifyAlertSender(
  sources: readonly AlertSource[],
  type: AlertSourceType,
  headers: Record<string, unknown>,
  body: Buffer,
  nowMs: number,
): AlertSource {
  const candidates = sources.filter((source) => source.type === type);
  if (!candidates.length)
    throw unauthorized(
      `no ${type} alert source is configured; add one under alerts.sources in the config file (type: ${type}, token or secret)`,
    );
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const source = token
      ? candidates.find((s) => s.token !== undefined && sameSecret(s.token, token))
      : undefined;
    if (source) return source;
    throw unauthorized(
      `the bearer token matches no ${type} alert source; send Authorization: Bearer <alerts.sources[].token>`,
    );
  }
  let signed: string | undefined;
  for (const source of candidates) {
    if (source.secret === undefined) continue;
    const given = header(headers, source.signatureHeader);
    if (given === undefined) continue;
    signed = source.signatureHeader;
    let payload: Buffer = body;
    if (source.timestampHeader) {
      const stamp = header(headers, source.timestampHeader) ?? '';
      if (!/^\d{1,12}$/.test(stamp))
        throw unauthorized(
          `${source.timestampHeader}: send the Unix time in seconds the signature covers`,
        );
      if (Math.abs(nowMs / 1000 - Number(stamp)) > MAX_SKEW_S)
        throw unauthorized(
          `${source.timestampHeader} is more than 5 minutes off; check the sender's clock`,
        );
      payload = Buffer.concat([Buffer.from(`${stamp}:`), body]);
    }
    const expected = createHmac('sha256', source.secret).update(payload).digest('hex');
    if (
      sameSecret(
        expected,
        given
          .trim()
          .replace(/^sha256=/i, '')
          .toLowerCase(),
      )
    )
      return source;
  }
  if (signed)
    throw unauthorized(
      `${signed} does not match the body; sign the raw body with the source's secret (hex HMAC-SHA256)`,
    );
  const signatures = candidates.filter((s) => s.secret).map((s) => s.signatureHeader);
  throw unauthorized(
    `send Authorization: Bearer <token>${signatures.length ? ` or a signature in ${signatures.join(' or ')}` : ''}, as alerts.sources in the config file sets`,
  );
}
