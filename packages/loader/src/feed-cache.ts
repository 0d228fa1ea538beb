import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, readlinkSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compileOsvRecord, entryAffects, findDuplicateKey, OsvRecordError, type AdvisoryIndex, type AdvisoryMatch, type AffectedEntry } from '@lifeguard/core';
import { defaultCacheDir, writeAtomic } from './paths';
import { FEED_RECORD_MAX_BYTES } from './safe-read';

export { defaultCacheDir, writeAtomic };

/**
 * Compiled, cached index of a folder of OSV records (a clone of ossf/malicious-packages has
 * ~220,000 npm records, one file each). Reading and parsing every record takes seconds, so the
 * compiled index is written once to a cache file and reused while the feed is unchanged.
 *
 * Where: beside the feed, `<parent>/.<feed-folder>.lifeguard-index.json` (a sibling, so writing it
 * never changes the feed folder's own mtime), or, when that is not writable, under
 * `$LIFEGUARD_CACHE_DIR` / `$XDG_CACHE_HOME/lifeguard` / `~/.cache/lifeguard` as
 * `feeds/<sha256(feed path)>.json`.
 *
 * Freshness, checked on every load with O(1) syscalls (statting 220,000 files costs seconds):
 *  - the feed folder's inode and mtime: adding, removing or renaming a top-level entry (a new
 *    malicious package name, the common update) changes it -> rebuild;
 *  - if the feed is inside a git work tree (the nearest `.git` above it: a clone of
 *    ossf/malicious-packages), the commit HEAD points to: `git pull` / `checkout` change it ->
 *    full check (below), which rebuilds only if a record changed.
 * Not seen by those checks: a record added inside an existing package or scope folder, or a record
 * edited in place, outside git. For those, the full check (walk the tree, stat every record: path,
 * size and mtime, hashed) also runs when the last one is older than `recheckHours` (default 24;
 * `LIFEGUARD_FEED_RECHECK=always|never|<hours>`). An edit that keeps size and mtime is invisible
 * short of reading every file: delete the cache (or `LIFEGUARD_FEED_CACHE=off`) to force a build.
 *
 * Trust: the cache is a derived artefact, never trusted blindly. Its header carries the SHA-256 of
 * its body; a cache that does not parse, has another format version, names another feed, or fails
 * its checksum is ignored and rebuilt. Writes are atomic (temp file in the same folder, fsync,
 * rename), so a crash or a concurrent install never leaves a half-written cache.
 */

