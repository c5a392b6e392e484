/**
 * Real user agents with their share of a shop's traffic, and what
 * ua-parser-js 1.x reads from each (a test holds the two together), so that a
 * scenario can plant a failure on "Mobile Safari 17 on iOS" and the truth
 * names it the way a maintained parser would.
 */

export interface Agent {
  ua: string;
  /** ua-parser-js browser.name and browser.major. */
  browser: string;
  major: number;
  /** ua-parser-js os.name. */
  os: string;
  /** Relative share of human traffic. */
  weight: number;
}

const WEBKIT = 'AppleWebKit/605.1.15 (KHTML, like Gecko)';
const BLINK = 'AppleWebKit/537.36 (KHTML, like Gecko)';

export const HUMAN_AGENTS: readonly Agent[] = [
  {
    ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${BLINK} Chrome/124.0.0.0 Safari/537.36`,
    browser: 'Chrome',
    major: 124,
    os: 'Windows',
    weight: 18,
  },
  {
    ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${BLINK} Chrome/125.0.0.0 Safari/537.36`,
    browser: 'Chrome',
    major: 125,
    os: 'Windows',
    weight: 8,
  },
  {
    ua: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${BLINK} Chrome/124.0.0.0 Safari/537.36`,
    browser: 'Chrome',
    major: 124,
    os: 'Mac OS',
    weight: 7,
  },
  {
    ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${BLINK} Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80`,
    browser: 'Edge',
    major: 124,
    os: 'Windows',
    weight: 6,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
    browser: 'Firefox',
    major: 126,
    os: 'Windows',
    weight: 4,
  },
  {
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    browser: 'Firefox',
    major: 125,
    os: 'Linux',
    weight: 1.5,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0',
    browser: 'Firefox',
    major: 126,
    os: 'Mac OS',
    weight: 1.5,
  },
  {
    ua: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${WEBKIT} Version/17.4.1 Safari/605.1.15`,
    browser: 'Safari',
    major: 17,
    os: 'Mac OS',
    weight: 6,
  },
  {
    ua: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${WEBKIT} Version/16.6 Safari/605.1.15`,
    browser: 'Safari',
    major: 16,
    os: 'Mac OS',
    weight: 1.5,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) ${WEBKIT} Version/17.4.1 Mobile/15E148 Safari/604.1`,
    browser: 'Mobile Safari',
    major: 17,
    os: 'iOS',
    weight: 8,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) ${WEBKIT} Version/17.5 Mobile/15E148 Safari/604.1`,
    browser: 'Mobile Safari',
    major: 17,
    os: 'iOS',
    weight: 4,
  },
  {
    ua: `Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) ${WEBKIT} Version/17.4 Mobile/15E148 Safari/604.1`,
    browser: 'Mobile Safari',
    major: 17,
    os: 'iOS',
    weight: 1.5,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) ${WEBKIT} Version/16.6 Mobile/15E148 Safari/604.1`,
    browser: 'Mobile Safari',
    major: 16,
    os: 'iOS',
    weight: 4,
  },
  {
    ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) ${WEBKIT} CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1`,
    browser: 'Chrome',
    major: 124,
    os: 'iOS',
    weight: 2,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 10; K) ${BLINK} Chrome/124.0.0.0 Mobile Safari/537.36`,
    browser: 'Chrome',
    major: 124,
    os: 'Android',
    weight: 14,
  },
  {
    ua: `Mozilla/5.0 (Linux; Android 14; SM-S918B) ${BLINK} SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36`,
    browser: 'Samsung Internet',
    major: 24,
    os: 'Android',
    weight: 3,
  },
  {
    ua: 'Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0',
    browser: 'Firefox',
    major: 126,
    os: 'Android',
    weight: 1,
  },
];

/** Crawlers: pages and files only, never a customer's report. */
export const CRAWLER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
];

/** The shop's mobile apps: APIs only. */
export const APP_AGENTS: readonly string[] = [
  'okhttp/4.12.0',
  'Shop/5.12.0 (iPhone; iOS 17.4; Scale/3.00)',
];

export const SCANNER_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'Mozilla/5.0 zgrab/0.x',
  'curl/8.5.0',
];

export const HEALTH_CHECK_AGENT = 'ELB-HealthChecker/2.0';

/** ua-parser-js' reading as one word: `Mobile Safari 17`. */
export const browserLabel = (agent: Agent) => `${agent.browser} ${agent.major}`;
