/**
 * The web app in Debian's Chromium against a real `calm serve` (SQLite store,
 * loopback port, the built dist/web): two responders run an incident from two
 * browsers, one on a laptop in the light theme, one on a phone in the dark.
 * Every page keeps the server's CSP; any console error, page error or dialog
 * fails the test. Screenshots of each page go to test/web/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { killServers, type ServerProcess, startServer } from '../support/server-process.js';
import { launchChromium, logIn, screenshot, seriousAxeViolations, type Watch } from './browser.js';

const PASSWORD = 'correct horse battery staple';
/** Waits for what another browser or the server does, on a machine that may be busy. */
const poll = <T>(read: () => Promise<T> | T) =>
  expect.poll(read, { timeout: 10_000, interval: 50 });
const XSS = '<img src=x onerror=alert(1)>';

let workspace: ReturnType<typeof makeWorkspace>;
let server: ServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function addUser(name: string, role = 'responder') {
  const env = { ...workspace.env, CALM_HOME: workspace.dir };
  const result = await runCalm(['user', 'add', name, '--role', role], {
    cwd: workspace.dir,
    env,
    input: `${PASSWORD}\n`,
  });
  expect(result.code, result.stderr).toBe(0);
}

beforeAll(async () => {
  workspace = makeWorkspace();
  await addUser('ana');
  await addUser('bob');
  await addUser('val', 'viewer');
  server = await startServer({ ...workspace.env, CALM_HOME: workspace.dir });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await killServers();
  workspace?.cleanup();
});

async function open(options: Parameters<Browser['newContext']>[0], name: string) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return logIn(context, server.url, name, PASSWORD);
}

const entryTexts = (page: Page) => page.locator('.entries .entry-text');

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  expect(await seriousAxeViolations(page), where).toEqual([]);
}

function expectClean(watch: Watch) {
  expect(watch.problems).toEqual([]);
  expect(watch.dialogs).toEqual([]);
}

