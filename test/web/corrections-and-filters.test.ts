/**
 * Correcting the log from the browser (amend with new text, strike, always
 * with a reason; only what a person wrote), the cause chain's categories, and
 * the incident list filtered on a free range of days. Two responders (one on
 * a phone, dark) and a viewer, against a real `calm serve`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import {
  expectClean,
  expectNoSeriousAxeViolations,
  type OpenPage,
  poll,
  startWebServer,
  type WebServer,
} from './web-server.js';

const XSS = '<img src=x onerror=alert(1)>';
const ZONE = 'Europe/Berlin';

let server: WebServer;
let key: string;
const seqs: Record<string, number> = {};

beforeAll(async () => {
  server = await startWebServer({ ana: 'responder', bob: 'responder', val: 'viewer' });
  const declared = await server.api('ana', 'POST', '/api/incidents', {
    title: 'Payments slow for card customers',
    services: ['payments'],
  });
  expect(declared.status).toBe(201);
  key = declared.body.incident.key;
  const log = async (name: string, path: string, body: unknown) => {
    const answer = await server.api('ana', 'POST', `/api/incidents/${key}${path}`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    seqs[name] = answer.body.entries[0].seq;
  };
  await log('note', '/timeline', { kind: 'note', text: 'db-2 CPU at 95%' });
  await log('action', '/timeline', { kind: 'action', text: 'restarted the payments workers' });
  await log('impact', '/impact', { impact: { affected: 'subset' } });
  await log('status', '/status', { status: 'investigating' });
}, 60_000);

afterAll(() => server?.close());

const entry = (page: Page, seq: number) => page.locator(`.entry[data-seq="${seq}"]`);
const correct = (page: Page, seq: number) =>
  page.getByRole('button', { name: `Correct entry #${seq}`, exact: true });

describe('correcting timeline entries', { timeout: 60_000 }, () => {
  let ana: OpenPage;
  let bob: OpenPage;

  it('amends an entry with a reason; both browsers show the new text, marked amended', async () => {
    ana = await server.open('ana');
    bob = await server.open('bob', {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    for (const { page } of [ana, bob]) {
      await page.goto(`${server.url}/incidents/${key}`);
      await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    }
    const { page } = ana;
    // only what a person wrote can be corrected: not the declaration, not a status change
    await entry(page, seqs.status as number).waitFor();
    expect(await correct(page, 1).count()).toBe(0);
    expect(await correct(page, seqs.status as number).count()).toBe(0);

    await correct(page, seqs.note as number).click();
    const form = page.getByRole('region', { name: `Correct entry #${seqs.note}` });
    await poll(() => form.locator('.quoted').textContent()).toContain('note · ana');
    expect(await form.locator('.quoted').textContent()).toContain('db-2 CPU at 95%');
    // the keyboard lands on the chosen action
    await poll(() => page.evaluate('document.activeElement?.value')).toBe('amend');
    await screenshot(page, 'correction-form-light');
    await expectNoSeriousAxeViolations(page, 'correction form');
    expect(await form.getByLabel('New text').inputValue()).toBe('db-2 CPU at 95%');
    await form.getByLabel('New text').fill(`db-3 CPU at 95% ${XSS}`);
    await form.getByLabel('Reason for the correction').fill('it was db-3, not db-2');
    await form.getByRole('button', { name: `Amend #${seqs.note}` }).click();
    await form.waitFor({ state: 'detached' });

    for (const viewer of [page, bob.page]) {
      const amended = entry(viewer, seqs.note as number);
      await poll(() => amended.locator('.entry-text').textContent()).toBe(
        `db-3 CPU at 95% ${XSS} amended`,
      );
      await poll(() => viewer.locator('.entry-text').allTextContents()).toContain(
        `Amended #${seqs.note}: it was db-3, not db-2 — now: db-3 CPU at 95% ${XSS}`,
      );
      expect(await viewer.locator('.entries img').count()).toBe(0);
    }
    // still correctable after an amendment
    expect(await correct(page, seqs.note as number).count()).toBe(1);
  });

  it('strikes an entry; it shows struck everywhere and offers no further correction', async () => {
    const { page } = ana;
    await correct(page, seqs.action as number).click();
    const form = page.getByRole('region', { name: `Correct entry #${seqs.action}` });
    await form.getByLabel('strike').check();
    expect(await form.getByLabel('New text').count()).toBe(0);
    // the reason is required: nothing is sent without it
    await form.getByRole('button', { name: `Strike #${seqs.action}` }).click();
    expect(await form.isVisible()).toBe(true);
    await form.getByLabel('Reason for the correction').fill('logged on the wrong incident');
    await form.getByRole('button', { name: `Strike #${seqs.action}` }).click();
    await form.waitFor({ state: 'detached' });
    for (const viewer of [page, bob.page]) {
      const struck = entry(viewer, seqs.action as number);
      await poll(() => struck.getAttribute('class')).toContain('struck');
      expect(
        await viewer.evaluate(
          `getComputedStyle(document.querySelector('.entry[data-seq="${seqs.action}"] .entry-text')).textDecorationLine`,
        ),
      ).toBe('line-through');
      await poll(() => viewer.locator('.entry-text').allTextContents()).toContain(
        `Struck #${seqs.action}: logged on the wrong incident`,
      );
    }
    expect(await correct(page, seqs.action as number).count()).toBe(0);
    await screenshot(page, 'incident-corrected-light');
    await screenshot(bob.page, 'incident-corrected-phone-dark');
    await expectNoSeriousAxeViolations(bob.page, 'corrected timeline (phone, dark)');
  });

  it('offers only a strike for an impact entry, and Escape gives the keyboard back', async () => {
    const { page } = ana;
    const button = correct(page, seqs.impact as number);
    await button.focus();
    await button.press('Enter');
    const form = page.getByRole('region', { name: `Correct entry #${seqs.impact}` });
    expect(await form.getByLabel('amend').isDisabled()).toBe(true);
    expect(await form.getByLabel('strike').isChecked()).toBe(true);
    await form.getByLabel('Reason for the correction').press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(
      `Correct entry #${seqs.impact}`,
    );
  });

  it('shows a viewer the corrections without any way to make one', async () => {
    const val = await server.open('val');
    await val.page.goto(`${server.url}/incidents/${key}`);
    await entry(val.page, seqs.action as number)
      .and(val.page.locator('.struck'))
      .waitFor();
    expect(await val.page.getByRole('button', { name: /^Correct entry/ }).count()).toBe(0);
    expectClean(val.watch);
    expectClean(ana.watch);
    expectClean(bob.watch);
  });
});

describe('cause categories', { timeout: 60_000 }, () => {
  it('adds a cause with categories and shows them', async () => {
    const { page, watch } = await server.open('ana');
    await page.goto(`${server.url}/incidents/${key}`);
    const cause = page.getByRole('region', { name: 'Cause chain' });
    await cause.getByLabel('Add a cause').fill('a config change halved the connection pool');
    await cause.getByLabel('root cause').check();
    await cause.getByText('Categories', { exact: true }).click();
    await cause.getByLabel('Bad configuration').check();
    await cause.getByLabel('Hidden dependency').check();
    // in the list's order, not the order chosen
    await cause
      .getByText('Categories: Hidden dependency, Bad configuration', { exact: true })
      .waitFor();
    await expectNoSeriousAxeViolations(page, 'cause chain with the categories open');
    await cause.getByRole('button', { name: 'Add' }).click();
    const link = cause.locator('.cause-chain > li');
    await poll(() => link.getByRole('list', { name: 'Categories' }).textContent()).toBe(
      'Hidden dependencyBad configuration',
    );
    await screenshot(page, 'cause-categories-light');
    expect(await link.textContent()).toContain('(root cause)');
    // the form starts over, with no category chosen
    expect(await cause.getByText('Categories', { exact: true }).count()).toBe(1);
    const state = await server.api('ana', 'GET', `/api/incidents/${key}`);
    expect(state.body.causeChain).toEqual([
      expect.objectContaining({
        text: 'a config change halved the connection pool',
        categories: ['hidden-dependency', 'bad-configuration'],
        root: true,
      }),
    ]);
    expectClean(watch);
  });
});

/** The day `offset` days from today in ZONE, as YYYY-MM-DD, and its first instant there. */
function zonedDay(offset: number): { date: string; start: number } {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(
    Date.now() + offset * 86_400_000,
  );
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const noon = Date.UTC(y, m - 1, d, 12);
  const zone = new Intl.DateTimeFormat('en', { timeZone: ZONE, timeZoneName: 'longOffset' })
    .formatToParts(noon)
    .find((part) => part.type === 'timeZoneName')?.value;
  const [, sign, hh, mm] = /GMT([+-])(\d\d):(\d\d)/.exec(zone ?? '') ?? ['', '+', '00', '00'];
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  return { date, start: Date.UTC(y, m - 1, d) - offsetMs };
}

