/**
 * Slack-compatible incoming webhooks (Mattermost and others accept the same):
 * `{"text": ...}` with Slack's mrkdwn, the subject in bold.
 */
import type { Delivery } from './delivery.js';
import { postJson } from './http.js';

/** Slack's mrkdwn treats &, < and > as markup: user text is escaped to show as written. */
const escapeMarkup = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(delivery: Delivery): { text: string } {
  const { subject, text } = delivery.notification;
  return { text: `*${escapeMarkup(subject)}*\n${escapeMarkup(text)}` };
}

export async function sendSlack(channel: { url: string }, delivery: Delivery): Promise<void> {
  await postJson(channel.url, JSON.stringify(slackMessage(delivery)));
}
