/**
 * The simulated shop a scenario happens in: hosts behind a load balancer,
 * services, customers with browsers and regions, daily traffic, and the
 * ordinary noise of a healthy day (404s, rare 500s, slow requests, client
 * error beacons, harmless changes and cron jobs). A kind plants its incident
 * through hooks (`onRequest`, `addLoad`, `log`, metric overrides), then
 * `run()` simulates second by second and `logFiles()` hands the logs out.
 */
import {
  drawHosts,
  drawRegions,
  drawServices,
  type Host,
  type Language,
  type Role,
  type Service,
} from './catalog.js';
import { ClientPool } from './clients.js';
import {
  DAY,
  HOUR,
  localHour,
  localTime,
  MINUTE,
  placeScenario,
  SECOND,
  type Zone,
} from './clock.js';
import type { CronJob } from './cron.js';
import { type AppLine, accessLineMaker, appLineMaker, type Client, type Request } from './emit.js';
import { drawEndpoints, type Endpoint, target } from './endpoints.js';
import { HostMetrics } from './host-metrics.js';
import { LogFiles } from './log-files.js';
import { HexTable, Rng } from './random.js';
import { healthChecks, ordinaryOutcome, serviceChatter } from './routine.js';
import { type BugReport, ChangeLog } from './side-inputs.js';
import type { ScenarioFile } from './truth.js';

export interface WorldOptions {
  seed: number;
  /** The span in hours, drawn in [min, max] (default 4-12). */
  spanHours?: [number, number];
  /** Start at a local midnight and cover this many whole days (overrides spanHours). */
  wholeDays?: number;
  /** Access-log lines of ordinary traffic, drawn in [min, max]. */
  accessLines?: [number, number];
  hostCount?: [number, number];
  /** Languages some services must be written in (the planted trace depends on it). */
  languages?: Partial<Record<Role, Language>>;
}

interface Load {
  endpoint: Endpoint;
  rate: (time: number) => number;
  client?: (client: Client) => boolean;
}

