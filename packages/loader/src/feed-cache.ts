import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AdvisoryIndex } from '@lifeguard/core';
import { buildSerial } from './feed-compile';
import { FeedError } from './feed-error';
import { deepFingerprint, quickFingerprint, sameDeep, type DeepFingerprint, type QuickFingerprint } from './feed-fingerprint';
import { CompiledFeedIndex } from './feed-table';
import { walkFeed } from './feed-walk';
import { defaultCacheDir, writeAtomic } from './paths';

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
