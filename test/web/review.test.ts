/**
 * The review in the browser: action items on the incident page (added,
 * changed, done; overdue marked), the postmortem page (Calm's draft, a
 * section edited with the blameless linter's findings as one types, the stage
 * review as charts, completion refused with the server's reason and then
 * done), for a responder on a laptop and a phone, and read-only for a viewer.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type Watch } from './browser.js';
import {
  expectClean,
  expectNoSeriousAxeViolations,
  type OpenPage,
  poll,
  startWebServer,
  type WebServer,
} from './web-server.js';

const MINUTE = 60_000;
const XSS = '<img src=x onerror=alert(1)>';

let server: WebServer;
let key: string;

/** A day relative to the server's today (it runs in UTC), as YYYY-MM-DD. */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startWebServer({ ana: 'responder', val: 'viewer' });
  const now = Date.now();
  const declared = await server.api('ana', 'POST', '/api/incidents', {
    title: 'Checkout errors after the pool change',
    services: ['checkout'],
    severity: 'SEV2',
    impactStartedAt: now - 50 * MINUTE,
    detectedAt: now - 40 * MINUTE,
  });
  expect(declared.status, JSON.stringify(declared.body)).toBe(201);
  key = declared.body.incident.key;
  const write = async (path: string, body: unknown) => {
    const answer = await server.api('ana', 'POST', `/api/incidents/${key}${path}`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };
  await write('/roles', { role: 'commander', person: 'ana' });
  await write('/hypotheses', { statement: 'the pool change starved checkout' });
  await write('/timeline', { kind: 'finding', text: 'pool at 100% since the change' });
  await write('/hypotheses/move', { number: 1, status: 'confirmed', reason: 'pool at 100%' });
  await write('/status', { status: 'resolved' });
}, 60_000);

afterAll(() => server?.close());

/** Takes out the refusals a test provoked (a browser logs each as a console error, a moment later). */
async function expectRefused(watch: Watch, status: number, times: number) {
  const refused = `the server responded with a status of ${status}`;
  await poll(() => watch.problems.filter((p) => p.includes(refused)).length).toBe(times);
  const found = watch.problems.filter((p) => p.includes(refused));
  watch.problems.splice(
    0,
    watch.problems.length,
    ...watch.problems.filter((p) => !found.includes(p)),
  );
}

const actionItems = (page: Page) => page.getByRole('region', { name: 'Action items' });

