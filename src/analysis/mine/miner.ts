/**
 * Online log template miner: one pass, one message at a time, one configuration.
 *
 * How it works, and why the core is written by hand (speed and accuracy):
 *
 * 1. Masking (mask.ts) turns a message into tokens with the evident variables (numbers,
 *    addresses, ids, paths, key=value values...) replaced by `<*>`, hashing each token
 *    while it scans. Most messages of one event then mask to the same token sequence, so
 *    the hot path is one lookup of an additive hash over (token, position) and a token
 *    compare: no tree walk and no similarity scoring per message, as Drain does. Lines
 *    without any variable skip even the masking on repeats (a bounded cache).
 *
 * 2. A masked sequence seen for the first time becomes a *cluster* with a stable id.
 *    Variables that masking cannot see (user names, host names without a TLD, file names)
 *    make clusters that differ in one position. Each cluster registers one *skeleton* per
 *    word position: the sequence with that position blanked, whose hash is derived from
 *    the message's in O(1) (subtract the token's term, add the blank's), so all n
 *    skeletons cost O(n). Clusters sharing a skeleton differ only at its blank.
 *
 * 3. A skeleton that has gathered enough *distinct* values at its blank is a variable
 *    position: its clusters are merged, with a union-find, into one group whose template
 *    has `<*>` there, and later clusters that fit join at once. Enough is 4 values when
 *    the rest of the line has 3 constant words or more, 5 with 2 and 6 with 1; twice that
 *    for the first word, usually the event's verb or subject (Drain's assumption).
 *    A word seen with only 2 or 3 values stays a constant, which keeps apart events that
 *    differ in a word ("connection refused" / "connection reset", "Starting" / "Ending",
 *    the states of a state machine): a similarity threshold (Drain) merges those, while
 *    this cardinality test, like Brain's offline, does not.
 *    Group templates register skeletons too, and new clusters are also matched against
 *    them with the group's open positions blanked, so a second variable position is
 *    found at the group level. A group's template only ever gets more general.
 *
 * 4. `add` returns the cluster id, which never changes; `groupOf(id)` follows the
 *    union-find to the cluster's final group, so grouping is always the latest one.
 *
 * Memory is bounded: at most `maxClusters` (50,000) clusters are kept, with their
 * tokens and skeletons (about 1-2 KB each for ten-word lines); beyond that the least
 * recently seen tenth is evicted. An evicted id still resolves through `groupOf` (each id
 * ever issued costs 12 bytes), and a message of an evicted cluster that comes back starts
 * a new one. Messages are mined up to 8,192 characters and 100 tokens (the 100th becomes
 * `<*>`).
 */
import { detach } from '../detach.js';
import { hashString, type MaskInfo, maskTokens, WILDCARD, WILDCARD_HASH } from './mask.js';

export interface AddResult {
  /** The cluster of the message: stable forever, resolve with `groupOf`. */
  templateId: number;
  /** The current template of the cluster's group. */
  template: string;
}

export interface TemplateInfo {
  /** The group id (what `groupOf` returns for its clusters). */
  id: number;
  template: string;
  /** Messages in the group. */
  count: number;
  /** The first message of the group. */
  example: string;
}

export interface MinerLimits {
  /** Most clusters kept at once (default 50,000). For tests of eviction. */
  maxClusters?: number;
}

const MAX_TOKENS = 100;
/** Characters of a message that are mined (and kept as its example). */
const MAX_MESSAGE_LENGTH = 8192;
/** Skeletons are only kept for messages up to this many tokens. */
const MAX_SKELETON_TOKENS = 64;
/** Opened patterns tried per message length. */
const MAX_PATTERNS = 32;
const EMPTY = '<empty>';
/** Joins tokens into map keys: tokens never hold control characters. */
const KEY_SEPARATOR = '\u0001';
/** Messages without variables remembered as they are, to skip masking on repeats. */
const CONSTANT_CACHE = 4096;
const CONSTANT_MAX_LENGTH = 200;

