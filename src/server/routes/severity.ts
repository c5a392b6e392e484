/**
 * The severity assessment without an incident: the questions, and the level
 * the team's framework suggests for a set of answers, with why. The web app's
 * Declare form asks them before anything is written; recording the level on
 * an incident is `POST /api/incidents/:incident/severity` with the same answers.
 */
import { z } from 'zod';
import { AFFECTED } from '../../core/incident/impact.js';
import { ASSESSMENT_QUESTIONS, assessSeverity } from '../../core/severity/assessment.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { answers } from './incidents.js';

const question = z.object({
  key: z.string(),
  question: z.string(),
  /** 'yes-no', or the choices for who is affected. */
  choices: z.array(z.string()).nullable(),
});

const suggestion = z.object({
  level: z.object({ key: z.string(), name: z.string(), description: z.string() }),
  reason: z.string(),
  /** False when no rule matched and the least severe level is the fallback. */
  matched: z.boolean(),
});

export function severityRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/severity/questions',
      role: 'viewer',
      tag: 'incidents',
      summary: 'The severity assessment questions, in the order a responder is asked them',
      response: z.object({ items: z.array(question) }),
      handler: async () => ({
        items: ASSESSMENT_QUESTIONS.map(({ key, question }) => ({
          key,
          question,
          choices: key === 'affected' ? [...AFFECTED] : null,
        })),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/severity/assess',
      role: 'viewer',
      tag: 'incidents',
      summary:
        'The level the framework suggests for these answers, and why (writes nothing; unknown answers left out)',
      body: answers,
      response: suggestion,
      async handler({ body }) {
        const assessment = assessSeverity(await deps.framework(), body);
        const { key, name, description } = assessment.level;
        return {
          level: { key, name, description },
          reason: assessment.reason,
          matched: assessment.ruleIndex !== undefined,
        };
      },
    }),
  ];
}
