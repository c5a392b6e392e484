/**
 * The postmortem as one standalone HTML page: no script, no external files,
 * every piece of text escaped (what people wrote is never markup), and styles
 * that print well.
 */
import type { EpochMs } from '../ids.js';
import { escapeHtml } from './html.js';
import type { PostmortemModel } from './postmortem.js';
import {
  ACTION_COLUMNS,
  actionRow,
  headline,
  OUTLINE,
  type OutlinePart,
  PART_TITLES,
} from './postmortem-markdown.js';
import { renderStagesHtml } from './stages-html.js';

export { escapeHtml };

/** Escaped text with `code` spans: the only inline markup the drafts use. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A section's text: paragraphs, "- " lists, "1. " lists, and `_prompts_`. */
export function textToHtml(text: string): string {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim());
    if (!lines.length) continue;
    const lead: string[] = [];
    while (lines.length && !/^(- |\d+\. )/.test(lines[0] ?? '')) lead.push(lines.shift() ?? '');
    if (lead.length) {
      const joined = lead.join(' ').trim();
      const isPrompt = /^_.*_$/.test(joined);
      out.push(
        isPrompt
          ? `<p class="prompt"><em>${inline(joined.slice(1, -1))}</em></p>`
          : `<p>${inline(joined)}</p>`,
      );
    }
    if (!lines.length) continue;
    const ordered = /^\d+\. /.test(lines[0] ?? '');
    const items = lines.map((line) => `<li>${inline(line.replace(/^(- |\d+\. )/, ''))}</li>`);
    out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
  }
  return out.join('\n');
}

function table(head: string[], rows: string[][], className: string): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function part(model: PostmortemModel, name: OutlinePart, clock: (at: EpochMs) => string): string {
  if (name === 'timeline')
    return table(
      ['Time', 'Entry', 'What happened'],
      model.timeline.map((line) => [clock(line.at), `#${line.seq} ${line.label}`, line.text]),
      'timeline',
    );
  if (name === 'stages') return renderStagesHtml(model.stages, clock);
  if (name === 'action_items')
    return model.actionItems.length
      ? table(ACTION_COLUMNS, model.actionItems.map(actionRow), 'actions')
      : '<p class="prompt"><em>No action items yet.</em></p>';
  return textToHtml(model.sections.find((s) => s.section === name)?.text ?? '');
}

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.headline { color: #555; } .prompt { color: #666; } .warnings { border-left: 4px solid #c80; padding-left: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
table.chart th { font-weight: normal; width: 30%; } table.chart td.bar { width: 40%; } table.chart td { white-space: nowrap; }
table.timeline td:nth-child(-n+2), table.actions td:nth-child(n+3):not(:last-child) { white-space: nowrap; } code { font-size: .9em; }
td.bar span { display: block; height: .8rem; background: #4a6fa5; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
`.trim();

/** The text of the page's one style element (a CSP can allow it, and only it, by its hash). */
export const POSTMORTEM_STYLE = `\n${STYLE}\n`;

export function renderPostmortemHtml(
  model: PostmortemModel,
  clock: (at: EpochMs) => string,
): string {
  const title = `Postmortem: ${model.key} — ${model.title}`;
  const out = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${POSTMORTEM_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="headline">${escapeHtml(headline(model))}</p>`,
  ];
  if (model.warnings.length)
    out.push(
      '<div class="warnings"><p><strong>Blameless review:</strong> the linter flagged written text; consider rewording.</p><ul>',
      ...model.warnings.map(
        (w) =>
          `<li>${escapeHtml(`${w.section}: "${w.sentence.trim()}" (${w.message}; try: ${w.suggestion})`)}</li>`,
      ),
      '</ul></div>',
    );
  for (const name of OUTLINE) {
    const heading =
      name in PART_TITLES
        ? PART_TITLES[name as keyof typeof PART_TITLES]
        : (model.sections.find((s) => s.section === name)?.title ?? name);
    out.push(`<section id="${name.replace('_', '-')}">`, `<h2>${escapeHtml(heading)}</h2>`);
    out.push(part(model, name, clock), '</section>');
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
