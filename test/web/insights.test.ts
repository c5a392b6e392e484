/**
 * Insights and action items across incidents in the browser: counts by
 * severity, service and cause as charts with their figures, time to detect /
 * acknowledge / resolve by month, postmortems owed, the incidents that
 * happened before, a period that leaves everything out; and the team's
 * action items, overdue first, filtered.
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

const MINUTE = 60_000;
let server: WebServer;
const keys: string[] = [];

/** A day relative to today in UTC, as YYYY-MM-DD. */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function incident(
  title: string,
  body: Record<string, unknown>,
  writes: [string, unknown][],
): Promise<string> {
  const declared = await server.api('ana', 'POST', '/api/incidents', { title, ...body });
  expect(declared.status, JSON.stringify(declared.body)).toBe(201);
  const key: string = declared.body.incident.key;
  for (const [path, write] of writes) {
    const answer = await server.api('ana', 'POST', `/api/incidents/${key}${path}`, write);
    expect(answer.status, `${path} ${JSON.stringify(answer.body)}`).toBe(201);
  }
  keys.push(key);
  return key;
}

beforeAll(async () => {
  server = await startWebServer({ ana: 'responder' });
  const now = Date.now();
  const badConfig = { text: 'a config change halved the pool', categories: ['bad-configuration'] };
  await incident(
    'Checkout 500s',
    {
      services: ['checkout'],
      severity: 'SEV2',
      impactStartedAt: now - 60 * MINUTE,
      detectedAt: now - 50 * MINUTE,
    },
    [
      ['/roles', { role: 'commander', person: 'ana' }],
      ['/cause', { ...badConfig, root: true }],
      ['/status', { status: 'resolved' }],
    ],
  );
  await incident(
    'Checkout slow again',
    { services: ['checkout', 'payments'], severity: 'SEV3', detectedAt: now - 20 * MINUTE },
    [
      ['/roles', { role: 'commander', person: 'ana' }],
      ['/cause', { ...badConfig, root: true }],
      ['/action-items', { title: 'Validate pool settings in CI', due: day(-3) }],
      ['/action-items', { title: 'Page on pool saturation', owner: 'bob', due: day(10) }],
      ['/status', { status: 'resolved' }],
    ],
  );
  await incident('Search results empty', { services: ['search'], severity: 'SEV2' }, []);
}, 60_000);

afterAll(() => server?.close());

it('shows insights across incidents, with charts and their figures', {
  timeout: 60_000,
}, async () => {
  const { page, watch } = await server.open('ana');
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
  const facts = page.locator('.insight-facts');
  await poll(() => facts.locator('p').first().textContent()).toBe('3 incidents');
  expect(await facts.textContent()).toContain('2 open action items on 1 incident');
  expect(await facts.textContent()).toContain(`1 postmortem owed: ${keys[0]}`);

  const figures = (title: string) =>
    page.getByRole('region', { name: title }).locator('.figures li').allTextContents();
  expect(await figures('By severity')).toEqual(['SEV2 2', 'SEV3 1']);
  expect(await figures('By service')).toEqual(
    expect.arrayContaining(['checkout 2', 'payments 1', 'search 1']),
  );
  expect(await figures('By cause category')).toEqual(['Bad configuration 2']);
  // each count and the monthly times as uPlot charts
  await poll(() => page.locator('.review-chart canvas').count()).toBe(4);
  const monthly = page.getByRole('region', { name: 'Time to detect, acknowledge and resolve' });
  const month = new Date().toISOString().slice(0, 7);
  const row = monthly.getByRole('row', { name: new RegExp(`^${month}`) });
  expect(await row.locator('td').first().textContent()).toBe('3');
  // detect: INC-1 only (impact 60m before, detected 50m before)
  expect(await row.locator('td').nth(1).textContent()).toBe('10m 00s (10m 00s, n=1)');

  const recurring = page.getByRole('region', { name: 'This happened before' });
  await poll(() => recurring.locator('.recurring > li').first().textContent()).toBe(
    `${keys[0]} → ${keys[1]}Bad configuration on checkout`,
  );
  await screenshot(page, 'insights-light');
  // and the later incident says so on its page
  await page.goto(`${server.url}/incidents/${keys[1]}`);
  await poll(() =>
    page.getByRole('complementary', { name: 'This happened before' }).textContent(),
  ).toBe(`This happened before: ${keys[0]} (Bad configuration on checkout)`);
  await page.goBack();
  await expectNoSeriousAxeViolations(page, 'insights');

  // a period with no incident in it
  await page.getByLabel('Declared from').fill(day(1));
  await page.waitForURL(new RegExp(`/insights\\?from=${day(1)}`));
  await poll(() => facts.locator('p').first().textContent()).toBe('0 incidents');
  await page.getByLabel('Declared from').fill(day(-1));
  await page.getByLabel('to (included, UTC)').fill(day(0));
  await poll(() => facts.locator('p').first().textContent()).toBe('3 incidents');
  expectClean(watch);
});

it('lists the action items across incidents, overdue first, and filters them', {
  timeout: 60_000,
}, async () => {
  const { page, watch } = await server.open('ana', {
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
    isMobile: true,
    hasTouch: true,
  });
  await page.getByRole('link', { name: 'Action items' }).click();
  const items = page.locator('.action-item');
  await poll(() => items.locator('.action-title').allTextContents()).toEqual([
    `${keys[1]} A1 Validate pool settings in CI (Checkout slow again)`,
    `${keys[1]} A2 Page on pool saturation (Checkout slow again)`,
  ]);
  expect(await items.first().getAttribute('class')).toContain('overdue');
  expect(await items.first().locator('.action-facts').textContent()).toContain('no owner');
  await screenshot(page, 'action-items-phone-dark');
  await expectNoSeriousAxeViolations(page, 'action items (phone, dark)');

  await page.getByLabel('overdue only').check();
  await poll(() => items.count()).toBe(1);
  await page.getByLabel('overdue only').uncheck();
  await page.getByLabel('Owner').fill('bob');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/owner=bob/);
  await poll(() => items.locator('.action-title').allTextContents()).toEqual([
    `${keys[1]} A2 Page on pool saturation (Checkout slow again)`,
  ]);
  await page.goto(`${server.url}/insights`);
  await page.locator('.review-chart canvas').first().waitFor();
  await screenshot(page, 'insights-phone-dark');
  await expectNoSeriousAxeViolations(page, 'insights (phone, dark)');
  expectClean(watch);
});
