/**
 * The inputs beside the logs: change records (changes.jsonl) and customer
 * bug reports (reports.csv), with the harmless changes and the scattered
 * complaints every week has.
 */
import { HUMAN_AGENTS } from './agents.js';
import { bumpVersion, type Host, type Role, type Service } from './catalog.js';
import { isoUtc, MINUTE } from './clock.js';
import type { Rng } from './random.js';

export type ChangeKind = 'deploy' | 'config' | 'feature-flag' | 'migration';

export interface Change {
  id: string;
  time: number;
  kind: ChangeKind;
  service: string;
  version?: string;
  hosts: string[];
  description: string;
  author: string;
}

export interface BugReport {
  time: number;
  userAgent: string;
  page: string;
  description: string;
}

const AUTHORS = ['alice', 'bob', 'chen', 'dana', 'emeka', 'farah', 'gustav', 'hana', 'deploy-bot'];
const DEPLOY_NOTES = [
  'bump dependencies',
  'refactor request validation',
  'improve logging around retries',
  'new product card layout',
  'fix typo in email template',
  'tune connection pool',
  'add metrics for cache hits',
  'upgrade base image',
];
const CONFIG_NOTES = [
  'raise connection pool size to 40',
  'rotate TLS certificate',
  'lower cache TTL for product pages to 120s',
  'increase request body limit to 2MB',
];
const FLAG_NOTES = [
  'enable new-recommendations for 10% of users',
  'enable wishlist-sync for all users',
  'disable legacy-coupon-banner',
];
const MIGRATION_NOTES = [
  'add index on orders(created_at)',
  'add column carts.note',
  'backfill product slugs',
];

/** Minutes from this instant number the changes: ids grow with time, as a tracker's do. */
const ID_EPOCH = Date.UTC(2025, 0, 1);

export class ChangeLog {
  readonly changes: Change[] = [];
  readonly #ids = new Set<string>();

  constructor(readonly rng: Rng) {}

  add(change: Omit<Change, 'id' | 'author'> & { author?: string }): Change {
    let n = Math.floor((change.time - ID_EPOCH) / 60_000);
    while (this.#ids.has(`chg-${n}`)) n++;
    this.#ids.add(`chg-${n}`);
    const full: Change = { id: `chg-${n}`, author: this.rng.pick(AUTHORS), ...change };
    this.changes.push(full);
    return full;
  }

  /** A deploy of `service`, bumping its version. */
  deploy(time: number, service: Service, hosts: readonly Host[], description?: string): Change {
    service.version = bumpVersion(this.rng, service.version);
    return this.add({
      time,
      kind: 'deploy',
      service: service.name,
      version: service.version,
      hosts: hosts.map((h) => h.name),
      description: `${service.name} ${service.version}: ${description ?? this.rng.pick(DEPLOY_NOTES)}`,
    });
  }

  /**
   * `count` harmless changes at times in [from, to] outside the `keepOut`
   * windows (a harmless change right before a planted onset would make the
   * truth ambiguous).
   */
  harmless(
    count: number,
    window: { from: number; to: number },
    keepOut: readonly [number, number][],
    services: Record<Role, Service>,
    hosts: readonly Host[],
  ): Change[] {
    const made: Change[] = [];
    for (let tries = 0; made.length < count && tries < 200; tries++) {
      const time = Math.round(this.rng.uniform(window.from, window.to) / 1000) * 1000;
      if (keepOut.some(([a, b]) => time >= a && time <= b)) continue;
      const service = this.rng.pick(Object.values(services));
      const kind = this.rng.weighted(
        ['deploy', 'config', 'feature-flag', 'migration'] as const,
        (k) => (k === 'deploy' ? 5 : 1),
      );
      if (kind === 'deploy') {
        made.push(this.deploy(time, service, hosts));
        continue;
      }
      const notes =
        kind === 'config' ? CONFIG_NOTES : kind === 'feature-flag' ? FLAG_NOTES : MIGRATION_NOTES;
      made.push(
        this.add({
          time,
          kind,
          service: service.name,
          hosts: kind === 'config' ? hosts.map((h) => h.name) : [],
          description: this.rng.pick(notes),
        }),
      );
    }
    return made;
  }

  render(): string {
    const sorted = [...this.changes].sort((a, b) => a.time - b.time);
    return sorted
      .map((c) =>
        JSON.stringify({
          id: c.id,
          time: isoUtc(c.time),
          kind: c.kind,
          service: c.service,
          ...(c.version ? { version: c.version } : {}),
          hosts: c.hosts,
          description: c.description,
          author: c.author,
        }),
      )
      .map((line) => `${line}\n`)
      .join('');
  }
}

const COMPLAINTS = [
  'The page took forever to load',
  'Could not find my order history',
  'Coupon code did not apply',
  'Images are not showing on the product page',
  'I was logged out while shopping',
  'Search shows products that are out of stock',
];
const PAGES = ['/', '/products/', '/search', '/cart', '/account/orders', '/category/'];

/** A person's browser, as often as it is in the traffic. */
export function drawHumanAgent(rng: Rng) {
  return rng.weighted(HUMAN_AGENTS, (a) => a.weight);
}

/** Scattered complaints with nothing in common: every week has some. */
export function backgroundReports(rng: Rng, from: number, to: number, count: number): BugReport[] {
  return Array.from({ length: count }, () => {
    const page = rng.pick(PAGES);
    return {
      time: Math.round(rng.uniform(from, to) / MINUTE) * MINUTE + rng.int(0, 59) * 1000,
      userAgent: drawHumanAgent(rng).ua,
      page: page.endsWith('/') && page !== '/' ? `${page}${rng.int(1000, 99_999)}` : page,
      description: rng.pick(COMPLAINTS),
    };
  });
}

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export function renderReports(reports: readonly BugReport[]): string {
  const rows = [...reports]
    .sort((a, b) => a.time - b.time)
    .map((r) => [isoUtc(r.time), r.userAgent, r.page, r.description].map(csvField).join(','));
  return `time,user_agent,page,description\n${rows.map((r) => `${r}\n`).join('')}`;
}