describe('running an incident in the browser', { timeout: 60_000 }, () => {
  let ana: { page: Page; watch: Watch };
  let bob: { page: Page; watch: Watch };

  it('logs in and shows the empty list', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const login = await context.newPage();
    await login.goto(server.url);
    await login.getByRole('button', { name: 'Log in' }).waitFor();
    const loadedInMs: number = await login.evaluate(
      "performance.getEntriesByType('navigation')[0].loadEventEnd",
    );
    expect(loadedInMs).toBeLessThan(1000);
    await screenshot(login, 'login-light');
    await expectNoSeriousAxeViolations(login, 'login page');
    await login.getByLabel('Name').fill('ana');
    await login.getByLabel('Password').fill('wrong password!');
    await login.getByRole('button', { name: 'Log in' }).click();
    await poll(() => login.getByRole('alert').textContent()).toContain('wrong name or password');
    await context.close();

    ana = await open({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' }, 'ana');
    await ana.page.getByText('No incidents match').waitFor();
    await screenshot(ana.page, 'incidents-empty-light');
  });

  it('declares an incident with the severity assessment', async () => {
    const { page } = ana;
    await page.getByRole('link', { name: 'Declare an incident' }).click();
    await page.getByLabel('What is broken?').fill('Checkout returns 500 for some customers');
    await page.getByLabel('Services').fill('checkout, payments');
    const question = (text: RegExp) => page.getByRole('group', { name: text });
    await question(/customer-facing/)
      .getByLabel('yes', { exact: true })
      .check();
    await question(/Who is affected/)
      .getByLabel('some customers')
      .check();
    await question(/data lost/)
      .getByLabel('no', { exact: true })
      .check();
    await question(/core functionality/)
      .getByLabel('yes', { exact: true })
      .check();
    await question(/workaround/)
      .getByLabel('no', { exact: true })
      .check();
    const suggestion = page.locator('.suggestion');
    await poll(() => suggestion.textContent()).toMatch(/Suggested: SEV\d/);
    const suggested = /Suggested: (SEV\d)/.exec((await suggestion.textContent()) ?? '')?.[1];
    await screenshot(page, 'declare-light');
    await expectNoSeriousAxeViolations(page, 'declare page');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);
    await page.getByRole('heading', { name: /INC-1 Checkout returns 500/ }).waitFor();
    await poll(() => page.locator('.incident-header .badge').allTextContents()).toEqual([
      'triage',
      suggested,
    ]);
    await poll(() => entryTexts(page).allTextContents()).toContainEqual(
      expect.stringMatching(new RegExp(`Severity none → ${suggested}: assessed: `)),
    );
  });

  it('shows what one browser logs in the other live, as text', async () => {
    bob = await open(
      {
        viewport: { width: 390, height: 844 },
        colorScheme: 'dark',
        isMobile: true,
        hasTouch: true,
      },
      'bob',
    );
    await bob.page.getByRole('link', { name: 'INC-1' }).click();
    await bob.page.getByRole('status').filter({ hasText: 'live' }).waitFor();

    const { page } = ana;
    const box = page.getByLabel('Log to the timeline');
    await poll(() => page.evaluate('document.activeElement?.id')).toBe('quick-log-text');
    await box.fill('Error rate on checkout at 40% since 14:02');
    await box.press('Enter');
    await box.fill('a: rolled back checkout to v2.13');
    await box.press('Enter');
    await box.fill(XSS);
    await box.press('Enter');
    for (const viewer of [page, bob.page]) {
      await poll(() => entryTexts(viewer).allTextContents()).toEqual(
        expect.arrayContaining([
          'Error rate on checkout at 40% since 14:02',
          'rolled back checkout to v2.13',
          XSS,
        ]),
      );
      expect(await viewer.locator('.entries img').count()).toBe(0);
      // typed quickly, logged in the order typed (the box queues its writes)
      const texts = await entryTexts(viewer).allTextContents();
      const order = [
        'Error rate on checkout at 40% since 14:02',
        'rolled back checkout to v2.13',
        XSS,
      ];
      expect(order.map((text) => texts.indexOf(text))).toEqual(
        [...order.map((text) => texts.indexOf(text))].sort((a, b) => a - b),
      );
    }
    const action = page.locator('.entry', { hasText: 'rolled back checkout' });
    expect(await action.locator('.entry-kind').textContent()).toBe('action');

    // "l" brings the keyboard back to the quick-log box from anywhere but a field
    await page.getByRole('heading', { name: 'Timeline' }).click();
    await page.keyboard.press('l');
    await poll(() => page.evaluate('document.activeElement?.id')).toBe('quick-log-text');
    expect(await box.inputValue()).toBe('');
  });

  it('proposes a hypothesis and eliminates it with a reason', async () => {
    const { page } = ana;
    await page.getByLabel('New hypothesis').fill('The 14:02 deploy broke the payment client');
    await page.getByRole('button', { name: 'Propose' }).click();
    const proposed = page.getByRole('region', { name: 'proposed' });
    await proposed.getByText('The 14:02 deploy broke the payment client').waitFor();
    await page.getByRole('button', { name: 'Eliminate H1' }).click();
    const reason = page.getByLabel('Eliminate: why?');
    await poll(() => page.evaluate('document.activeElement?.tagName')).toBe('INPUT');
    await reason.fill('the rollback did not change the error rate');
    await reason.press('Enter');
    const eliminated = page.getByRole('region', { name: 'eliminated' });
    await eliminated.getByText('Why: the rollback did not change the error rate').waitFor();
    await bob.page
      .getByRole('region', { name: 'eliminated' })
      .getByText('The 14:02 deploy broke the payment client')
      .waitFor();
    await poll(() => entryTexts(bob.page).allTextContents()).toContain(
      'H1 eliminated: the rollback did not change the error rate',
    );
  });

  it('takes command, assigns roles, records impact and the cause chain', async () => {
    const { page } = ana;
    await page.getByRole('button', { name: 'take command' }).click();
    await page.locator('.facts', { hasText: 'Commander: ana' }).waitFor();
    const roles = page.getByRole('region', { name: 'Roles' });
    await roles.getByLabel('Role').selectOption('communications');
    await roles.getByLabel('Person').fill('bob');
    await roles.getByRole('button', { name: 'Assign' }).click();
    await roles.getByText('Communications: bob').waitFor();

    const impact = page.getByRole('region', { name: 'Impact' });
    await impact.getByLabel('What do people see?').fill('card payments fail at checkout');
    await impact.getByLabel('Who is affected?').selectOption('subset');
    await impact.getByLabel('Workaround?').selectOption('yes');
    await impact.getByRole('button', { name: 'Record impact' }).click();
    await impact.getByText('Affected: some customers').waitFor();

    const cause = page.getByRole('region', { name: 'Cause chain' });
    await cause
      .getByLabel('Add a cause')
      .fill('the payment client timed out after the pool shrank');
    await cause.getByRole('button', { name: 'Add' }).click();
    await cause.getByLabel('Add a cause').fill('the 14:02 config change halved the pool');
    await cause.getByLabel('root cause').check();
    await cause.getByRole('button', { name: 'Add' }).click();
    await cause.getByText('(root cause)').waitFor();

    const other = bob.page;
    await other.locator('.facts', { hasText: 'Commander: ana' }).waitFor();
    await other.getByRole('region', { name: 'Roles' }).getByText('Communications: bob').waitFor();
    await other
      .getByRole('region', { name: 'Impact' })
      .getByText('card payments fail at checkout')
      .waitFor();
    await poll(() =>
      other.getByRole('region', { name: 'Cause chain' }).locator('li').allTextContents(),
    ).toEqual([
      'the payment client timed out after the pool shrank',
      'the 14:02 config change halved the pool (root cause)',
    ]);
  });

  it('posts status updates from the draft and with no new information', async () => {
    const { page } = ana;
    const composer = page.getByRole('region', { name: 'Status update' });
    await composer.getByText('support', { exact: true }).click();
    const text = composer.getByLabel('Update to support');
    await poll(() => text.inputValue()).not.toBe('');
    await text.fill(`${await text.inputValue()}\nWorkaround: retry the payment.`);
    await composer.getByRole('button', { name: 'Post to support' }).click();
    await composer.getByText('Posted to support.').waitFor();
    await composer.getByText('customers', { exact: true }).click();
    await composer.getByRole('button', { name: 'No new information' }).click();
    await composer.getByText('Posted to customers.').waitFor();
    await poll(() => entryTexts(bob.page).allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^To support: [\s\S]*Workaround: retry the payment\.$/),
        expect.stringMatching(/^To customers: No new information/),
      ]),
    );
    await poll(() => page.locator('.due li').allTextContents()).toContainEqual(
      expect.stringMatching(/^support in \d+m \d\ds$/),
    );
    await screenshot(page, 'incident-light');
    await screenshot(bob.page, 'incident-phone-dark');
    await expectNoSeriousAxeViolations(page, 'incident page (light)');
    await expectNoSeriousAxeViolations(bob.page, 'incident page (phone, dark)');
  });

  it('resolves, and the other browser sees it', async () => {
    await ana.page.getByRole('button', { name: 'Resolve' }).click();
    for (const viewer of [ana.page, bob.page]) {
      await viewer.locator('.incident-header .badge', { hasText: 'resolved' }).waitFor();
      await poll(() => entryTexts(viewer).allTextContents()).toContain('Status triage → resolved');
    }
    await ana.page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await ana.page.getByLabel('Status').selectOption('any');
    await ana.page.getByRole('link', { name: 'INC-1' }).waitFor();
    await ana.page.getByLabel('Declared').selectOption('24h');
    await ana.page.getByLabel('Search').fill('checkout');
    await ana.page.getByRole('button', { name: 'Filter' }).click();
    await ana.page.waitForURL(/within=24h/);
    await ana.page.getByRole('link', { name: 'INC-1' }).waitFor();
    await screenshot(ana.page, 'incidents-light');
    await ana.page.getByLabel('Search').fill('no such words');
    await ana.page.getByRole('button', { name: 'Filter' }).click();
    await ana.page.getByText('No incidents match').waitFor();
    await bob.page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await bob.page.getByLabel('Status').selectOption('resolved');
    await bob.page.getByRole('link', { name: 'INC-1' }).waitFor();
    await screenshot(bob.page, 'incidents-phone-dark');
    await expectNoSeriousAxeViolations(bob.page, 'incidents (phone, dark)');

    // the theme follows the system until chosen: system (dark here) -> light -> dark -> system
    const theme = () => bob.page.evaluate('document.documentElement.dataset.theme ?? "system"');
    const background = () =>
      bob.page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>;
    const dark = await background();
    await bob.page.getByRole('button', { name: 'System theme' }).click();
    expect(await theme()).toBe('light');
    expect(await background()).not.toBe(dark);
    await screenshot(bob.page, 'incidents-phone-light');
    await bob.page.getByRole('button', { name: 'Light theme' }).click();
    expect(await theme()).toBe('dark');
    expect(await background()).toBe(dark);
    await bob.page.reload();
    await bob.page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await theme()).toBe('system');
    expectClean(ana.watch);
    expectClean(bob.watch);
  });

  it('shows a viewer the incident live, without the controls that write', async () => {
    const val = await open({ viewport: { width: 1280, height: 860 } }, 'val');
    await val.page.getByLabel('Status').selectOption('any');
    await val.page.getByRole('link', { name: 'INC-1' }).click();
    await val.page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    await poll(() => entryTexts(val.page).count()).toBeGreaterThan(5);
    for (const control of ['Resolve', 'Propose', 'Log note', 'Assign']) {
      expect(await val.page.getByRole('button', { name: control }).count(), control).toBe(0);
    }
    expect(await val.page.getByRole('link', { name: 'Declare' }).count()).toBe(0);
    expectClean(val.watch);
  });
});
