/**
 * `calm analyze --cron FILE`: the cron jobs to line up with the errors. A
 * file is a crontab (system or user, see analysis/explain/cron.ts) or
 * Kubernetes CronJobs (YAML, one or several documents, a `List`, or the JSON
 * of `kubectl get cronjobs -o json`); which one is told by its content, not
 * its name. A folder (/etc/cron.d) stands for the files in it. The path only
 * hints: /etc/crontab and cron.d files have a user column, and a spooled
 * crontab (/var/spool/cron/crontabs/alice) runs as the user it is named for.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import {
  type CronFileForm,
  type CronJob,
  type CronProblem,
  type ParsedCron,
  parseCrontab,
  scheduleProblem,
  zoneProblem,
} from '../../analysis/explain/cron/cron.js';
import { UserError } from '../../core/errors.js';

export interface CronFileSummary {
  source: string;
  form: CronFileForm;
  jobs: number;
  problems: number;
}

/** Every job of the cron files given, the lines that could not be used, and what each file was. */
export interface CronInput {
  jobs: CronJob[];
  problems: CronProblem[];
  files: CronFileSummary[];
}

/** Editor and package-manager leftovers in a cron folder, which cron itself skips too. */
const SKIPPED = /(^\.|~$|\.(bak|swp|dpkg-(old|new|dist)|rpm(save|new|orig)|ucf-\w+)$)/;
/** Kubernetes manifests start with a top-level key, `---` or `{`; crontab lines never do. */
const KUBERNETES = /^(?:(?:apiVersion|kind|items|metadata|spec)\s*:|---|\{)/m;

/** Only what Calm reads of a CronJob; the rest of the manifest may be anything. */
const cronJobSchema = z.object({
  kind: z.literal('CronJob'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    schedule: z.string(),
    timeZone: z.string().optional(),
    suspend: z.boolean().optional(),
    jobTemplate: z
      .object({
        spec: z.object({
          template: z.object({
            spec: z.object({
              containers: z
                .array(
                  z.object({
                    image: z.string().optional(),
                    command: z.array(z.string()).optional(),
                    args: z.array(z.string()).optional(),
                  }),
                )
                .optional(),
            }),
          }),
        }),
      })
      .optional(),
  }),
});

/** Loaded only when a manifest is read; `yaml` is CommonJS, so its API is the default export. */
async function loadYaml() {
  return (await import('yaml')).default;
}

/** A `CRON_TZ=Zone ` or `TZ=Zone ` prefix (accepted by older Kubernetes), split off the schedule. */
function splitZonePrefix(schedule: string): { schedule: string; zone?: string } {
  const prefix = /^\s*(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(schedule);
  return prefix
    ? { zone: prefix[1] as string, schedule: (prefix[2] as string).trim() }
    : { schedule: schedule.trim() };
}

/**
 * The CronJobs of a Kubernetes manifest: `metadata.name`, `spec.schedule`,
 * `spec.timeZone` and the first container's command and args (its image
 * when it has none). Other kinds are passed over; a suspended CronJob does
 * not run, so it is reported rather than lined up with the errors.
 */
export async function parseKubernetesCronJobs(text: string, source: string): Promise<ParsedCron> {
  const YAML = await loadYaml();
  const lineCounter = new YAML.LineCounter();
  const lines = text.split(/\r?\n/);
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const problem = (line: number, reason: string): CronProblem => ({
    source,
    line,
    text: (lines[line - 1] ?? '').trim(),
    reason,
  });
  const jobs: CronJob[] = [];
  const problems: CronProblem[] = [];
  let cronJobs = 0;
  for (const document of YAML.parseAllDocuments(text, { lineCounter })) {
    const error = document.errors[0];
    if (error) {
      problems.push(
        problem(lineAt(error.pos[0]), `not valid YAML: ${error.message.split('\n')[0]}`),
      );
      continue;
    }
    const root = document.toJS() as { kind?: unknown; items?: unknown } | null;
    const objects: { value: unknown; path: (string | number)[] }[] = Array.isArray(root?.items)
      ? root.items.map((value, i) => ({ value, path: ['items', i] }))
      : [{ value: root, path: [] }];
    for (const { value, path } of objects) {
      if ((value as { kind?: unknown } | null)?.kind !== 'CronJob') continue;
      cronJobs++;
      const node = (document.getIn([...path, 'spec', 'schedule'], true) ??
        document.getIn(path, true)) as { range?: [number, number, number] } | undefined;
      const line = lineAt(node?.range?.[0]);
      const parsed = cronJobSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        problems.push(
          problem(line, `not a CronJob Calm can read: ${issue?.path.join('.')}: ${issue?.message}`),
        );
        continue;
      }
      const { metadata, spec } = parsed.data;
      const { schedule, zone: prefixZone } = splitZonePrefix(spec.schedule);
      const zone = spec.timeZone ?? prefixZone;
      const reason =
        scheduleProblem(schedule) ??
        (zone ? zoneProblem(zone) : undefined) ??
        (spec.suspend ? 'suspended (spec.suspend: true): it does not run' : undefined);
      if (reason) {
        problems.push(problem(line, `${metadata.name}: ${reason}`));
        continue;
      }
      const container = spec.jobTemplate?.spec.template.spec.containers?.[0];
      const words = [...(container?.command ?? []), ...(container?.args ?? [])];
      jobs.push({
        name: metadata.name,
        schedule,
        ...(zone ? { zone } : {}),
        command: words.length ? words.join(' ') : (container?.image ?? ''),
        source,
        line,
      });
    }
  }
  if (cronJobs === 0 && problems.length === 0) problems.push(problem(1, 'no CronJob in the file'));
  return { form: 'kubernetes', jobs, problems };
}

