/**
 * The generic webhook: the notification as JSON, signed so that a receiver
 * can check it came from Calm and is fresh. How to verify, on the receiver:
 *
 *   signed = `${headers['calm-timestamp']}.${rawBody}`
 *   expected = 'v1=' + hex(HMAC-SHA256(secret, signed))
 *   accept when expected equals headers['calm-signature'] (compare in constant
 *   time) and the timestamp (Unix seconds) is within 5 minutes of now.
 *
 * `Calm-Delivery` is the same on every retry of one message: a receiver that
 * keeps the ones it has seen never acts twice.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Delivery } from './delivery.js';
import { postJson } from './http.js';

export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check, exported for receivers written in TypeScript. */
export function verifySignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  nowMs: number,
  toleranceMs = 5 * 60_000,
): boolean {
  const { timestamp, signature: given } = headers;
  if (!timestamp || !given || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export async function sendWebhook(
  channel: { url: string; secret: string },
  delivery: Delivery,
): Promise<void> {
  const body = JSON.stringify({
    delivery: delivery.id,
    event: delivery.eventKey,
    notification: delivery.notification,
  });
  const timestamp = String(Math.floor(delivery.now / 1000));
  await postJson(channel.url, body, {
    'calm-timestamp': timestamp,
    'calm-signature': signature(channel.secret, timestamp, body),
    'calm-delivery': String(delivery.id),
    'calm-event': delivery.eventKey,
  });
}
