/**
 * Email over SMTP with nodemailer. The Message-ID is the outbox message's, so
 * a retry after a lost answer is recognised as the same mail.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Delivery } from './delivery.js';
import { DeliveryError } from './http.js';

const transports = new Map<string, Transporter>();
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

function transportFor(smtp: string): Transporter {
  let transport = transports.get(smtp);
  if (!transport) {
    // Nodemailer reads options from the URL's query; its default timeouts (minutes) outlast a lease.
    const url = new URL(smtp);
    for (const [option, ms] of Object.entries(TIMEOUTS))
      if (!url.searchParams.has(option)) url.searchParams.set(option, String(ms));
    transport = nodemailer.createTransport(url.toString());
    transports.set(smtp, transport);
  }
  return transport;
}

export async function sendEmail(
  channel: { name: string; smtp: string; from: string; to: string[] },
  delivery: Delivery,
): Promise<void> {
  const { subject, text } = delivery.notification;
  try {
    await transportFor(channel.smtp).sendMail({
      from: channel.from,
      to: channel.to,
      subject,
      text: `${text}\n\n-- \nCalm, ${delivery.notification.incident.key} (${delivery.eventKey})`,
      messageId: `<calm-${delivery.id}-${channel.name}@calm.invalid>`,
    });
  } catch (error) {
    throw new DeliveryError(
      `${channel.smtp.replace(/\/\/[^@/]*@/, '//')}: ${(error as Error).message}`,
    );
  }
}

/** Closes pooled SMTP connections (on shutdown). */
export function closeEmailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
