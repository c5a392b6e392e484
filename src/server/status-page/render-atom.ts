/**
 * The public status page as an Atom 1.0 feed (RFC 4287): one entry per public
 * update, newest first. Ids are URNs rather than URLs built from the request's
 * Host header, so a feed reader sees the same ids whichever name the server
 * was reached by, and a forged Host cannot put another site's links in it.
 */
import { PUBLIC_STATUS_LABELS, type PublicStatus } from '../../core/status-page/public-view.js';
import { escapeText as e } from './escape.js';
import { PAGE_TITLE } from './render-html.js';

const FEED_ID = 'urn:calm:status-page';

export function renderStatusAtom(status: PublicStatus): string {
  const incidents = [...status.activeIncidents, ...status.history.flatMap((day) => day.incidents)];
  const updates = incidents
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort(
      (a, b) => b.update.at.localeCompare(a.update.at) || b.update.id.localeCompare(a.update.id),
    );
  const entries = updates.map(
    ({ incident, update }) => `<entry>
<id>${FEED_ID}:update:${e(update.id)}</id>
<title type="text">${e(incident.title)}: ${e(PUBLIC_STATUS_LABELS[update.status])}</title>
<updated>${e(update.at)}</updated>
<published>${e(update.at)}</published>
<link rel="alternate" type="text/html" href="/status#update-${e(update.id)}"/>
${incident.components.map((name) => `<category term="${e(name)}"/>`).join('\n')}
<content type="text">${e(update.text)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${FEED_ID}</id>
<title type="text">${e(PAGE_TITLE)}</title>
<subtitle type="text">${e(status.overall.label)}</subtitle>
<updated>${e(status.updatedAt)}</updated>
<author><name>${e(PAGE_TITLE)}</name></author>
<link rel="self" type="application/atom+xml" href="/status/feed.atom"/>
<link rel="alternate" type="text/html" href="/status"/>
${entries.join('\n')}
</feed>
`;
}