interface Cluster {
  id: number;
  /** The masked tokens (identity of the cluster); emptied when evicted. */
  tokens: string[];
  /** Hash of each token. */
  hashes: Int32Array;
  /** Σ mix(hash, position) + length: the exact-match key. */
  key: number;
  lastSeen: number;
  live: boolean;
  /** Whether it registered its own skeletons (not when it joined an open group at once). */
  registered: boolean;
  /** A fixed template (see learnFixed): never merged, found by its text. */
  fixed: boolean;
  /** Skeletons registered for this cluster's group templates (released on eviction). */
  templateSkeletons: Skeleton[] | null;
  // Group fields, meaningful while this cluster is a root:
  template: string[];
  /** Positions opened by merging (any token fits), or null. */
  open: Uint8Array | null;
  text: string;
  example: string;
  exampleAt: number;
  count: number;
  members: number;
  liveMembers: number;
}

/**
 * Clusters that share all tokens but the blank at `q`. A skeleton with one cluster is
 * stored as that cluster's id alone (most never get a second), and becomes an object
 * when a second value comes.
 */
interface Skeleton {
  hash: number;
  /** Tokens of the first cluster or template that registered it; position q is blank. */
  tokens: string[];
  q: number;
  /** Constant (unmasked) tokens besides the blank. */
  constants: number;
  /** Distinct values seen at the blank, and a cluster for each; empty once opened. */
  values: string[];
  ids: number[];
  /** A cluster of the opened group, or -1. */
  group: number;
  /** Registered clusters and templates still kept. */
  refs: number;
}

type Entry = number | Skeleton;

interface Pattern {
  /** Opened positions of some group template of this length. */
  positions: number[];
  mask: Uint8Array;
  key: string;
}

