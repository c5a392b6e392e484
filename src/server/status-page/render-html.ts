/**
 * The public status page as one server-rendered HTML document: no script, one
 * small inline style (allowed by its hash in the page's own CSP), readable on
 * a phone. Every piece of text goes through escapeText; times are in UTC and
 * say so, since without a script the page cannot know the reader's zone.
 */
import { COMPONENT_STATE_LABELS, type ComponentState } from '../../core/status-page/component.js';
import {
  PUBLIC_STATUS_LABELS,
  type PublicIncident,
  type PublicStatus,
} from '../../core/status-page/public-view.js';
import { ownPageCsp } from '../security-headers.js';
import { escapeText as e } from './escape.js';

export const PAGE_TITLE = 'Service status';

const STYLE = `
:root{--ok:#1a7f37;--maint:#0969da;--degr:#9a6700;--part:#bc4c00;--major:#cf222e;--none:#d0d7de;color-scheme:light dark}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.overall{padding:.75rem 1rem;border-radius:6px;color:#fff;font-weight:600}
.components{list-style:none;padding:0;margin:0}
.components li{border-bottom:1px solid var(--none);padding:.5rem 0}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.name{font-weight:600}.desc{margin:0;font-size:.9rem;opacity:.8}
.days{display:flex;gap:1px;height:1.25rem;margin-top:.35rem}.days span{flex:1}
.incident{border-left:4px solid var(--degr);padding:.25rem .75rem;margin:.75rem 0}
.incident.resolved{border-color:var(--none)}
.meta,time{font-size:.85rem;opacity:.8}
.updates{list-style:none;padding:0;margin:.25rem 0}.updates li{margin:.5rem 0}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.s-operational{background:var(--ok)}.s-under_maintenance{background:var(--maint)}
.s-degraded_performance{background:var(--degr)}.s-partial_outage{background:var(--part)}
.s-major_outage{background:var(--major)}.s-none{background:var(--none)}
.label.s-operational,.label.s-under_maintenance,.label.s-degraded_performance,.label.s-partial_outage,.label.s-major_outage{background:none}
.label.s-operational{color:var(--ok)}.label.s-under_maintenance{color:var(--maint)}
.label.s-degraded_performance{color:var(--degr)}.label.s-partial_outage{color:var(--part)}.label.s-major_outage{color:var(--major)}
footer{margin:2rem 0 1rem;font-size:.85rem;opacity:.8}
`.trim();

/** The page's Content-Security-Policy: nothing loads, nothing runs, only its own style applies. */
export const STATUS_PAGE_CSP = ownPageCsp(STYLE);

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayName = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const time = (iso: string) =>
  `<time datetime="${e(iso)}">${e(clock.format(Date.parse(iso)))} UTC</time>`;

function incidentHtml(incident: PublicIncident, heading: 'h3' | 'h4'): string {
  const status = PUBLIC_STATUS_LABELS[incident.status];
  const on = incident.components.length ? ` · ${e(incident.components.join(', '))}` : '';
  const span = incident.resolvedAt
    ? `${time(incident.startedAt)} – ${time(incident.resolvedAt)}`
    : `since ${time(incident.startedAt)}`;
  const updates = incident.updates
    .map(
      (update) =>
        `<li id="update-${e(update.id)}"><strong>${e(PUBLIC_STATUS_LABELS[update.status])}</strong> ${time(update.at)}<div class="text">${e(update.text)}</div></li>`,
    )
    .join('');
  return `<article class="incident ${e(incident.status)}" id="incident-${e(incident.id)}">
<${heading}>${e(incident.title)}</${heading}>
<p class="meta">${e(status)}${on} · ${span}</p>
${updates ? `<ol class="updates">${updates}</ol>` : ''}
</article>`;
}

function dayCells(days: PublicStatus['components'][number]['days']): string {
  return days
    .map((day) => {
      const state: ComponentState | 'none' = day.state ?? 'none';
      const label = day.state ? COMPONENT_STATE_LABELS[day.state] : 'No data';
      return `<span class="s-${state}" title="${e(day.date)}: ${e(label)}"></span>`;
    })
    .join('');
}

export function renderStatusHtml(status: PublicStatus): string {
  const components = status.components
    .map(
      (component) => `<li>
<div class="row"><span class="name">${e(component.name)}</span><span class="label s-${e(component.state)}">${e(COMPONENT_STATE_LABELS[component.state])}</span></div>
${component.description ? `<p class="desc">${e(component.description)}</p>` : ''}
<div class="days" role="img" aria-label="${e(component.name)}: the last ${status.historyDays} days">${dayCells(component.days)}</div>
</li>`,
    )
    .join('\n');
  const active = status.activeIncidents.length
    ? status.activeIncidents.map((incident) => incidentHtml(incident, 'h3')).join('\n')
    : '<p>No incidents in progress.</p>';
  const history = status.history.length
    ? status.history
        .map(
          (day) =>
            `<h3>${e(dayName.format(Date.parse(`${day.date}T00:00:00Z`)))}</h3>\n${day.incidents.map((incident) => incidentHtml(incident, 'h4')).join('\n')}`,
        )
        .join('\n')
    : `<p>No incidents in the last ${status.historyDays} days.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(PAGE_TITLE)}: ${e(status.overall.label)}</title>
<link rel="alternate" type="application/atom+xml" title="${e(PAGE_TITLE)}" href="/status/feed.atom">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(PAGE_TITLE)}</h1>
<p class="overall s-${e(status.overall.state)}">${e(status.overall.label)}</p>
<section aria-labelledby="current"><h2 id="current">Current incidents</h2>
${active}
</section>
${components ? `<section aria-labelledby="components"><h2 id="components">Components</h2>\n<ul class="components">\n${components}\n</ul>\n</section>` : ''}
<section aria-labelledby="history"><h2 id="history">Past incidents (last ${status.historyDays} days)</h2>
${history}
</section>
<footer>Times are in UTC. Last change ${time(status.updatedAt)}. Follow updates: <a href="/status/feed.atom">Atom feed</a> · <a href="/status.json">JSON</a></footer>
</main>
</body>
</html>
`;
}