describe('the incident list between two days', { timeout: 60_000 }, () => {
  it('filters on the days chosen, each a whole local day', async () => {
    const { page, watch } = await server.open('ana', {
      viewport: { width: 1280, height: 860 },
      timezoneId: ZONE,
    });
    const yesterday = zonedDay(-1);
    const today = zonedDay(0);
    const tomorrow = zonedDay(1);
    await page.getByLabel('Status').selectOption('any');
    await page.getByRole('link', { name: key }).waitFor();
    await page.getByLabel('Declared').selectOption('range');
    const from = page.getByLabel('From');
    const to = page.getByLabel('To (included)');
    await from.fill(yesterday.date);
    const listed = page.waitForRequest(
      (request) => request.url().includes('/api/incidents?') && request.url().includes('until'),
    );
    await to.fill(yesterday.date);
    const query = new URL((await listed).url()).searchParams;
    expect(Number(query.get('since'))).toBe(yesterday.start);
    expect(Number(query.get('until'))).toBe(today.start);
    await page.getByText('No incidents match').waitFor();
    await page.waitForURL(new RegExp(`within=range&from=${yesterday.date}&to=${yesterday.date}`));

    await to.fill(today.date);
    await page.getByRole('link', { name: key }).waitFor();
    expect(page.url()).toContain(`to=${today.date}`);
    await screenshot(page, 'incidents-date-range-light');
    await expectNoSeriousAxeViolations(page, 'incidents between two days');

    // the address keeps the range: a reload shows the same list
    await page.reload();
    expect(await page.getByLabel('From').inputValue()).toBe(yesterday.date);
    await page.getByRole('link', { name: key }).waitFor();

    // a range that ends before it starts says so
    await page.getByLabel('From').fill(tomorrow.date);
    await page.getByRole('alert').filter({ hasText: 'From is after To' }).waitFor();

    // another period drops the dates from the address
    await page.getByLabel('Declared').selectOption('7d');
    await page.waitForURL((url) => !url.search.includes('from='));
    await page.getByRole('link', { name: key }).waitFor();
    expectClean(watch);
  });
});
