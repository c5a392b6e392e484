/**
 * A timeline of 5,000 entries in the browser: it opens at its end within a
 * second or two, only the entries in view (and a few around them) are in the
 * page, the top is reachable, and a new entry shows at once.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { killServers, type ServerProcess, startServer } from '../support/server-process.js';
import { launchChromium, logIn, screenshot } from './browser.js';

const PASSWORD = 'correct horse battery staple';
const ENTRIES = 5000;

let workspace: ReturnType<typeof makeWorkspace>;
let server: ServerProcess;
let browser: Browser;
let key: string;

async function calm(args: string[], input?: string) {
  const result = await runCalm(args, {
    cwd: workspace.dir,
    env: { ...workspace.env, CALM_HOME: workspace.dir },
    ...(input ? { input } : {}),
  });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  workspace = makeWorkspace();
  await calm(['user', 'add', 'ana', '--role', 'responder'], `${PASSWORD}\n`);
  const token = /calm_\S+/.exec(await calm(['token', 'create', '--user', 'ana']))?.[0];
  server = await startServer({ ...workspace.env, CALM_HOME: workspace.dir });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const declared = await fetch(`${server.url}/api/incidents`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ title: 'A long night' }),
  });
  key = ((await declared.json()) as { incident: { key: string } }).incident.key;
  for (let first = 0; first < ENTRIES; first += 50) {
    const findings = Array.from({ length: 50 }, (_, i) => ({
      text: `finding ${first + i}: p99 latency on db-${i % 7} is ${i * 13} ms`,
    }));
    const response = await fetch(`${server.url}/api/incidents/${key}/findings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ findings }),
    });
    expect(response.status).toBe(201);
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await killServers();
  workspace?.cleanup();
});

it('opens a 5,000-entry timeline at its end and renders only what is in view', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(15_000);
  const { page, watch } = await logIn(context, server.url, 'ana', PASSWORD);
  const started = Date.now();
  await page.goto(`${server.url}/incidents/${key}`);
  const log = page.getByRole('log', { name: 'Timeline entries' });
  await log.getByText(`finding ${ENTRIES - 1}:`, { exact: false }).waitFor();
  const openedInMs = Date.now() - started;
  console.log(`5,000-entry timeline shown at its end in ${openedInMs} ms`);
  expect(openedInMs).toBeLessThan(5_000);
  await page.getByText(`${(ENTRIES + 1).toLocaleString('en')} entries`).waitFor();
  expect(await log.locator('li').count()).toBeLessThan(100);
  await screenshot(page, 'incident-long-timeline');

  await page.getByLabel('Log to the timeline').fill('still here');
  await page.getByLabel('Log to the timeline').press('Enter');
  await log.getByText('still here', { exact: true }).waitFor();

  await log.evaluate((element) => {
    element.scrollTop = 0;
  });
  await log.getByText('Declared: A long night').waitFor();
  expect(await log.locator('li').count()).toBeLessThan(100);
  expect(watch.problems).toEqual([]);
  await context.close();
}, 60_000);