export const CACHE_FORMAT = 'lifeguard-osv-index';
export const CACHE_VERSION = 1;
const SIBLING_SUFFIX = '.lifeguard-index.json';
const DEFAULT_RECHECK_HOURS = 24;
const DEFAULT_MIN_RECORDS_TO_CACHE = 500;

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    /** The file (or folder) at fault. */
    readonly file: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: expected ${expected}, found ${found}`);
  }
}

export interface FeedLoadOptions {
  /** Cache folder used when the sibling file cannot be written (default: env / XDG / ~/.cache). */
  readonly cacheDir?: string;
  /** Never write or read a cache (always build). Default: `LIFEGUARD_FEED_CACHE=off`. */
  readonly noCache?: boolean;
  /**
   * Folders with fewer records are read directly and get no cache file (a handful of records in a
   * project's `security/osv` loads in a few ms; no need to leave a file in the repository).
   * Default 500, or `LIFEGUARD_FEED_CACHE_MIN`.
   */
  readonly minRecordsToCache?: number;
  /** Hours between full freshness checks; 0 = every load, Infinity = never. */
  readonly recheckHours?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
  /** Environment, for tests. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface FeedLoadResult {
  readonly index: AdvisoryIndex;
  /** `cache`: a fresh cache was used; `build`: every record was read (and the cache written). */
  readonly from: 'cache' | 'build';
  /** Why the cache was not used (`build` only). */
  readonly reason?: string;
  /** The cache file read or written, if any. */
  readonly cacheFile?: string;
  readonly cacheBytes: number;
  /** Records files read (`build` only). */
  readonly files: number;
}

/** O(1) fingerprint, compared on every load. */
interface QuickFingerprint {
  readonly ino: number;
  readonly dev: number;
  readonly mtimeMs: number;
  readonly git: string | null;
}

/** Full-walk fingerprint, compared every `recheckHours`. */
interface DeepFingerprint {
  readonly files: number;
  readonly bytes: number;
  /** SHA-256 over every record's path, size and mtime, in walk order. */
  readonly stats: string;
}

interface CacheHeader {
  readonly format: string;
  readonly version: number;
  readonly feed: string;
  readonly quick: QuickFingerprint;
  readonly deep: DeepFingerprint;
  readonly verifiedAt: number;
  readonly names: number;
  readonly records: number;
  readonly sha256: string;
}

// ---------------------------------------------------------------- fingerprints

/** The commit HEAD points to, if `dir` is inside a git work tree (no git binary needed). */
export function gitHead(dir: string): string | null {
  let d = dir;
  for (let i = 0; i < 64; i++) {
    const dotGit = join(d, '.git');
    let gitDir: string | undefined;
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) gitDir = dotGit;
      else {
        const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (m?.[1]) gitDir = resolve(d, m[1].trim());
      }
    } catch {
      /* not here */
    }
    if (gitDir !== undefined) return readHead(gitDir);
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
  return null;
}

function readHead(gitDir: string): string | null {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (ref === undefined) return head; // detached
    // worktrees keep refs in the common dir
    let common = gitDir;
    try {
      common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      /* not a linked worktree */
    }
    for (const base of [gitDir, common]) {
      try {
        return `${ref}@${readFileSync(join(base, ref), 'utf8').trim()}`;
      } catch {
        /* maybe packed */
      }
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line ? `${ref}@${line.split(' ')[0]}` : `${ref}@unborn`;
  } catch {
    return 'unreadable';
  }
}

function quickFingerprint(feed: string): QuickFingerprint {
  const st = statSync(feed);
  return { ino: st.ino, dev: st.dev, mtimeMs: st.mtimeMs, git: gitHead(feed) };
}

const sameDeep = (a: DeepFingerprint, b: DeepFingerprint) => a.files === b.files && a.bytes === b.bytes && a.stats === b.stats;

/** Accumulates the deep fingerprint, file by file (the build feeds it from fstat, the check from stat). */
class DeepHasher {
  private readonly hash = createHash('sha256');
  private files = 0;
  private bytes = 0;
  add(file: string, size: number, mtimeMs: number): void {
    this.files++;
    this.bytes += size;
    this.hash.update(`${file}\u0000${size}\u0000${mtimeMs}\n`);
  }
  done(): DeepFingerprint {
    return { files: this.files, bytes: this.bytes, stats: this.hash.digest('hex') };
  }
}

/**
 * Every `.json` record under the feed (dot-entries skipped), sorted so every walk agrees. Symbolic
 * links are followed (a feed assembled from links must not load as empty), each real folder once.
 */
export function walkFeed(feed: string): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let st;
        try {
          st = statSync(p);
        } catch (e) {
          throw new FeedError(p, 'a readable OSV record or folder', danglingLink(p) ?? (e as NodeJS.ErrnoException).code ?? 'unreadable');
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          const real = realpathSync(p);
          if (seen.has(real)) continue;
          seen.add(real);
        }
      }
      if (isDir) walk(p);
      else if (isFile && entry.name.endsWith('.json')) files.push(p);
      // A FIFO or device posing as a record: reading it would hang or never end; skipping it would hide it.
      else if (entry.name.endsWith('.json')) throw new FeedError(p, 'an OSV record in a regular file', 'a FIFO, socket or device');
    }
  };
  seen.add(realpathSync(feed));
  walk(feed);
  // one global path order, so the build and the full check hash records in the same order
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The full check: path, size and mtime of every record (adding, removing, renaming or editing a
 * record changes it). The index depends only on record contents, so folder mtimes are not needed.
 */
function deepFingerprint(files: string[]): DeepFingerprint {
  const h = new DeepHasher();
  for (const f of files) {
    const st = statSync(f);
    h.add(f, st.size, st.mtimeMs);
  }
  return h.done();
}

// ---------------------------------------------------------------- compact layout

/**
 * Body layout, chosen so that a cached load does no per-name work (JSON.parse of a 200,000-key
 * object alone costs ~190 ms; building a Map of them ~40 ms):
 *
 *   <names, "\n"-joined> \0 <values, "\n"-joined> \0 <hash table, base64 of an Int32Array>
 *
 * `values[i]` belongs to `names[i]`: either a bare advisory id (every version, no aliases, the OSSF
 * summary "Malicious code in <name> (npm)": most records), or a JSON array of entries, each a bare
 * id or `[id, all(0|1), versions, ranges, aliases, summary]` (summary `0` = that standard text).
 * The table is open addressing over FNV-1a of the name (slot = index + 1, 0 = empty), so a lookup
 * is a hash, a probe or two and one string comparison. Names with control characters cannot be
 * npm names and are dropped (they would also break the line layout).
 */
type Encoded = string | [string, 0 | 1, string[], AffectedEntry['ranges'], string[], string | 0 | null];

const standardSummary = (name: string) => `Malicious code in ${name} (npm)`;
const CONTROL = /[\u0000-\u001f\u2028\u2029]/;

function encode(e: AffectedEntry): Encoded {
  const summary = e.summary === standardSummary(e.name) ? 0 : (e.summary ?? null);
  if (e.all && e.aliases.length === 0 && summary === 0 && !CONTROL.test(e.id) && !e.id.startsWith('[')) return e.id;
  return [e.id, e.all ? 1 : 0, [...e.versions], e.ranges, [...e.aliases], summary];
}

function decode(name: string, v: Encoded, source: string): AffectedEntry {
  if (typeof v === 'string') return { name, id: v, aliases: [], summary: standardSummary(name), source, all: true, versions: [], ranges: [] };
  const [id, all, versions, ranges, aliases, summary] = v;
  return { name, id, aliases, summary: summary === 0 ? standardSummary(name) : (summary ?? undefined), source, all: all === 1, versions, ranges };
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function tableSize(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/** Serialises name -> entries into the body text. */
function serialize(byName: Map<string, Encoded[]>): { text: string; names: number } {
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, list] of byName) {
    if (CONTROL.test(name)) continue;
    names.push(name);
    values.push(list.length === 1 && typeof list[0] === 'string' ? list[0] : JSON.stringify(list));
  }
  const size = tableSize(names.length);
  const table = new Int32Array(size);
  const mask = size - 1;
  names.forEach((name, i) => {
    let slot = fnv1a(name) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  });
  const b64 = Buffer.from(table.buffer, table.byteOffset, table.byteLength).toString('base64');
  return { text: `${names.join('\n')}\u0000${values.join('\n')}\u0000${b64}`, names: names.length };
}

/** The compiled feed, straight from the body text: O(1) by name, entries decoded on demand. */
export class CompiledFeedIndex implements AdvisoryIndex {
  private readonly names: string[];
  private readonly values: string[];
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Entries decoded so far (only names that were looked up and carry more than a bare id). */
  private readonly decoded = new Map<number, AffectedEntry[]>();

  constructor(
    bodyText: string,
    private readonly source: string,
  ) {
    const a = bodyText.indexOf('\u0000');
    const b = bodyText.indexOf('\u0000', a + 1);
    if (a < 0 || b < 0) throw new Error('corrupt feed index body');
    this.names = a === 0 ? [] : bodyText.slice(0, a).split('\n');
    this.values = a + 1 === b ? [] : bodyText.slice(a + 1, b).split('\n');
    const raw = Buffer.from(bodyText.slice(b + 1), 'base64');
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    this.table = new Int32Array(copy.buffer);
    this.mask = this.table.length - 1;
    if (this.names.length !== this.values.length || this.table.length < this.names.length || (this.table.length & this.mask) !== 0) {
      throw new Error('corrupt feed index body');
    }
  }

  get size(): number {
    return this.names.length;
  }

  private find(name: string): number {
    let slot = fnv1a(name) & this.mask;
    for (let probes = 0; probes <= this.mask; probes++) {
      const i = this.table[slot] as number;
      if (i === 0) return -1;
      if (this.names[i - 1] === name) return i - 1;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.find(name) >= 0;
  }

  match(name: string, version: string): AdvisoryMatch[] {
    const i = this.find(name);
    if (i < 0) return [];
    const raw = this.values[i] as string;
    // the common case, a bare id: every version, nothing to decode
    if (raw.charCodeAt(0) !== 91 /* [ */) return [{ id: raw, aliases: [], summary: standardSummary(name), source: this.source }];
    let entries = this.decoded.get(i);
    if (entries === undefined) {
      entries = (JSON.parse(raw) as Encoded[]).map((enc) => decode(name, enc, this.source));
      this.decoded.set(i, entries);
    }
    const out: AdvisoryMatch[] = [];
    for (const e of entries) {
      if (!entryAffects(e, version) || out.some((m) => m.id === e.id)) continue;
      out.push({ id: e.id, aliases: e.aliases, summary: e.summary, source: e.source });
    }
    return out;
  }
}

// ---------------------------------------------------------------- cache files

/** The cache files a feed may use, in lookup order: beside the feed, then the cache folder. */
export function feedCacheFiles(feed: string, options: Pick<FeedLoadOptions, 'cacheDir' | 'env'> = {}): string[] {
  const abs = resolve(feed);
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 32);
  const dir = options.cacheDir ?? defaultCacheDir(options.env ?? process.env);
  return [join(dirname(abs), `.${basename(abs)}${SIBLING_SUFFIX}`), join(dir, 'feeds', `${hash}.json`)];
}

interface ReadCache {
  readonly header: CacheHeader;
  /** The body if it matches the header's SHA-256, else undefined. */
  readonly verify: () => string | undefined;
  readonly bytes: number;
}

/** Reads and verifies one cache file; a reason string if missing, foreign or corrupt. */
function readCache(file: string, feed: string): ReadCache | string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return 'no cache';
  }
  const nl = buf.indexOf(10);
  if (nl < 0) return 'corrupt cache (no header)';
  let header: CacheHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 0, nl)) as CacheHeader;
  } catch {
    return 'corrupt cache (header)';
  }
  if (header?.format !== CACHE_FORMAT || header.version !== CACHE_VERSION) return 'cache of another format';
  if (header.feed !== feed) return 'cache of another feed';
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const { quick: q, deep: d } = header;
  if (typeof q !== 'object' || q === null || !num(q.ino) || !num(q.dev) || !num(q.mtimeMs) || (q.git !== null && typeof q.git !== 'string')) {
    return 'corrupt cache (header)';
  }
  if (typeof d !== 'object' || d === null || !num(d.files) || !num(d.bytes) || typeof d.stats !== 'string' || !num(header.verifiedAt)) {
    return 'corrupt cache (header)';
  }
  // the checksum is verified by the caller, once the cheap fingerprint says the cache is current
  const verify = (): string | undefined =>
    createHash('sha256').update(buf.subarray(nl + 1)).digest('hex') === header.sha256 ? buf.toString('utf8', nl + 1) : undefined;
  return { header, verify, bytes: buf.length };
}

function writeCache(candidates: string[], header: Omit<CacheHeader, 'sha256'>, bodyText: string): { file: string; bytes: number } | undefined {
  const full: CacheHeader = { ...header, sha256: createHash('sha256').update(bodyText).digest('hex') };
  const head = `${JSON.stringify(full)}\n`;
  for (const file of candidates) if (writeAtomic(file, [head, bodyText])) return { file, bytes: Buffer.byteLength(head) + Buffer.byteLength(bodyText) };
  return undefined;
}

function minRecordsToCache(options: FeedLoadOptions): number {
  if (options.minRecordsToCache !== undefined) return options.minRecordsToCache;
  const n = Number((options.env ?? process.env).LIFEGUARD_FEED_CACHE_MIN ?? NaN);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_MIN_RECORDS_TO_CACHE;
}

function recheckHours(options: FeedLoadOptions): number {
  if (options.recheckHours !== undefined) return options.recheckHours;
  const v = (options.env ?? process.env).LIFEGUARD_FEED_RECHECK;
  if (v === 'always') return 0;
  if (v === 'never') return Infinity;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_RECHECK_HOURS;
}

// ---------------------------------------------------------------- load

/**
 * The entries of one feed file (an OSV record, or an array of them). Throws FeedError naming the
 * file and what is wrong with it.
 */
export function compileFeedText(file: string, text: string): { records: number; entries: AffectedEntry[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new FeedError(file, 'an OSV record in valid JSON', (e as Error).message);
  }
  let dup;
  try {
    dup = findDuplicateKey(text, parsed);
  } catch {
    throw new FeedError(file, 'an OSV record in valid JSON', 'nesting too deep to check');
  }
  // `"withdrawn"` or `"affected"` written twice: the last silently wins, and a record can unlist itself.
  if (dup) throw new FeedError(file, 'an OSV record with each key once per object', `${JSON.stringify(dup.key)} a second time at ${dup.path}`);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const entries: AffectedEntry[] = [];
  for (const r of list) {
    try {
      entries.push(...compileOsvRecord(r, file));
    } catch (e) {
      if (e instanceof OsvRecordError) throw new FeedError(file, 'an OSV record', e.message.slice(file.length + 2));
      throw e;
    }
  }
  return { records: list.length, entries };
}

/** `a symbolic link to <target>, which does not exist` when `path` is a dangling link, else undefined. */
export function danglingLink(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    const target = readlinkSync(path);
    return existsSync(path) ? undefined : `a symbolic link to ${target}, which does not exist`;
  } catch {
    return undefined;
  }
}

/** One read buffer reused across records (a fresh buffer per file is 220,000 allocations to collect). */
let readBuffer = Buffer.allocUnsafe(1 << 20);

/** Reads one file, with its fstat (no second stat per file). */
export function readRecord(file: string): { text: string; size: number; mtimeMs: number } {
  // Non-blocking open and a check on the open descriptor: a FIFO or device named `x.json` fails, never hangs.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FeedError(file, 'an OSV record in a regular file', st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() ? 'a character device' : 'not a regular file');
    if (st.size > FEED_RECORD_MAX_BYTES) throw new FeedError(file, `an OSV record of at most ${FEED_RECORD_MAX_BYTES} bytes`, `${st.size} bytes`);
    if (st.size > readBuffer.length) readBuffer = Buffer.allocUnsafe(st.size);
    const buf = readBuffer;
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return { text: buf.toString('utf8', 0, n), size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

interface Built {
  readonly bodyText: string;
  readonly names: number;
  readonly records: number;
  readonly deep: DeepFingerprint;
  readonly files: number;
}

/** Compiles records one by one (in sorted path order) into the body. */
class Compiler {
  private readonly byName = new Map<string, Encoded[]>();
  private readonly deep = new DeepHasher();
  private records = 0;
  private files = 0;

  add(file: string, text: string, size: number, mtimeMs: number): void {
    this.files++;
    this.deep.add(file, size, mtimeMs);
    const { records, entries } = compileFeedText(file, text);
    this.records += records;
    for (const entry of entries) {
      const list = this.byName.get(entry.name);
      if (list) list.push(encode(entry));
      else this.byName.set(entry.name, [encode(entry)]);
    }
  }

  done(): Built {
    const { text, names } = serialize(this.byName);
    return { bodyText: text, names, records: this.records, deep: this.deep.done(), files: this.files };
  }
}

/** Reads and compiles the records one at a time, in walk order. */
function buildSerial(files: string[]): Built {
  const c = new Compiler();
  for (const file of files) {
    let read: { text: string; size: number; mtimeMs: number };
    try {
      read = readRecord(file);
    } catch (e) {
      if (e instanceof FeedError) throw e;
      throw new FeedError(file, 'a readable OSV record', (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    c.add(file, read.text, read.size, read.mtimeMs);
  }
  return c.done();
}

/**
 * Loads a feed folder through its compiled cache (building and writing it when missing, stale or
 * corrupt). Throws FeedError for an unreadable folder or a malformed record (no cache is written).
 */
export function loadFeedIndex(feedPath: string, options: FeedLoadOptions = {}): FeedLoadResult {
  const feed = resolve(feedPath);
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const noCache = options.noCache ?? env.LIFEGUARD_FEED_CACHE === 'off';
  let quick: QuickFingerprint;
  try {
    quick = quickFingerprint(feed);
  } catch (e) {
    throw new FeedError(feed, 'a readable OSV folder', (e as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  const candidates = feedCacheFiles(feed, { ...options, env });
  let walked: string[] | undefined;
  const walkOnce = (): string[] => {
    try {
      walked ??= walkFeed(feed);
    } catch (e) {
      if (e instanceof FeedError) throw e;
      throw new FeedError(feed, 'a readable OSV folder', (e as NodeJS.ErrnoException).code ?? 'unreadable');
    }
    return walked;
  };
  let reason = noCache ? 'cache off' : 'no cache';
  if (!noCache) {
    for (const file of candidates) {
      const c = readCache(file, feed);
      if (typeof c === 'string') {
        if (c !== 'no cache' || reason === 'no cache') reason = c;
        continue;
      }
      const q = c.header.quick;
      if (q.ino !== quick.ino || q.dev !== quick.dev || q.mtimeMs !== quick.mtimeMs) {
        reason = 'feed changed (folder mtime)';
        continue;
      }
      const bodyText = c.verify();
      if (bodyText === undefined) {
        reason = 'corrupt cache (checksum)';
        continue;
      }
      let index: CompiledFeedIndex;
      try {
        index = new CompiledFeedIndex(bodyText, feed);
      } catch {
        reason = 'corrupt cache (body)';
        continue;
      }
      const age = (now() - c.header.verifiedAt) / 3_600_000;
      const hit = { index, from: 'cache' as const, cacheFile: file, cacheBytes: c.bytes, files: 0 };
      // a new git commit, or an old verification: walk the tree, rebuild only if it differs
      if (q.git === quick.git && !(age >= recheckHours(options))) return hit;
      let deep: DeepFingerprint;
      try {
        deep = deepFingerprint(walkOnce());
      } catch {
        reason = 'feed changed during the full check';
        walked = undefined;
        continue;
      }
      if (sameDeep(deep, c.header.deep)) {
        writeCache([file, ...candidates.filter((f) => f !== file)], { ...c.header, quick, verifiedAt: now() }, bodyText);
        return hit;
      }
      reason = 'feed changed (full check)';
    }
  }
  // (a worker thread reading with many requests in flight was measured 2-4x slower here: dropped)
  const { bodyText, names, records, deep, files } = buildSerial(walkOnce());
  let cacheFile: string | undefined;
  let cacheBytes = 0;
  if (noCache) reason = 'cache off';
  else if (files < minRecordsToCache(options)) reason = `small feed (${files} records): not cached`;
  else {
    // `quick` was taken before the walk: a change during the build makes the next load rebuild
    const written = writeCache(
      candidates,
      { format: CACHE_FORMAT, version: CACHE_VERSION, feed, quick, deep, verifiedAt: now(), names, records },
      bodyText,
    );
    cacheFile = written?.file;
    cacheBytes = written?.bytes ?? 0;
  }
  // the returned index reads the same layout as a cache hit, so both paths answer identically
  return { index: new CompiledFeedIndex(bodyText, feed), from: 'build', reason, cacheFile, cacheBytes, files };
}