describe('action items and the postmortem', { timeout: 90_000 }, () => {
  let ana: OpenPage;

  it('adds an action item on the incident page; an overdue one is marked', async () => {
    ana = await server.open('ana');
    const { page } = ana;
    await page.goto(`${server.url}/incidents/${key}`);
    const panel = actionItems(page);
    await panel.getByText('None yet').waitFor();
    // a viewer watching the incident sees the item arrive without a reload
    const watcher = await server.open('val');
    await watcher.page.goto(`${server.url}/incidents/${key}`);
    await watcher.page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    await actionItems(watcher.page).getByText('None yet').waitFor();
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await panel.getByLabel('What to do').fill(`Alert when the pool is nearly full ${XSS}`);
    await panel.getByLabel('Kind').selectOption('detect');
    await panel.getByLabel('Priority').selectOption('p1');
    await panel.getByLabel('Due').fill(day(-2));
    await panel.getByLabel('Link').fill('javascript:alert(1)');
    await panel.getByRole('button', { name: 'Add action item' }).click();
    // the server takes web addresses only, and says so
    await poll(() => panel.getByRole('alert').textContent()).toContain('is not a link');
    await expectRefused(ana.watch, 400, 1);
    await panel.getByLabel('Link').fill('https://tracker.example/CALM-7');
    await panel.getByRole('button', { name: 'Add action item' }).click();
    const item = panel.locator('.action-item').first();
    await poll(() => item.locator('.action-title').textContent()).toBe(
      `A1 Alert when the pool is nearly full ${XSS}`,
    );
    const facts = await item.locator('.action-facts').textContent();
    expect(facts).toContain('open detect · p1 · no owner');
    expect(facts).toContain(`due ${day(-2)} overdue`);
    expect(await item.getAttribute('class')).toContain('overdue');
    const link = item.getByRole('link', { name: 'tracker link for A1' });
    expect(await link.getAttribute('href')).toBe('https://tracker.example/CALM-7');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('main img').count()).toBe(0);
    await poll(() => page.locator('.entry-text').allTextContents()).toContain(
      `Action item A1: Alert when the pool is nearly full ${XSS}`,
    );
    await poll(() => actionItems(watcher.page).locator('.action-title').allTextContents()).toEqual([
      `A1 Alert when the pool is nearly full ${XSS}`,
    ]);
    expectClean(watcher.watch);
    await screenshot(page, 'incident-action-items-light');
    await expectNoSeriousAxeViolations(page, 'incident page with action items');
  });

  it('drafts the postmortem with the stage review as charts', async () => {
    const { page } = ana;
    await page.getByRole('link', { name: 'Postmortem', exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`Postmortem: ${key}`) }).waitFor();
    const review = page.getByRole('region', { name: 'Stage review' });
    // the stages and the hypothesis, each a uPlot chart with its figures in words
    await poll(() => review.locator('.review-chart canvas').count()).toBe(2);
    const figures = await review.locator('.figures li').allTextContents();
    expect(figures).toContainEqual(
      expect.stringMatching(/^Time to detect 10m 00s \(impact started → detected\)$/),
    );
    expect(figures).toContainEqual(expect.stringMatching(/^H1 the pool change starved checkout: /));
    const chart = review.getByRole('img', { name: /^Stage durations: Time to detect 10m 00s/ });
    expect(await chart.count()).toBe(1);
    for (const title of ['Summary', 'Detection', 'Investigation', 'What went poorly']) {
      await page.getByRole('region', { name: title, exact: true }).waitFor();
    }
    await page.getByRole('region', { name: 'Timeline', exact: true }).waitFor();
  });

  it('refuses completion with the server reason while an item has no owner', async () => {
    const { page } = ana;
    await page.getByRole('button', { name: 'Mark the postmortem complete' }).click();
    await poll(() => page.locator('.completion [role=alert]').textContent()).toContain(
      `action item A1 of ${key} has no owner`,
    );
    expect(await page.locator('.postmortem-header .badge').textContent()).toBe('postmortem draft');
    await expectRefused(ana.watch, 409, 1);
  });

  it('flags blame while a section is edited, and saves the blameless wording', async () => {
    const { page } = ana;
    const section = page.getByRole('region', { name: 'What went poorly', exact: true });
    await section.getByRole('button', { name: 'Edit What went poorly' }).click();
    const text = section.getByRole('textbox', { name: 'What went poorly' });
    await poll(() => page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
    await text.fill('Bob broke the pool settings. It was careless.');
    const findings = section.locator('.blame-findings li');
    await poll(() => findings.count()).toBe(2);
    expect(await section.locator('.blame-findings mark').allTextContents()).toEqual([
      'Bob broke',
      'careless',
    ]);
    expect(await findings.first().textContent()).toMatch(/names a person as the cause.*Try: /);
    await screenshot(page, 'postmortem-lint-light');
    await expectNoSeriousAxeViolations(page, 'postmortem with blame findings');
    await text.fill('The pool change reached production without a load test.');
    await poll(() => findings.count()).toBe(0);
    await section.getByRole('button', { name: 'Save What went poorly' }).click();
    await section.getByText('written by ana', { exact: false }).waitFor();
    await section.getByText('The pool change reached production without a load test.').waitFor();
  });

  it('gives the item an owner, then completes and reopens the postmortem', async () => {
    const { page } = ana;
    const panel = actionItems(page);
    await panel.getByRole('button', { name: 'Edit A1' }).click();
    await panel.getByLabel('Owner').fill('ana');
    await panel.getByLabel('Status').selectOption('in_progress');
    await panel.getByRole('button', { name: 'Save A1' }).click();
    await poll(() => panel.locator('.action-facts').first().textContent()).toContain(
      'in progress detect · p1 · ana',
    );
    await page.getByRole('button', { name: 'Mark the postmortem complete' }).click();
    await poll(() => page.locator('.postmortem-header .badge').textContent()).toBe(
      'postmortem complete',
    );
    await screenshot(page, 'postmortem-light');
    await expectNoSeriousAxeViolations(page, 'completed postmortem');

    await page.getByLabel('Reopen: why?').fill('the load test item needs a second owner');
    await page.getByRole('button', { name: 'Reopen' }).click();
    await poll(() => page.locator('.postmortem-header .badge').textContent()).toBe(
      'postmortem draft',
    );

    await panel.getByRole('button', { name: 'Mark A1 done' }).click();
    await poll(() => panel.locator('.action-facts').first().textContent()).toMatch(/^done /);
    expect(await panel.locator('.overdue-mark').count()).toBe(0);
    expectClean(ana.watch);
  });

  it('reads on a phone in the dark theme', async () => {
    const { page, watch } = await server.open('ana', {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${server.url}/incidents/${key}/postmortem`);
    await page.getByRole('region', { name: 'Stage review' }).locator('canvas').first().waitFor();
    await screenshot(page, 'postmortem-phone-dark');
    await expectNoSeriousAxeViolations(page, 'postmortem (phone, dark)');
    expectClean(watch);
  });

  it('shows a viewer the postmortem and the items without any control that writes', async () => {
    const { page, watch } = await server.open('val');
    await page.goto(`${server.url}/incidents/${key}/postmortem`);
    await page.getByRole('region', { name: 'Stage review' }).waitFor();
    await actionItems(page).getByText('A1', { exact: true }).waitFor();
    for (const name of [/^Edit /, /^Mark /, /^Add/, /^Reopen/]) {
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    }
    await page.goto(`${server.url}/incidents/${key}`);
    await actionItems(page).getByText('A1', { exact: true }).waitFor();
    expect(await actionItems(page).getByRole('button').count()).toBe(0);
    expectClean(watch);
  });
});
