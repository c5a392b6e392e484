import { type Command, Option } from 'commander';
import { ROLES, TOKEN_SCOPES } from '../../core/account/roles.js';
import { UserError } from '../../core/errors.js';
import { parseDuration } from '../../core/time.js';
import { examples, type GetContext } from './shared.js';

/** CALM_UPLOAD_MB: the largest log upload the Evidence page takes, in MiB. */
function uploadMbOf(value: string): number {
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 1 || mb > 1_000_000)
    throw new UserError(`CALM_UPLOAD_MB=${value} is not a size; give whole MiB, e.g. 512`);
  return mb;
}

/** The first line on stdin (for passwords: never a command-line argument, which `ps` shows). */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UserError('pipe the password on stdin: echo "a long password" | calm user add NAME');
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export function registerServeCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('serve')
      .description(
        'run the team server: HTTP API and live timeline (SQLite here, or CALM_DATABASE_URL)',
      )
      .option('--port <n>', 'port to listen on (CALM_PORT)')
      .option('--host <address>', 'address to listen on (CALM_HOST)', '127.0.0.1')
      .option('--secure-cookies', 'mark session cookies Secure (serving behind TLS)')
      .action(async (opts) => {
        const ctx = context();
        const given: string = opts.port ?? ctx.io.env.CALM_PORT ?? '4100';
        const port = /^\d{1,5}$/.test(given) ? Number(given) : Number.NaN;
        if (!(port <= 65535))
          throw new UserError(`--port takes a port number (0-65535), not "${given}"`);
        // Listening for the signals first: one that arrives while starting stops the server once up.
        let signalled!: () => void;
        const signal = new Promise<void>((resolve) => {
          signalled = resolve;
        });
        process.once('SIGTERM', signalled);
        process.once('SIGINT', signalled);
        const lease = ctx.io.env.CALM_OUTBOX_LEASE;
        const outboxLeaseMs = lease === undefined ? undefined : parseDuration(lease);
        if (lease !== undefined && !(outboxLeaseMs && outboxLeaseMs >= 1000))
          throw new UserError(
            `CALM_OUTBOX_LEASE takes a duration of at least 1s, such as 60s or 2m, not "${lease}"`,
          );
        const config = await ctx.loadConfig();
        const { serve } = await import('../../server/serve.js');
        const { findWebRoot } = await import('../../server/web-app.js');
        const webRoot = findWebRoot(import.meta.url);
        const server = await serve({
          host: ctx.io.env.CALM_HOST ?? opts.host,
          port,
          ...ctx.storeLocation,
          framework: async () => config.severity,
          channels: config.channels,
          ...(config.alerts ? { alerts: config.alerts } : {}),
          ...(outboxLeaseMs ? { outboxLeaseMs } : {}),
          ...(config.review ? { blame: config.review.blame } : {}),
          ...(config.review?.gapMinutes !== undefined
            ? { gapMinutes: config.review.gapMinutes }
            : {}),
          secureCookies: Boolean(opts.secureCookies),
          ...(webRoot ? { webRoot } : {}),
          // uploaded logs are analyzed in threads started from this script, as calm analyze's are
          ...(ctx.io.script ? { analyzeScript: ctx.io.script } : {}),
          ...(ctx.io.env.CALM_UPLOAD_MB ? { uploadMb: uploadMbOf(ctx.io.env.CALM_UPLOAD_MB) } : {}),
          log: (line) => ctx.print(line),
        });
        await signal;
        ctx.print('stopping: finishing requests in flight');
        await server.stop();
      }),
    [
      'calm serve',
      'calm serve --port 8080',
      'CALM_DATABASE_URL=postgres://calm@db/calm calm serve',
    ],
  );

  const user = examples(program.command('user').description('accounts of the team server'), [
    'calm user add ana --role admin < password.txt',
  ]);
  examples(
    user
      .command('add <name>')
      .description('create an account (the password is read from stdin)')
      .addOption(
        new Option('--role <role>', 'what they may do').choices(ROLES).default('responder'),
      )
      .action(async (name: string, opts: { role: (typeof ROLES)[number] }) => {
        const ctx = context();
        const password = await readStdinLine();
        if (password.length < 10) throw new UserError('the password needs at least 10 characters');
        const { openStoreSet } = await import('../../store/open.js');
        const { createAccount } = await import('../../app/accounts.js');
        const stores = await openStoreSet(ctx.storeLocation);
        try {
          await createAccount(
            stores.accounts,
            { name, password, role: opts.role },
            { actor: ctx.author, sourceIp: 'cli' },
            Date.now(),
          );
        } finally {
          await stores.close();
        }
        ctx.print(`Created ${opts.role} ${name}.`);
      }),
    ['calm user add ana --role admin < password.txt'],
  );

  const token = examples(
    program.command('token').description("API tokens, for the CLI's CALM_TOKEN and scripts"),
    ['calm token create --user ana'],
  );
  examples(
    token
      .command('create')
      .description("create an API token for an account on this server's store; shown once")
      .requiredOption('--user <name>', 'whose token it is: entries are written as this account')
      .option('--name <label>', 'what the token is for', 'cli')
      .addOption(
        new Option('--scope <scope>', 'read only, or read and write')
          .choices(TOKEN_SCOPES)
          .default('write'),
      )
      .action(
        async (opts: { user: string; name: string; scope: (typeof TOKEN_SCOPES)[number] }) => {
          const ctx = context();
          const { openStoreSet } = await import('../../store/open.js');
          const { createApiToken } = await import('../../app/accounts.js');
          const stores = await openStoreSet(ctx.storeLocation);
          try {
            const { token: secret } = await createApiToken(
              stores.accounts,
              opts,
              { actor: ctx.author, sourceIp: 'cli' },
              Date.now(),
            );
            ctx.print(
              `${secret}\nA ${opts.scope} token for ${opts.user}; it is shown only now. Use it as CALM_TOKEN with CALM_URL.`,
            );
          } finally {
            await stores.close();
          }
        },
      ),
    [
      'calm token create --user ana',
      'export CALM_URL=http://127.0.0.1:4100 CALM_TOKEN=$(calm token create --user ana | head -1)',
    ],
  );
}
