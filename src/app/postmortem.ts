/**
 * The postmortem and the stage review of an incident: drafted from its log,
 * sections written by people, marked complete and reopened. The same use
 * cases serve the CLI, the API and (through it) the web app.
 */
import type { EpochMs, IncidentId } from '../core/ids.js';
import { localDate } from '../core/local-time.js';
import { type BlameOptions, lintBlame } from '../core/review/blame.js';
import {
  draftPersonalPostmortem,
  renderPersonalPostmortem,
} from '../core/review/personal-postmortem.js';
import { draftPostmortem, type PostmortemModel } from '../core/review/postmortem.js';
import * as decide from '../core/review/postmortem-commands.js';
import { renderPostmortemHtml } from '../core/review/postmortem-html.js';
import { renderPostmortemMarkdown } from '../core/review/postmortem-markdown.js';
import { reviewStages, type StageReview } from '../core/review/stages.js';
import { findLevel } from '../core/severity/framework.js';
import type { AppContext } from './context.js';
import { getTimeline } from './incidents.js';
import { peopleOf } from './review.js';
import { type CommandResult, runIncidentCommand } from './run-command.js';

/** The team's settings for reviews (the config file's `review:`). */
export interface ReviewSettings {
  /** Silences in the log longer than this many minutes are shown (default 30). */
  gapMinutes?: number;
  /** The blameless linter's word lists, run over the written sections. */
  blame?: Pick<BlameOptions, 'words' | 'allow'>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2017-01-31 23:27 UTC": a review is read later and elsewhere, so every time names its zone. */
export function reviewClock(at: EpochMs): string {
  const d = new Date(at);
  const offset = -d.getTimezoneOffset();
  const zone =
    offset === 0
      ? 'UTC'
      : `UTC${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${localDate(at)} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zone}`;
}

type Reader = Pick<AppContext, 'store' | 'framework' | 'clock'>;

/** The postmortem as drafted now, with the linter's findings in the written sections as warnings. */
export async function draftIncidentPostmortem(
  ctx: Reader,
  id: IncidentId,
  settings: ReviewSettings = {},
): Promise<PostmortemModel> {
  const { state, entries } = await getTimeline(ctx, id);
  const model = draftPostmortem({
    state,
    entries,
    framework: await ctx.framework(),
    now: ctx.clock.now(),
    clock: reviewClock,
    ...(settings.gapMinutes !== undefined ? { gapMinutes: settings.gapMinutes } : {}),
  });
  const people = peopleOf(state, entries);
  for (const section of model.sections) {
    if (!section.written) continue;
    for (const finding of lintBlame(section.text, { ...settings.blame, people }))
      model.warnings.push({
        section: section.section,
        sentence: finding.sentence,
        message: finding.message,
        suggestion: finding.suggestion,
      });
  }
  return model;
}

export type PostmortemFormat = 'md' | 'html';

/** The draft as a document: Markdown or standalone HTML, times in this process's zone. */
export async function renderIncidentPostmortem(
  ctx: Reader,
  id: IncidentId,
  format: PostmortemFormat,
  settings: ReviewSettings = {},
): Promise<string> {
  if (format === 'md') {
    // a personal incident (personal mode) has its own template: the engineer's review
    const { state, entries } = await getTimeline(ctx, id);
    if (state.personal)
      return renderPersonalPostmortem(
        draftPersonalPostmortem({
          state,
          entries,
          framework: await ctx.framework(),
          now: ctx.clock.now(),
          clock: reviewClock,
        }),
        reviewClock,
      );
  }
  const model = await draftIncidentPostmortem(ctx, id, settings);
  return format === 'html'
    ? renderPostmortemHtml(model, reviewClock)
    : renderPostmortemMarkdown(model, reviewClock);
}

export async function incidentStages(
  ctx: Reader,
  id: IncidentId,
  settings: ReviewSettings = {},
): Promise<{ incident: string; stages: StageReview }> {
  const { state, entries } = await getTimeline(ctx, id);
  const stages = reviewStages({
    state,
    entries,
    framework: await ctx.framework(),
    now: ctx.clock.now(),
    ...(settings.gapMinutes !== undefined ? { gapMinutes: settings.gapMinutes } : {}),
  });
  return { incident: state.key, stages };
}

/** Appends the section as written; the same text as already written appends nothing. */
export const writePostmortemSection = (
  ctx: AppContext,
  id: IncidentId,
  section: string,
  text: string,
  at?: EpochMs,
): Promise<CommandResult> =>
  runIncidentCommand(ctx, id, (state) => decide.writeSection(state, section, text), at);

export async function completePostmortem(
  ctx: AppContext,
  id: IncidentId,
  at?: EpochMs,
): Promise<CommandResult> {
  const framework = await ctx.framework();
  return runIncidentCommand(
    ctx,
    id,
    (state) =>
      decide.completePostmortem(
        state,
        state.severity ? findLevel(framework, state.severity) : undefined,
      ),
    at,
  );
}

export const reopenPostmortem = (
  ctx: AppContext,
  id: IncidentId,
  reason: string,
  at?: EpochMs,
): Promise<CommandResult> =>
  runIncidentCommand(ctx, id, (state) => decide.reopenPostmortem(state, reason), at);