export class World {
  readonly seed: number;
  /** Draws of the kind's own choices (its stream is apart from the traffic's). */
  readonly rng: Rng;
  readonly zone: Zone;
  readonly from: number;
  readonly to: number;
  readonly hosts: Host[];
  readonly services: Record<Role, Service>;
  readonly regions: { name: string; weight: number }[];
  readonly endpoints: Endpoint[];
  readonly decimalShare: number;
  readonly changes: ChangeLog;
  /** Cron jobs; `aligned` marks the ones whose runs cause error bursts. */
  readonly cron: (CronJob & { aligned?: boolean })[] = [];
  /** Ids of the changes that caused the incident. */
  readonly blamed = new Set<string>();
  /** The UTC midnight that stands for the local calendar day the scenario starts on. */
  readonly firstDay: number;
  cronFormat: 'crontab' | 'kubernetes';
  readonly reports: BugReport[] = [];
  readonly metrics: HostMetrics;
  /** Rare 500s of a healthy day, per request to a service. */
  readonly backgroundErrorRate: number;
  readonly #traffic: Rng;
  readonly #ids: HexTable;
  readonly #clients: ClientPool;
  readonly #hooks: ((req: Request) => void)[] = [];
  readonly #loads: Load[] = [];
  readonly #files = new LogFiles();
  readonly #peakHour: number;
  readonly #amplitude: number;
  readonly #baseRate: number;
  readonly #app: (line: AppLine) => string;
  readonly #access: (req: Request, target: string) => string;

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    const setup = Rng.stream(options.seed, 'world');
    this.rng = Rng.stream(options.seed, 'kind');
    this.#traffic = Rng.stream(options.seed, 'traffic');
    const placement = placeScenario(setup);
    this.zone = placement.zone;
    this.firstDay = placement.day;
    if (options.wholeDays) {
      this.from = localTime(this.zone, placement.day, 0, 0);
      this.to = this.from + options.wholeDays * DAY - SECOND;
    } else {
      this.from = localTime(this.zone, placement.day, setup.int(0, 23), setup.int(0, 59));
      this.to = this.from + Math.round(setup.uniform(...(options.spanHours ?? [4, 12])) * HOUR);
    }
    const [minHosts, maxHosts] = options.hostCount ?? [3, 6];
    this.hosts = drawHosts(setup, setup.int(minHosts, maxHosts));
    this.services = drawServices(setup, options.languages);
    this.regions = drawRegions(setup);
    this.decimalShare = setup.uniform(0.2, 0.55);
    this.endpoints = drawEndpoints(setup, this.services, { decimalShare: this.decimalShare });
    this.backgroundErrorRate = setup.uniform(0.0005, 0.003);
    this.cronFormat = setup.chance(0.3) ? 'kubernetes' : 'crontab';
    this.#peakHour = setup.uniform(12, 20);
    this.#amplitude = setup.uniform(0.4, 0.75);
    this.#ids = new HexTable(setup);
    this.#clients = new ClientPool(setup, this.regions);
    const [minLines, maxLines] = options.accessLines ?? [20_000, 50_000];
    let shapeSum = 0;
    for (let t = this.from; t < this.to; t += MINUTE) shapeSum += this.traffic(t);
    this.#baseRate = setup.int(minLines, maxLines) / (shapeSum * 60);
    this.changes = new ChangeLog(Rng.stream(options.seed, 'changes'));
    this.metrics = new HostMetrics(Rng.stream(options.seed, 'metrics'), this.hosts, (t) =>
      this.traffic(t),
    );
    this.metrics.prepare();
    this.#app = appLineMaker(this.zone);
    this.#access = accessLineMaker(this.zone);
  }

  /** The traffic's level at `time`: a daily cycle around 1. */
  traffic(time: number): number {
    const hour = localHour(this.zone, time);
    return 1 + this.#amplitude * Math.cos((2 * Math.PI * (hour - this.#peakHour)) / 24);
  }

  /** Ordinary requests per second at `time`. */
  requestRate(time: number): number {
    return this.#baseRate * this.traffic(time);
  }

  endpoint(id: string): Endpoint {
    const found = this.endpoints.find((e) => e.id === id);
    if (!found) throw new Error(`no endpoint ${id}`);
    return found;
  }

  /** Called on every request after its ordinary outcome is drawn: set status, failure, duration. */
  onRequest(hook: (req: Request) => void): void {
    this.#hooks.push(hook);
  }

  /** Extra requests to `endpointId` at `rate(t)` per second, from clients `client` accepts. */
  addLoad(
    endpointId: string,
    rate: (time: number) => number,
    client?: (c: Client) => boolean,
  ): void {
    this.#loads.push({ endpoint: this.endpoint(endpointId), rate, ...(client ? { client } : {}) });
  }

  /** A line in a service's log on a host. */
  log(line: AppLine): void {
    this.#files.push(line.host, line.service.name, line.time, this.#app(line));
  }

  /** Simulates the span second by second. */
  run(): void {
    const rng = this.#traffic;
    const ordinary = this.endpoints.filter((e) => e.weight > 0);
    const totalWeight = ordinary.reduce((sum, e) => sum + e.weight, 0);
    const hostWeights = this.hosts.map((h) => h.weight);
    for (let second = this.from; second < this.to; second += SECOND) {
      const n = rng.poisson(this.requestRate(second));
      for (let k = 0; k < n; k++) {
        let x = rng.next() * totalWeight;
        let endpoint = ordinary[0] as Endpoint;
        for (const e of ordinary) {
          endpoint = e;
          x -= e.weight;
          if (x < 0) break;
        }
        this.#request(second + Math.floor(rng.next() * SECOND), endpoint, hostWeights);
      }
      for (const load of this.#loads) {
        const extra = rng.poisson(load.rate(second));
        for (let k = 0; k < extra; k++)
          this.#request(
            second + Math.floor(rng.next() * SECOND),
            load.endpoint,
            hostWeights,
            load.client,
          );
      }
    }
    healthChecks(this);
    serviceChatter(this, Rng.stream(this.seed, 'chatter'));
  }

  #request(
    time: number,
    endpoint: Endpoint,
    hostWeights: number[],
    accept?: (c: Client) => boolean,
  ) {
    const rng = this.#traffic;
    let x = rng.next();
    let hostIndex = 0;
    for (; hostIndex < hostWeights.length - 1; hostIndex++) {
      x -= hostWeights[hostIndex] as number;
      if (x < 0) break;
    }
    const req: Request = {
      time,
      host: this.hosts[hostIndex] as Host,
      endpoint,
      path: endpoint.path(rng),
      params: endpoint.params(rng),
      client: this.#clients.pick(rng, endpoint, accept),
      status: endpoint.okStatus,
      durationMs: rng.lognormal(endpoint.medianMs, 0.6),
      bytes: 0,
      traceId: this.#ids.traceId(rng),
      referer:
        endpoint.kind === 'page' || endpoint.kind === 'api'
          ? rng.chance(0.4)
            ? '-'
            : `https://shop.example.com/`
          : '-',
    };
    ordinaryOutcome(req, rng, this.backgroundErrorRate);
    for (const hook of this.#hooks) hook(req);
    if (req.bytes === 0 && req.status !== 304 && req.status !== 204)
      req.bytes =
        req.status >= 400
          ? rng.int(150, 600)
          : Math.round(rng.lognormal(endpoint.kind === 'static' ? 40_000 : 3_000, 0.8));
    this.emit(req);
  }

  /** Writes a request: nginx's access line and, unless the service is down, the service's lines. */
  emit(req: Request): void {
    const host = req.host.name;
    const where = target(req.path, req.params);
    this.#files.push(host, 'access', req.time, this.#access(req, where));
    const service = req.endpoint.service;
    if (!service || req.serviceDown) return;
    const time = req.time + Math.round(req.durationMs);
    const line: AppLine = {
      time,
      host,
      service,
      level: 'info',
      message: '',
      region: req.client.region,
      traceId: req.traceId,
      ...(req.extra ? { extra: req.extra } : {}),
    };
    if (req.endpoint.kind === 'beacon') {
      this.log({
        ...line,
        level: 'error',
        message: req.note ?? 'client error',
        request: req,
        target: where,
      });
      return;
    }
    if (req.note) this.log({ ...line, message: req.note, logger: 'service.Handler' });
    if (req.failure)
      this.log({
        ...line,
        level: 'error',
        message: req.failure.message,
        failure: req.failure,
        logger: 'web.ErrorHandler',
      });
    const java = service.language === 'java';
    line.request = req;
    line.target = where;
    line.level = java ? 'info' : req.status >= 500 ? 'error' : req.status >= 400 ? 'warn' : 'info';
    line.message = java
      ? `${req.endpoint.method} ${req.path} ${req.status} ${Math.round(req.durationMs)}ms`
      : req.status >= 500
        ? 'request errored'
        : 'request completed';
    this.log(line);
  }

  /** A request apart from the ordinary traffic (a health check): the hooks see it, then it is written. */
  send(req: Request): void {
    for (const hook of this.#hooks) hook(req);
    this.emit(req);
  }

  /** Every log file, sorted by path, each in time order. */
  logFiles(): ScenarioFile[] {
    return this.#files.files();
  }
}
