/**
 * The Evidence page in Debian's Chromium against a real `calm serve`: a
 * responder uploads a log with a known onset, its deploy records and a
 * crontab; the report renders with uPlot canvases, the onset to the second,
 * the suspect deploy, the hosts and the input contrast; text from the log
 * (markup included) shows as text. The saved analysis opens again after a
 * reload and for a viewer on a phone in the dark theme, without the upload
 * form. axe finds no serious violation; screenshots go to test/web/screenshots/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVIDENCE_CRONTAB,
  EVIDENCE_ONSET,
  evidenceChanges,
  evidenceLog,
} from '../support/evidence-files.js';
import { screenshot, seriousAxeViolations, type Watch } from './browser.js';
import { type OpenPage, poll, startWebServer, type WebServer } from './web-server.js';

const XSS = '<img src=x onerror=alert(1)>';

let server: WebServer;
let dir: string;
let key: string;

beforeAll(async () => {
  server = await startWebServer({ ana: 'responder', val: 'viewer' });
  const declared = await server.api('ana', 'POST', '/api/incidents', { title: 'Payments failing' });
  key = declared.body.incident.key;
  dir = mkdtempSync(join(tmpdir(), 'calm-evidence-web-'));
  // one error line whose message is markup: it must show as these characters
  const marked = JSON.stringify({
    level: 50,
    time: EVIDENCE_ONSET + 600_000,
    hostname: 'web-1',
    msg: `render failed ${XSS}`,
  });
  writeFileSync(join(dir, 'app.log'), `${evidenceLog()}${marked}\n`);
  writeFileSync(join(dir, 'deploys.jsonl'), evidenceChanges());
  writeFileSync(join(dir, 'crontab'), EVIDENCE_CRONTAB);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectClean(watch: Watch) {
  expect(watch.problems).toEqual([]);
  expect(watch.dialogs).toEqual([]);
}

describe('the Evidence page', { timeout: 90_000 }, () => {
  let ana: OpenPage;

  it('analyzes an uploaded log and shows the report with its charts', async () => {
    ana = await server.open('ana', {
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      timezoneId: 'UTC',
    });
    const { page, watch } = ana;
    await page.goto(`${server.url}/incidents/${key}`);
    await page.getByRole('link', { name: 'Evidence (log analyses)' }).click();
    await page.getByRole('heading', { name: 'Evidence', exact: true }).waitFor();
    await page.getByText('No analysis yet').waitFor();
    await page.getByRole('button', { name: 'Analyze' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe(
      'Choose at least one log file, or a saved report.',
    );
    await page.getByLabel('Log files').setInputFiles(join(dir, 'app.log'));
    await page.getByText('More evidence (optional)').click();
    await page.getByLabel('Deploys and changes').setInputFiles(join(dir, 'deploys.jsonl'));
    await page.getByLabel('Crontabs').setInputFiles(join(dir, 'crontab'));
    await page.getByLabel('Time zone of stamps without one').fill('UTC');
    await page.getByRole('button', { name: 'Analyze' }).click();

    await page.getByRole('heading', { name: 'Clues' }).waitFor({ timeout: 30_000 });
    await poll(() => page.url()).toMatch(/\/evidence\?analysis=1$/);
    await expect(page.locator('.onset').textContent()).resolves.toMatch(
      /Onset: Mar 14, 2026, 09:00:0\d UTC/,
    );
    // uPlot draws on canvas: the rate chart, the status and host bars, the input contrasts
    await poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(4);
    await page
      .getByRole('img', { name: /^Share of failures against share of successes: .+ against / })
      .waitFor();
    await page
      .getByRole('img', {
        name: /^Error rate over time, \d+ markers: onset onset, change deploy v2\.0/,
      })
      .waitFor();
    // the pointer over the chart reads out its bucket in the legend
    const rate = page.locator('.chart').first();
    const box = await rate.boundingBox();
    if (!box) throw new Error('the rate chart has no box');
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.4);
    await poll(() => rate.locator('.u-legend').textContent()).toMatch(/error rate\s*\d+\.\d%/);
    const changes = page.getByRole('region', { name: 'What changed around that time?' });
    await expect(changes.getByRole('row').nth(1).textContent()).resolves.toMatch(
      /deploy payments v2\.0.*3m 0\ds before the onset.*likely/,
    );
    const hosts = page.getByRole('region', {
      name: 'Are errors coming from specific servers or all?',
    });
    await hosts.getByText('Errors concentrate on web-2', { exact: false }).waitFor();
    const inputs = page.getByRole('region', {
      name: 'Which inputs do the failing requests have in common?',
    });
    // the top contrast: failure share, success share, lift, support
    const top = await inputs.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(top).toEqual([
      expect.stringContaining('`amount` with a decimal point'),
      expect.stringMatching(/^9\d%$/),
      expect.stringMatching(/^1\d%$/),
      expect.stringMatching(/^×\d\.\d$/),
      expect.stringMatching(/^\d{3}$/),
    ]);
    // the report's sections in the checklist's order
    const groups = await page.locator('.report-group > h2').allTextContents();
    expect(groups).toEqual(['Clues', 'Anomalies', 'Patterns']);
    // markup from the log is text, never HTML
    await page.getByText(`render failed ${XSS}`).first().waitFor();
    expect(await page.locator('.report img').count()).toBe(0);
    // the answers were logged on the incident as findings naming the analysis
    const timeline = await server.api('ana', 'GET', `/api/incidents/${key}/timeline?limit=100`);
    expect(
      timeline.body.items.filter(
        (e: { body: { kind: string; source?: string } }) =>
          e.body.kind === 'finding' &&
          e.body.source?.startsWith('calm analyze, analysis 1 (app.log)'),
      ).length,
    ).toBeGreaterThanOrEqual(12);

    await screenshot(page, 'evidence-light');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // the theme toggle redraws the charts in the new theme's colours
    await page.evaluate(
      "document.querySelectorAll('.chart canvas').forEach((c) => c.dataset.drawn = 'before')",
    );
    await page.getByRole('button', { name: 'System theme' }).click();
    await page.getByRole('button', { name: 'Light theme' }).click();
    await page.getByRole('button', { name: 'Dark theme' }).waitFor();
    await poll(() =>
      page.evaluate(
        "[...document.querySelectorAll('.chart canvas')].filter((c) => c.dataset.drawn).length",
      ),
    ).toBe(0);
    await screenshot(page, 'evidence-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // keyboard: from the back link, Tab reaches the file inputs and Analyze in order
    await page.getByRole('link', { name: /^← INC-1/ }).focus();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate('document.activeElement.name || document.activeElement.textContent'),
      );
    }
    expect(order).toEqual(['logs', 'More evidence (optional)', 'changes']);
    expectClean(watch);
  });

  it('opens the saved analysis again after a reload', async () => {
    const { page, watch } = ana;
    await page.reload();
    await page.getByRole('heading', { name: 'Clues' }).waitFor();
    expect(await page.getByRole('link', { name: /app\.log #1/ }).getAttribute('aria-current')).toBe(
      'page',
    );
    await poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    // a report calm analyze wrote, uploaded instead of logs, becomes analysis 2
    const saved = await server.api('ana', 'GET', `/api/incidents/${key}/analyses/1`);
    writeFileSync(join(dir, 'report.json'), JSON.stringify(saved.body.report));
    await page.getByText('More evidence (optional)').click();
    await page.getByLabel('A saved report').setInputFiles(join(dir, 'report.json'));
    await page.getByRole('button', { name: 'Analyze' }).click();
    await poll(() => page.url()).toMatch(/\/evidence\?analysis=2$/);
    await page.getByRole('heading', { name: /^Analysis #2: app\.log/ }).waitFor();
    await poll(() => page.locator('.saved-analyses li').count()).toBe(2);
    // a log without times: no chart over time, and the page says so
    await page
      .getByLabel('Log files')
      .setInputFiles(join(import.meta.dirname, '..', 'fixtures', 'logs', 'text.log'));
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page.getByRole('heading', { name: /^Analysis #3: text\.log/ }).waitFor();
    await page.getByText('The logs carry no times: no chart over time.').waitFor();
    await page.goto(`${server.url}/incidents/${key}/evidence?analysis=2`);
    await page.getByRole('heading', { name: /^Analysis #2: app\.log/ }).waitFor();
    // without ?analysis the latest is shown
    await page.goto(`${server.url}/incidents/${key}/evidence`);
    await page.getByRole('heading', { name: /^Analysis #3: text\.log/ }).waitFor();
    expect(await page.locator('.report .ev-question').count()).toBeGreaterThanOrEqual(12);
    expectClean(watch);
  });

  it('shows a viewer the report on a phone in the dark theme, without the upload form, and new analyses live', async () => {
    const { page, watch } = await server.open('val', {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      timezoneId: 'UTC',
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${server.url}/incidents/${key}/evidence?analysis=1`);
    await page.getByRole('heading', { name: 'Clues' }).waitFor();
    await poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('button', { name: 'Analyze' }).count()).toBe(0);
    // an analysis another responder saves joins the list without a reload
    await poll(() => page.locator('.saved-analyses li').count()).toBe(3);
    await ana.page.getByText('More evidence (optional)').click();
    await ana.page.getByLabel('A saved report').setInputFiles(join(dir, 'report.json'));
    await ana.page.getByRole('button', { name: 'Analyze' }).click();
    await poll(() => page.locator('.saved-analyses li').count()).toBe(4);
    // nothing wider than the phone's screen
    const overflow: number = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'evidence-phone-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expectClean(watch);
  });
});