/** Crontab, or Kubernetes CronJobs, by content. */
export async function parseCronText(
  text: string,
  source: string,
  hints: { formHint?: 'system-crontab' | 'user-crontab'; user?: string } = {},
): Promise<ParsedCron> {
  const firstLines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .slice(0, 5)
    .join('\n');
  if (KUBERNETES.test(firstLines)) return parseKubernetesCronJobs(text, source);
  const parsed = parseCrontab(text, source, hints.formHint ? { formHint: hints.formHint } : {});
  if (hints.user && parsed.form === 'user-crontab')
    for (const job of parsed.jobs) job.user ??= hints.user;
  return parsed;
}

/** What the path says about a crontab: a user column (/etc/crontab, cron.d), or the spool's owner. */
function hintsFromPath(path: string): {
  formHint?: 'system-crontab' | 'user-crontab';
  user?: string;
} {
  const folder = basename(dirname(path));
  if (folder === 'cron.d' || (basename(path) === 'crontab' && folder === 'etc'))
    return { formHint: 'system-crontab' };
  if (folder === 'crontabs' || (folder === 'cron' && basename(dirname(dirname(path))) === 'spool'))
    return { formHint: 'user-crontab', user: basename(path) };
  return {};
}

async function filesOf(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UserError(
      `--cron ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a crontab, a cron.d folder or a Kubernetes CronJob YAML file`,
    );
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => !SKIPPED.test(name)).sort();
  const files: string[] = [];
  for (const name of names)
    if ((await stat(join(path, name))).isFile()) files.push(join(path, name));
  return files;
}

/** Reads the cron files (or folders) given to `--cron`. */
export async function readCronInput(
  paths: readonly string[],
  options: { cwd?: string } = {},
): Promise<CronInput> {
  const cwd = options.cwd ?? process.cwd();
  const input: CronInput = { jobs: [], problems: [], files: [] };
  for (const given of paths) {
    for (const file of await filesOf(resolve(cwd, given))) {
      const source = relative(cwd, file) || file;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UserError(
          `--cron ${source}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions`,
        );
      }
      const parsed = await parseCronText(text, source, hintsFromPath(file));
      input.jobs.push(...parsed.jobs);
      input.problems.push(...parsed.problems);
      input.files.push({
        source,
        form: parsed.form,
        jobs: parsed.jobs.length,
        problems: parsed.problems.length,
      });
    }
  }
  return input;
}
