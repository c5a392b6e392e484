/**
 * The status page admin in the browser: an admin adds, renames and sets the
 * state of components (with the history of states), gives an incident its
 * public title and posts public updates, and the public /status page shows
 * them; a responder has no way in.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import {
  expectClean,
  expectNoSeriousAxeViolations,
  poll,
  startWebServer,
  type WebServer,
} from './web-server.js';

const XSS = '<img src=x onerror=alert(1)>';

let server: WebServer;
let key: string;

beforeAll(async () => {
  server = await startWebServer({ ada: 'admin', ana: 'responder' });
  const declared = await server.api('ana', 'POST', '/api/incidents', {
    title: 'db-7 pool exhausted after the 14:02 deploy',
    services: ['payments'],
  });
  expect(declared.status).toBe(201);
  key = declared.body.incident.key;
}, 60_000);

afterAll(() => server?.close());

it('is for admins only', { timeout: 60_000 }, async () => {
  const { page, watch } = await server.open('ana');
  expect(await page.getByRole('link', { name: 'Status page' }).count()).toBe(0);
  await page.goto(`${server.url}/status-page`);
  await page.getByText('Only admins manage the status page').waitFor();
  expect(await page.getByRole('button', { name: 'Add component' }).count()).toBe(0);
  expectClean(watch);
});

it('manages components and public updates, and the public page shows them', {
  timeout: 90_000,
}, async () => {
  const { page, watch } = await server.open('ada');
  await page.getByRole('link', { name: 'Status page' }).click();
  await page.getByRole('heading', { name: 'Status page', level: 1 }).waitFor();
  await page.getByText('No components yet').waitFor();

  const add = page.getByRole('form', { name: 'Add a component' });
  await add.getByLabel('Component name').fill('Checkout');
  await add.getByLabel('Services it stands for').fill('checkout, payments');
  await add.getByRole('button', { name: 'Add component' }).click();
  const checkout = page.getByRole('region', { name: 'Checkout', exact: true });
  await checkout.getByText('Services: checkout, payments').waitFor();
  await add.getByLabel('Component name').fill('API');
  await add.getByLabel('Starting state').selectOption('under_maintenance');
  await add.getByRole('button', { name: 'Add component' }).click();
  const api = page.getByRole('region', { name: 'API', exact: true });
  await api.locator('.badge', { hasText: 'Under maintenance' }).first().waitFor();

  // rename, describe
  await api.getByRole('button', { name: 'Rename or edit' }).click();
  await api.getByLabel('Name').fill('Public API');
  await api.getByLabel('Description').fill('REST and webhooks');
  await api.getByRole('button', { name: 'Save API' }).click();
  const publicApi = page.getByRole('region', { name: 'Public API', exact: true });
  await publicApi.getByText('REST and webhooks', { exact: false }).waitFor();

  // a state, with why, and its history
  await checkout.getByLabel('State of Checkout').selectOption('partial_outage');
  await checkout.getByLabel('Why (kept internal)').fill('card payments failing for some');
  await checkout.getByRole('button', { name: 'Set state' }).click();
  await checkout.locator('.badge', { hasText: 'Partial outage' }).first().waitFor();
  await checkout.getByText('State history (90 days)').click();
  await poll(() => checkout.locator('.state-history li').allTextContents()).toEqual([
    expect.stringMatching(/Partial outage by ada — card payments failing for some$/),
    expect.stringMatching(/Operational by ada — created$/),
  ]);
  await poll(() => page.locator('p', { hasText: 'The public page says:' }).textContent()).toBe(
    'The public page says: Partial outage',
  );

  // the incident is not public until it has a public title or a customers update
  const incident = page.getByRole('region', { name: new RegExp(`^${key} `) });
  await incident.getByText('Not public yet; would show as').waitFor();
  await incident.getByText('Degraded service on Checkout').waitFor();
  await incident.getByLabel(`Public title for ${key}`).fill('Card payments failing');
  await incident.getByRole('button', { name: 'Set title' }).click();
  await incident.getByText('Public as').waitFor();
  await incident.getByLabel(`Public update on ${key}`).fill(`We are looking into it. ${XSS}`);
  await incident.getByRole('button', { name: 'Post publicly' }).click();
  const updates = incident.getByRole('list', { name: `Public updates on ${key}` });
  await poll(() => updates.locator('p').allTextContents()).toEqual([
    `We are looking into it. ${XSS}`,
  ]);
  expect(await page.locator('main img').count()).toBe(0);
  // a draft from the log, for the next one
  await incident.getByRole('button', { name: 'Draft from the log' }).click();
  await poll(() => incident.getByLabel(`Public update on ${key}`).inputValue()).not.toBe('');
  await screenshot(page, 'status-admin-light');
  await expectNoSeriousAxeViolations(page, 'status page admin');

  // what the public sees: the public title and update, never the internal title
  const link = page.getByRole('link', { name: /Open the public page/ });
  expect(await link.getAttribute('href')).toBe('/status');
  const publicPage = await page.context().newPage();
  await publicPage.goto(`${server.url}/status`);
  const body = (await publicPage.locator('body').textContent()) ?? '';
  expect(body).toContain('Card payments failing');
  expect(body).toContain(`We are looking into it. ${XSS}`);
  expect(body).toContain('Public API');
  expect(body).not.toContain('db-7');
  expectClean(watch);
});

it('reads on a phone in the dark theme', { timeout: 60_000 }, async () => {
  const { page, watch } = await server.open('ada', {
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
    isMobile: true,
    hasTouch: true,
  });
  await page.goto(`${server.url}/status-page`);
  await page.getByRole('region', { name: 'Checkout', exact: true }).waitFor();
  await page.getByText('Public as').waitFor();
  await screenshot(page, 'status-admin-phone-dark');
  await expectNoSeriousAxeViolations(page, 'status page admin (phone, dark)');
  expectClean(watch);
});
