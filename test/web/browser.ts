/**
 * Debian's Chromium driven by playwright-core, for the web app's tests. A
 * missing browser fails the test with how to install it: never a skip.
 * Flags: no network beyond loopback is reachable here, so Chromium's own
 * background traffic (updates, sync, QUIC probes) is turned off.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CALM_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');

export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium is not installed at ${executablePath}; the web app's browser tests need it. Install it with ` +
        '`apt-get install -y --no-install-recommends chromium` (.ci/run does), or set CALM_CHROMIUM to its path.',
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * What went wrong in a page that a test must see: uncaught errors, console
 * errors (a CSP refusal is one) and any dialog (alert() from injected markup).
 */
export interface Watch {
  problems: string[];
  dialogs: string[];
}

export function watchPage(page: Page): Watch {
  const watch: Watch = { problems: [], dialogs: [] };
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return watch;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it stands. It is
 * evaluated through the debugging protocol, which the page's CSP does not
 * govern, so the page keeps its real CSP for everything else.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations: AxeViolation[] = await page.evaluate(`
    axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => String(n.target)),
      })),
    )`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function logIn(context: BrowserContext, url: string, name: string, password: string) {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(url);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  return { page, watch };
}
