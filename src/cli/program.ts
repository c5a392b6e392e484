import { Command } from 'commander';
import { registerActionItemCommands } from './commands/action-items.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerGuideCommands } from './commands/guide.js';
import { registerImportCommand } from './commands/import.js';
import { registerIncidentCommands } from './commands/incident.js';
import { registerInitCommand } from './commands/init.js';
import { registerInsightsCommands } from './commands/insights.js';
import { registerInvestigationCommands } from './commands/investigate.js';
import { registerLogCommands } from './commands/log.js';
import { registerNotificationCommands } from './commands/notifications.js';
import { registerPostmortemCommands } from './commands/postmortem.js';
import { registerReflectCommands } from './commands/reflect.js';
import { registerReviewCommands } from './commands/review.js';
import { registerServeCommands } from './commands/serve.js';
import { registerSeverityCommands } from './commands/severity.js';
import { registerUpdateCommand } from './commands/update.js';
import { CliContext, type GlobalOptions, type Io } from './context.js';

const ABOUT = `Calm keeps the incident log, guides the practice and records every step.

Exit codes: 0 success; 2 a mistake in the command or its input (unknown incident,
severity or role, illegal transition, malformed time or config) and nothing was
written; 1 a bug in Calm.

Environment: CALM_HOME (data folder), CALM_CONFIG (config file), CALM_USER (your name),
CALM_DATABASE_URL (PostgreSQL instead of SQLite), CALM_URL and CALM_TOKEN (work on a
team server's incidents over its API instead of this machine's store).`;

/** The whole command table. The returned context is created on first use and must be closed. */
export function buildProgram(io: Io): {
  program: Command;
  context: () => CliContext;
  close(): Promise<void>;
} {
  const program = new Command('calm')
    .description(ABOUT)
    .version('0.1.0')
    .option(
      '--home <dir>',
      'where the store lives (default: the nearest .calm folder, else ~/.calm)',
    )
    .option(
      '--config <file>',
      'the config file (default: calm.config.yaml beside the .calm folder)',
    )
    .option('--as <name>', 'who is writing (default: CALM_USER or your login name)')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .exitOverride();

  let context: CliContext | undefined;
  const getContext = () => {
    context ??= new CliContext(io, program.opts<GlobalOptions>());
    return context;
  };

  registerInitCommand(program, getContext);
  registerIncidentCommands(program, getContext);
  registerLogCommands(program, getContext);
  registerUpdateCommand(program, getContext);
  registerReviewCommands(program, getContext);
  registerPostmortemCommands(program, getContext);
  registerActionItemCommands(program, getContext);
  registerInsightsCommands(program, getContext);
  registerImportCommand(program, getContext);
  registerReflectCommands(program, getContext);
  registerInvestigationCommands(program, getContext);
  registerSeverityCommands(program, getContext);
  registerGuideCommands(program, getContext);
  registerNotificationCommands(program, getContext);
  registerAnalyzeCommand(program, getContext);
  registerDemoCommand(program, getContext);
  registerServeCommands(program, getContext);

  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return { program, context: getContext, close: async () => context?.close() };
}
