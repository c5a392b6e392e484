/**
 * `calm serve` as a real child process on a loopback port the OS picks. It
 * is ready once it has printed its URL and answered a request there (not
 * when `kill -0` finds the pid: an exited child can linger as a zombie).
 * The answer also means its SIGTERM handler is in place: until then the
 * signal's default action would kill it outright.
 * Every process started here is remembered, so `killServers()` in an
 * afterEach ends them even when the test failed half-way.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CALM } from '../run-calm.js';

const SERVING = /Calm is serving (http:\/\/127\.0\.0\.1:\d+) \(store: [^)]+\)/;
const START_TIMEOUT_MS = 15_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Settles when the process has exited (after its pipes closed). */
  exited: Promise<Exit>;
  signal(name: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();

function watchExit(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
}

/** Runs `calm serve --port 0` with exactly `env` (plus PATH) and waits until it is listening. */
export async function startServer(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, [CALM, 'serve', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = watchExit(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`calm serve did not print its URL in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const collect = (chunk: Buffer) => {
      output += chunk;
      const found = SERVING.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(
        new Error(`calm serve exited (${exit.code ?? exit.signal}) before serving:\n${output}`),
      );
    });
  });
  await fetch(`${url}/api/health`).then((response) => response.arrayBuffer());
  return {
    url,
    output: () => output,
    exited,
    signal: (name) => child.kill(name),
  } satisfies ServerProcess;
}

/** SIGKILLs every server still running and waits for each to be gone. */
export async function killServers(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map((child) => {
      const gone = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGKILL');
      return gone;
    }),
  );
}
