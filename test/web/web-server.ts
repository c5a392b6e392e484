/**
 * A real `calm serve` (SQLite, loopback) with users of each role, an API
 * token per user for setting the scene over HTTP, and Debian's Chromium for
 * the pages under test. Each test file starts its own.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { killServers, type ServerProcess, startServer } from '../support/server-process.js';
import { launchChromium, logIn, seriousAxeViolations, type Watch } from './browser.js';

export const PASSWORD = 'correct horse battery staple';

/** Waits for what another browser or the server does, on a machine that may be busy. */
export const poll = <T>(read: () => Promise<T> | T) =>
  expect.poll(read, { timeout: 10_000, interval: 50 });

export interface WebServer {
  url: string;
  /** A request as `user` with their API token; the answer's status and JSON. */
  api(user: string, method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** A logged-in page for `user` in a new browser context. */
  open(user: string, options?: Parameters<Browser['newContext']>[0]): Promise<OpenPage>;
  close(): Promise<void>;
}

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the route answers
  body: any;
}

export interface OpenPage {
  page: Page;
  watch: Watch;
}

export async function startWebServer(users: Record<string, string>): Promise<WebServer> {
  const workspace = makeWorkspace();
  const env = { ...workspace.env, CALM_HOME: workspace.dir };
  const calm = async (args: string[], input?: string) => {
    const result = await runCalm(args, { cwd: workspace.dir, env, ...(input ? { input } : {}) });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const tokens = new Map<string, string>();
  for (const [name, role] of Object.entries(users)) {
    await calm(['user', 'add', name, '--role', role], `${PASSWORD}\n`);
    const token = /calm_\S+/.exec(await calm(['token', 'create', '--user', name]))?.[0];
    if (!token) throw new Error(`no token for ${name}`);
    tokens.set(name, token);
  }
  const server: ServerProcess = await startServer(env);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    url: server.url,
    async api(user, method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens.get(user)}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async open(user, options = { viewport: { width: 1280, height: 860 } }) {
      const context = await browser.newContext(options);
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return logIn(context, server.url, user, PASSWORD);
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await killServers();
      workspace.cleanup();
    },
  };
}

export async function expectNoSeriousAxeViolations(page: Page, where: string) {
  expect(await seriousAxeViolations(page), where).toEqual([]);
}

export function expectClean(watch: Watch) {
  expect(watch.problems).toEqual([]);
  expect(watch.dialogs).toEqual([]);
}