/** Mixes a token hash with its position (murmur3 finalizer). */
function mix(h: number, pos: number): number {
  let x = h ^ Math.imul(pos + 1, 0x9e3779b9);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

const WILD_HASH = WILDCARD_HASH;

/**
 * Distinct values a blank needs before it is a variable, by the constant words around
 * it: the fewer, the more evidence. The first word of a message is usually the event's
 * verb or subject (Drain's assumption), so a blank there needs twice as much.
 */
function threshold(constants: number, q: number): number {
  const base = constants >= 3 ? 4 : constants === 2 ? 5 : constants === 1 ? 6 : 0;
  if (base === 0) return Number.POSITIVE_INFINITY;
  return q === 0 ? 2 * base : base;
}

function countConstants(tokens: string[], except: number): number {
  let n = 0;
  for (let i = 0; i < tokens.length; i++) if (i !== except && tokens[i] !== WILDCARD) n++;
  return n;
}

function sameTokens(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `a` equals `b` with position q of `b` read as `<*>`. */
function sameTokensWild(a: string[], b: string[], q: number): boolean {
  if (a.length !== b.length || a[q] !== WILDCARD) return false;
  for (let i = 0; i < a.length; i++) if (i !== q && a[i] !== b[i]) return false;
  return true;
}

/** Whether `tokens`, with position q and the positions of `view` blank, fit `ref`. */
function fits(ref: string[], tokens: string[], q: number, view: Uint8Array | null): boolean {
  if (ref.length !== tokens.length) return false;
  for (let i = 0; i < ref.length; i++) {
    if (i === q) continue;
    if (view !== null && view[i] === 1) {
      if (ref[i] !== WILDCARD) return false;
    } else if (ref[i] !== tokens[i]) return false;
  }
  return true;
}

/** What an evicted cluster, or a group with no cluster left, becomes: nothing is kept. */
const RETIRED: Cluster = Object.freeze({
  id: -1,
  tokens: [],
  hashes: new Int32Array(0),
  key: 0,
  lastSeen: 0,
  live: false,
  registered: false,
  fixed: false,
  templateSkeletons: null,
  template: [],
  open: null,
  text: '<evicted>',
  example: '',
  exampleAt: 0,
  count: 0,
  members: 0,
  liveMembers: 0,
}) as Cluster;

export class TemplateMiner {
  private readonly clusters: Cluster[] = [];
  private parent: Int32Array = new Int32Array(1024);
  /** Ids of the clusters kept. */
  private live: number[] = [];
  /** Exact key -> cluster id, or ids when keys collide. */
  private readonly exact = new Map<number, number | number[]>();
  private readonly skeletons = new Map<number, Entry | Entry[]>();
  /** Group templates with opened positions (tokens joined), and the open patterns by length. */
  private readonly openIndex = new Map<string, number>();
  private readonly patterns = new Map<number, Pattern[]>();
  private readonly pending: number[] = [];
  private readonly maxClusters: number;
  private clock = 0;
  /** Fixed template text -> cluster (see learnFixed). */
  private readonly fixed = new Map<string, number>();
  /** Message -> cluster, for messages that masking leaves as they are. */
  private readonly constants = new Map<string, number>();
  private readonly maskInfo: MaskInfo = { masked: false, hashes: new Int32Array(64) };

  constructor(limits: MinerLimits = {}) {
    this.maxClusters = Math.max(16, limits.maxClusters ?? 50_000);
  }

  /** Adds one message; returns its cluster id and the current template of its group. */
  add(message: string): AddResult {
    const templateId = this.learn(message);
    return { templateId, template: this.templateOf(templateId) };
  }

  /** Adds one message; returns its cluster id (the hot path: nothing allocated on a repeat). */
  learn(message: string): number {
    let text = typeof message === 'string' ? message : String(message);
    if (text.length > MAX_MESSAGE_LENGTH) text = text.slice(0, MAX_MESSAGE_LENGTH);
    this.clock++;
    // A line without variables repeats verbatim: one map lookup, no masking.
    if (text.length <= CONSTANT_MAX_LENGTH) {
      const known = this.constants.get(text);
      if (known !== undefined) {
        const c = this.clusters[known] as Cluster;
        if (c.live) return this.hit(known, c);
        this.constants.delete(text);
      }
    }
    let tokens = maskTokens(text, this.maskInfo);
    const hashes = this.maskInfo.hashes;
    if (tokens.length === 0) {
      tokens = [EMPTY];
      hashes[0] = hashString(EMPTY);
    } else if (tokens.length > MAX_TOKENS) {
      tokens = tokens.slice(0, MAX_TOKENS - 1);
      tokens.push(WILDCARD);
      hashes[MAX_TOKENS - 1] = WILD_HASH;
    }
    let key = tokens.length;
    for (let i = 0; i < tokens.length; i++) key = (key + mix(hashes[i] as number, i)) | 0;
    let id = this.lookup(key, tokens);
    if (id < 0)
      id = this.create(key, tokens.map(detach), hashes.slice(0, tokens.length), detach(text));
    if (!this.maskInfo.masked && text.length <= CONSTANT_MAX_LENGTH) {
      if (this.constants.size >= CONSTANT_CACHE) this.constants.clear();
      this.constants.set(detach(text), id);
    }
    return this.hit(id, this.clusters[id] as Cluster);
  }

  /**
   * Adds one event whose template the caller knows already (an access log's
   * endpoint, see endpoint.ts): its own cluster, found by its exact text,
   * never merged with others. It shares ids, eviction and `groupOf` with the
   * mined ones.
   */
  learnFixed(template: string): number {
    this.clock++;
    const known = this.fixed.get(template);
    if (known !== undefined) {
      const c = this.clusters[known] as Cluster;
      if (c.live) return this.hit(known, c);
      this.fixed.delete(template);
    }
    const text = detach(template);
    const id = this.newCluster(0, text.split(' '), new Int32Array(0), text);
    const c = this.clusters[id] as Cluster;
    c.fixed = true;
    this.fixed.set(text, id);
    return this.hit(id, c);
  }

  /**
   * Counts one more message for a cluster id the caller cached, if the
   * cluster is still kept; false when it was evicted (learn it again).
   */
  touch(templateId: number): boolean {
    const c = this.clusters[templateId];
    if (c === undefined || !c.live) return false;
    this.clock++;
    this.hit(templateId, c);
    return true;
  }

  /** Whether a cluster is still kept (not evicted). */
  isKept(templateId: number): boolean {
    return this.clusters[templateId]?.live === true;
  }

  /** Whether a cluster is a fixed template (see learnFixed). */
  isFixed(templateId: number): boolean {
    return this.clusters[templateId]?.fixed === true;
  }

  private hit(id: number, c: Cluster): number {
    c.lastSeen = this.clock;
    const root = this.clusters[this.find(id)] as Cluster;
    root.count++;
    return id;
  }

  /**
   * The masked text of a cluster itself (not of its group), or its group's
   * template once evicted. Mining it again gives the same tokens, which is
   * how the miners of several threads are merged into one.
   */
  clusterText(templateId: number): string {
    const c = this.clusters[templateId];
    if (c === undefined) throw new RangeError(`unknown template id ${templateId}`);
    return c.live && c.tokens.length > 0 ? c.tokens.join(' ') : this.templateOf(templateId);
  }

  /** The final group of a cluster id returned by `add`. */
  groupOf(templateId: number): number {
    if (!Number.isInteger(templateId) || templateId < 0 || templateId >= this.clusters.length)
      throw new RangeError(`unknown template id ${templateId}`);
    return this.find(templateId);
  }

  /** The current template of the group of a cluster id (`<evicted>` once forgotten). */
  templateOf(templateId: number): string {
    return (this.clusters[this.groupOf(templateId)] as Cluster).text;
  }

  /** All groups kept, most frequent first. */
  templates(): TemplateInfo[] {
    const out: TemplateInfo[] = [];
    for (let i = 0; i < this.clusters.length; i++) {
      const c = this.clusters[i] as Cluster;
      if (this.parent[i] === i && c.count > 0)
        out.push({ id: i, template: c.text, count: c.count, example: c.example });
    }
    return out.sort((a, b) => b.count - a.count || a.id - b.id);
  }

  /** Clusters currently kept (what the memory bound counts). */
  get size(): number {
    return this.live.length;
  }

  private find(i: number): number {
    const p = this.parent;
    let r = i;
    while (p[r] !== r) r = p[r] as number;
    while (p[i] !== r) {
      const next = p[i] as number;
      p[i] = r;
      i = next;
    }
    return r;
  }

  private retired(id: number): boolean {
    return this.clusters[this.find(id)] === RETIRED;
  }

  private lookup(key: number, tokens: string[]): number {
    const slot = this.exact.get(key);
    if (slot === undefined) return -1;
    if (typeof slot === 'number')
      return sameTokens((this.clusters[slot] as Cluster).tokens, tokens) ? slot : -1;
    for (const id of slot) if (sameTokens((this.clusters[id] as Cluster).tokens, tokens)) return id;
    return -1;
  }

  /** The cluster of `tokens` with position q masked, if there is one. */
  private lookupWild(key: number, tokens: string[], q: number): number {
    const slot = this.exact.get(key);
    if (slot === undefined) return -1;
    if (typeof slot === 'number')
      return sameTokensWild((this.clusters[slot] as Cluster).tokens, tokens, q) ? slot : -1;
    for (const id of slot)
      if (sameTokensWild((this.clusters[id] as Cluster).tokens, tokens, q)) return id;
    return -1;
  }

  /** A new cluster, in a group of its own. */
  private newCluster(key: number, tokens: string[], hashes: Int32Array, message: string): number {
    if (this.live.length >= this.maxClusters) this.evict();
    const id = this.clusters.length;
    if (id >= this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[id] = id;
    this.clusters.push({
      id,
      tokens,
      hashes,
      key,
      lastSeen: this.clock,
      live: true,
      registered: false,
      fixed: false,
      templateSkeletons: null,
      template: tokens,
      open: null,
      text: tokens.join(' '),
      example: message,
      exampleAt: this.clock,
      count: 0,
      members: 1,
      liveMembers: 1,
    });
    this.live.push(id);
    return id;
  }

  private create(key: number, tokens: string[], hashes: Int32Array, message: string): number {
    const id = this.newCluster(key, tokens, hashes, message);
    const slot = this.exact.get(key);
    if (slot === undefined) this.exact.set(key, id);
    else if (typeof slot === 'number') this.exact.set(key, [slot, id]);
    else slot.push(id);

    // 1. A group whose opened positions make this cluster fit: join it.
    // 2. Otherwise look for skeletons this cluster fills, as it is and as seen through
    //    each opened pattern (so a group's second variable position is found too).
    const n = tokens.length;
    const patterns = this.patterns.get(n);
    let fitted = false;
    if (patterns) {
      for (const p of patterns) {
        const probe = tokens.slice();
        for (const i of p.positions) probe[i] = WILDCARD;
        const text = probe.join(KEY_SEPARATOR);
        const g = this.openIndex.get(text);
        if (g !== undefined && this.retired(g)) this.openIndex.delete(text);
        else if (g !== undefined) {
          this.union(g, id);
          fitted = true;
          break;
        }
      }
    }
    if (!fitted && n <= MAX_SKELETON_TOKENS) {
      (this.clusters[id] as Cluster).registered = true;
      this.register(id, tokens, hashes, key - n, false);
      if (patterns) {
        for (const p of patterns) {
          let view = key - n;
          for (const i of p.positions) {
            view = (view - mix(hashes[i] as number, i) + mix(WILD_HASH, i)) | 0;
          }
          this.probeView(id, tokens, hashes, view, p.mask);
        }
      }
    }
    this.drain();
    return id;
  }

  /**
   * Registers the skeletons of a cluster, or of a group template (`template`), where
   * `total` is Σ mix(hash, position). A skeleton that reaches its threshold merges its
   * clusters into one group.
   */
  private register(
    id: number,
    tokens: string[],
    hashes: Int32Array,
    total: number,
    template: boolean,
  ): void {
    const n = tokens.length;
    const constants = countConstants(tokens, -1);
    for (let q = 0; q < n; q++) {
      const value = tokens[q] as string;
      const wild = value === WILDCARD;
      const h = (total - mix(hashes[q] as number, q) + mix(WILD_HASH, q)) | 0;
      let e = this.findEntry(h, tokens, q, null);
      if (e === undefined) {
        // Blanks at masked positions only join skeletons that words made.
        const rest = wild ? constants : constants - 1;
        if (wild || threshold(rest, q) === Number.POSITIVE_INFINITY) continue;
        // A cluster with a masked variable here came first: it is a value too.
        const masked = this.lookupWild((h + n) | 0, tokens, q);
        if (masked < 0 && !template) {
          this.addEntry(h, id);
          continue;
        }
        const s = this.newSkeleton(h, tokens, q, rest);
        this.addEntry(h, s);
        if (masked >= 0) {
          s.values.push(WILDCARD);
          s.ids.push(masked);
          s.refs++;
        }
        e = s;
      } else if (typeof e === 'number') {
        if (e === id) continue;
        e = this.upgrade(h, e, q);
      }
      e.refs++;
      if (template) {
        const owner = this.clusters[id] as Cluster;
        if (owner.templateSkeletons === null) owner.templateSkeletons = [];
        owner.templateSkeletons.push(e);
      }
      this.fill(e, value, id);
    }
  }

  private newSkeleton(h: number, tokens: string[], q: number, constants: number): Skeleton {
    return { hash: h, tokens, q, constants, values: [], ids: [], group: -1, refs: 0 };
  }

  /** Turns a skeleton held by one cluster into an object that can hold more. */
  private upgrade(h: number, sole: number, q: number): Skeleton {
    const c = this.clusters[sole] as Cluster;
    const s = this.newSkeleton(h, c.tokens, q, countConstants(c.tokens, q));
    s.values.push(c.tokens[q] as string);
    s.ids.push(sole);
    s.refs = 1;
    this.replaceEntry(h, sole, s);
    return s;
  }

  /** Adds a cluster's token at the blank of skeletons seen through an opened pattern. */
  private probeView(
    id: number,
    tokens: string[],
    hashes: Int32Array,
    total: number,
    view: Uint8Array,
  ): void {
    for (let q = 0; q < tokens.length; q++) {
      if (view[q] === 1) continue;
      const h = (total - mix(hashes[q] as number, q) + mix(WILD_HASH, q)) | 0;
      const e = this.findEntry(h, tokens, q, view);
      if (e === undefined || e === id) continue;
      this.fill(typeof e === 'number' ? this.upgrade(h, e, q) : e, tokens[q] as string, id);
    }
  }

  /** Records a value at a skeleton's blank; opens the skeleton at its threshold. */
  private fill(s: Skeleton, value: string, id: number): void {
    if (s.group >= 0) {
      s.group = this.retired(s.group) ? id : this.union(s.group, id);
      return;
    }
    const at = s.values.indexOf(value);
    if (at >= 0) {
      const other = s.ids[at] as number;
      if (this.retired(other)) s.ids[at] = id;
      else this.union(other, id);
      return;
    }
    s.values.push(value);
    s.ids.push(id);
    if (s.values.length >= threshold(s.constants, s.q)) {
      let root = id;
      for (const member of s.ids) if (!this.retired(member)) root = this.union(root, member);
      s.group = root;
      s.values = [];
      s.ids = [];
    }
  }

  private entryFits(e: Entry, tokens: string[], q: number, view: Uint8Array | null): boolean {
    if (typeof e !== 'number') return e.q === q && fits(e.tokens, tokens, q, view);
    const c = this.clusters[e] as Cluster;
    return c.live && fits(c.tokens, tokens, q, view);
  }

  private findEntry(
    h: number,
    tokens: string[],
    q: number,
    view: Uint8Array | null,
  ): Entry | undefined {
    const slot = this.skeletons.get(h);
    if (slot === undefined) return undefined;
    if (!Array.isArray(slot)) return this.entryFits(slot, tokens, q, view) ? slot : undefined;
    for (const e of slot) if (this.entryFits(e, tokens, q, view)) return e;
    return undefined;
  }

  private addEntry(h: number, e: Entry): void {
    const slot = this.skeletons.get(h);
    if (slot === undefined) this.skeletons.set(h, e);
    else if (Array.isArray(slot)) slot.push(e);
    else this.skeletons.set(h, [slot, e]);
  }

  private replaceEntry(h: number, old: Entry, e: Entry): void {
    const slot = this.skeletons.get(h);
    if (slot === old) this.skeletons.set(h, e);
    else if (Array.isArray(slot)) {
      const i = slot.indexOf(old);
      if (i >= 0) slot[i] = e;
    }
  }

  private removeEntry(h: number, e: Entry): void {
    const slot = this.skeletons.get(h);
    if (slot === e) this.skeletons.delete(h);
    else if (Array.isArray(slot)) {
      const rest = slot.filter((x) => x !== e);
      if (rest.length === 1) this.skeletons.set(h, rest[0] as Entry);
      else if (rest.length === 0) this.skeletons.delete(h);
      else this.skeletons.set(h, rest);
    }
  }

  /** Joins two groups; the merged template is their position-wise generalization. */
  private union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    let A = this.clusters[ra] as Cluster;
    let B = this.clusters[rb] as Cluster;
    // A group whose clusters were all evicted is gone: nothing joins it.
    if (B === RETIRED) return ra;
    if (A === RETIRED) return rb;
    if (A.members < B.members || (A.members === B.members && rb < ra)) {
      [ra, rb] = [rb, ra];
      [A, B] = [B, A];
    }
    this.parent[rb] = ra;
    A.count += B.count;
    A.members += B.members;
    A.liveMembers += B.liveMembers;
    if (B.exampleAt < A.exampleAt) {
      A.example = B.example;
      A.exampleAt = B.exampleAt;
    }
    const ta = A.template;
    const tb = B.template;
    if (ta.length !== tb.length) return ra;
    let changed: string[] | null = null;
    let open = A.open;
    for (let i = 0; i < ta.length; i++) {
      const bOpen = B.open !== null && B.open[i] === 1;
      if ((ta[i] !== tb[i] || bOpen) && !(open !== null && open[i] === 1)) {
        if (changed === null) {
          changed = ta.slice();
          const o = new Uint8Array(ta.length);
          if (A.open) o.set(A.open);
          open = o;
        }
        changed[i] = WILDCARD;
        (open as Uint8Array)[i] = 1;
      }
    }
    if (changed !== null) {
      A.template = changed;
      A.open = open;
      A.text = changed.join(' ');
      this.pending.push(ra);
    }
    return ra;
  }

  /** Registers the templates of groups that changed, which may merge more groups. */
  private drain(): void {
    while (this.pending.length > 0) {
      const r = this.pending.pop() as number;
      if (this.find(r) !== r) continue;
      const g = this.clusters[r] as Cluster;
      if (g === RETIRED) continue;
      const open = g.open as Uint8Array;
      const n = open.length;
      const positions: number[] = [];
      for (let i = 0; i < n; i++) if (open[i] === 1) positions.push(i);
      const pkey = positions.join(',');
      let list = this.patterns.get(n);
      if (!list) {
        list = [];
        this.patterns.set(n, list);
      }
      if (!list.some((p) => p.key === pkey)) {
        list.push({ positions, mask: open.slice(), key: pkey });
        list.sort((x, y) => x.positions.length - y.positions.length);
        if (list.length > MAX_PATTERNS) list.length = MAX_PATTERNS;
      }
      this.openIndex.set(g.template.join(KEY_SEPARATOR), r);
      if (n > MAX_SKELETON_TOKENS) continue;
      const hashes = new Int32Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        hashes[i] = hashString(g.template[i] as string);
        total = (total + mix(hashes[i] as number, i)) | 0;
      }
      this.register(r, g.template, hashes, total, true);
    }
  }

  /**
   * Forgets the least recently seen tenth of the clusters: their tokens, exact key and
   * skeletons. A group keeps its record while it has a cluster left; then it is retired.
   */
  private evict(): void {
    const live = this.live;
    const seen = new Float64Array(live.length);
    for (let i = 0; i < live.length; i++)
      seen[i] = (this.clusters[live[i] as number] as Cluster).lastSeen;
    const sorted = seen.slice().sort();
    const drop = Math.max(1, Math.floor(live.length / 10));
    const cut = sorted[drop - 1] as number;
    let dropped = 0;
    const kept: number[] = [];
    for (let i = 0; i < live.length; i++) {
      const id = live[i] as number;
      if (dropped < drop && (seen[i] as number) <= cut) {
        this.forget(id);
        dropped++;
      } else kept.push(id);
    }
    this.live = kept;
  }

  private forget(id: number): void {
    const c = this.clusters[id] as Cluster;
    c.live = false;
    if (c.fixed) this.fixed.delete(c.text);
    const slot = this.exact.get(c.key);
    if (slot === id) this.exact.delete(c.key);
    else if (Array.isArray(slot)) {
      const rest = slot.filter((x) => x !== id);
      if (rest.length === 1) this.exact.set(c.key, rest[0] as number);
      else this.exact.set(c.key, rest);
    }
    // Its own skeletons are found again from its tokens.
    const n = c.tokens.length;
    if (c.registered) {
      const total = c.key - n;
      for (let q = 0; q < n; q++) {
        const h = (total - mix(c.hashes[q] as number, q) + mix(WILD_HASH, q)) | 0;
        const slot = this.skeletons.get(h);
        if (slot === undefined) continue;
        const entries = Array.isArray(slot) ? slot.slice() : [slot];
        for (const e of entries) {
          if (e === id) this.removeEntry(h, e);
          else if (typeof e !== 'number' && e.q === q && fits(e.tokens, c.tokens, q, null))
            this.release(e);
        }
      }
    }
    if (c.templateSkeletons !== null) for (const s of c.templateSkeletons) this.release(s);
    c.templateSkeletons = null;
    c.tokens = [];
    c.hashes = new Int32Array(0);
    const root = this.find(id);
    const group = this.clusters[root] as Cluster;
    group.liveMembers--;
    if (group.liveMembers <= 0) this.clusters[root] = RETIRED;
    if (root !== id) this.clusters[id] = RETIRED;
  }

  private release(s: Skeleton): void {
    s.refs--;
    if (s.refs <= 0) this.removeEntry(s.hash, s);
  }
}
