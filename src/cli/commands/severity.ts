import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { answersFromImpact } from '../../app/incidents.js';
import { UserError } from '../../core/errors.js';
import { levelDemands } from '../../core/guide/demands.js';
import { type Affected, parseAffected } from '../../core/incident/impact.js';
import { ASSESSMENT_QUESTIONS, assessSeverity } from '../../core/severity/assessment.js';
import {
  type AssessmentAnswers,
  findLevel,
  type SeverityFramework,
} from '../../core/severity/framework.js';
import { formatDuration } from '../../core/time.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  jsonOption,
  parseYesNo,
} from './shared.js';

const ANSWER_FLAGS = {
  customerFacing: 'customerFacing',
  affected: 'affected',
  dataLoss: 'dataLoss',
  core: 'coreFunction',
  workaround: 'workaround',
  performanceOnly: 'performanceOnly',
} as const;

function answersFromFlags(opts: Record<string, unknown>): AssessmentAnswers {
  const answers: AssessmentAnswers = {};
  for (const [flag, key] of Object.entries(ANSWER_FLAGS)) {
    const value = opts[flag];
    if (value === undefined) continue;
    if (key === 'affected') answers.affected = value as Affected;
    else answers[key] = value as boolean;
  }
  return answers;
}

/** Asks each question not yet answered; Enter keeps the answer the log already gives. */
async function askQuestions(known: AssessmentAnswers): Promise<AssessmentAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answers: AssessmentAnswers = { ...known };
  try {
    for (const { key, question } of ASSESSMENT_QUESTIONS) {
      const current = answers[key];
      const hint = key === 'affected' ? 'all/subset/internal' : 'y/n';
      const shown =
        current === undefined
          ? ''
          : ` [${current === true ? 'y' : current === false ? 'n' : current}]`;
      for (;;) {
        const reply = (await rl.question(`${question} (${hint}, Enter to skip)${shown} `)).trim();
        if (!reply) break;
        try {
          if (key === 'affected') answers.affected = parseAffected(reply);
          else answers[key] = parseYesNo(reply, 'the answer');
          break;
        } catch (error) {
          process.stdout.write(`${(error as Error).message}\n`);
        }
      }
    }
  } finally {
    rl.close();
  }
  return answers;
}

/** Shows the levels with their examples and asks for one by its key. */
async function chooseLevel(framework: SeverityFramework): Promise<string | undefined> {
  process.stdout.write(renderFramework(framework));
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const reply = (
      await rl.question(`Level (${framework.levels.map((l) => l.key).join('/')}): `)
    ).trim();
    return reply || undefined;
  } finally {
    rl.close();
  }
}

export function renderFramework(framework: SeverityFramework): string {
  const lines: string[] = [];
  for (const level of framework.levels) {
    const p = level.policy;
    lines.push(`${level.key}  ${level.name}: ${level.description}`);
    for (const example of level.examples) lines.push(`    e.g. ${example}`);
    const cadence = Object.entries(p.updateEvery)
      .map(([audience, ms]) => `${audience} every ${formatDuration(ms)}`)
      .join(', ');
    lines.push(`    responds: ${[...p.responders.roles, ...p.responders.teams].join(', ') || '—'}`);
    lines.push(
      `    notify: ${p.notify.join(', ') || '—'}${cadence ? ` · updates: ${cadence}` : ''}`,
    );
    lines.push(
      `    postmortem ${p.postmortemRequired ? 'required' : 'optional'} · customer communication ${p.customerCommunicationRequired ? 'required' : 'optional'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerSeverityCommands(program: Command, context: GetContext): void {
  const severity = program
    .command('severity')
    .description("rate the incident on the team's severity framework");

  examples(
    severity
      .command('list')
      .description('the severity levels, their examples and what each requires')
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const framework = await ctx.framework();
        if (opts.json) return ctx.json(framework);
        ctx.print(renderFramework(framework));
      }),
    ['calm severity list'],
  );

  examples(
    severity
      .command('set')
      .description('set the severity level; without a level, choose one in a terminal')
      .argument('[level]', 'a level key, e.g. SEV2')
      .option('--reason <text>', 'why this level')
      .addOption(incidentOption())
      .addOption(atOption())
      .action(async (level: string | undefined, opts) => {
        const ctx = context();
        const at = ctx.when(opts.at);
        const chosen =
          level ?? (ctx.io.isInteractive ? await chooseLevel(await ctx.framework()) : undefined);
        if (!chosen) {
          throw new UserError('name the level: calm severity set SEV2 (see `calm severity list`)');
        }
        const calm = await ctx.incidents();
        const { state } = await calm.setSeverity(
          await ctx.incidentId(opts.incident),
          chosen,
          opts.reason ?? '',
          at,
        );
        ctx.print(`${state.key} is now ${state.severity}.`);
        const set = state.severity ? findLevel(await calm.framework(), state.severity) : undefined;
        for (const line of set ? levelDemands(state, set) : []) ctx.print(`  ${line}`);
      }),
    ['calm severity set SEV2 --reason "only EU customers affected"', 'calm severity set'],
  );

  examples(
    severity
      .command('assess')
      .description(
        'answer the impact questions and get a suggested level with the reason; asks when run in a terminal',
      )
      .option('--customer-facing <yes|no>', 'is a customer-facing service affected?', (v) =>
        parseYesNo(v, '--customer-facing'),
      )
      .option('--affected <who>', 'all, subset, internal or none', parseAffected)
      .option('--data-loss <yes|no>', 'is customer data lost, breached or compromised?', (v) =>
        parseYesNo(v, '--data-loss'),
      )
      .option('--core <yes|no>', 'is core functionality significantly impacted?', (v) =>
        parseYesNo(v, '--core'),
      )
      .option('--workaround <yes|no>', 'is a workaround available?', (v) =>
        parseYesNo(v, '--workaround'),
      )
      .option('--performance-only <yes|no>', 'is only performance degraded?', (v) =>
        parseYesNo(v, '--performance-only'),
      )
      .option('--dry-run', 'only suggest; do not set the level')
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const id = opts.dryRun && !opts.incident ? undefined : await ctx.incidentId(opts.incident);
        const known = id ? answersFromImpact(await calm.requireIncident(id)) : {};
        let answers = { ...known, ...answersFromFlags(opts) };
        const flagsGiven = Object.keys(answersFromFlags(opts)).length > 0;
        if (!flagsGiven && ctx.io.isInteractive && !opts.json)
          answers = await askQuestions(answers);
        if (Object.keys(answers).length === 0) {
          throw new UserError(
            'no answers to assess: give them as flags, e.g. calm severity assess --customer-facing yes --affected subset',
          );
        }
        if (opts.dryRun || !id) {
          const assessment = assessSeverity(await ctx.framework(), answers);
          if (opts.json) return ctx.json(assessment);
          return ctx.print(
            `Suggested: ${assessment.level.key} ${assessment.level.name}, because ${assessment.reason}.`,
          );
        }
        const { state, assessment, entries } = await calm.assessAndSetSeverity(id, answers);
        if (opts.json) return ctx.json({ assessment, incident: state });
        ctx.print(
          `${assessment.level.key} ${assessment.level.name}, because ${assessment.reason}.${entries.length ? ` ${state.key} is now ${state.severity}.` : ` ${state.key} already was.`}`,
        );
        if (entries.length)
          for (const line of levelDemands(state, assessment.level)) ctx.print(`  ${line}`);
      }),
    [
      'calm severity assess',
      'calm severity assess --customer-facing yes --affected subset --workaround no',
      'calm severity assess --data-loss yes --dry-run --json',
    ],
  );
}
