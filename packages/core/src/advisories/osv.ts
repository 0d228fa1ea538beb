import semver from 'semver';
import type { AdvisoryIndex, AdvisoryMatch } from './types';

/**
 * One event of an OSV range, sorted: `i` introduced, `f` fixed, `l` last_affected, `m` limit.
 * Version `"0"` (only with `i`) means "from the first release".
 */
export type RangeEvent = readonly ['i' | 'f' | 'l' | 'm', string];

/**
 * One affected npm package of one OSV record, compiled for lookup. `all` covers
 * `introduced: "0"` with no end and records that name a package without versions:
 * a malicious-package record that does not say which versions means all of them.
 */
export interface AffectedEntry {
  readonly name: string;
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | undefined;
  readonly source: string;
  readonly all: boolean;
  /** Exact versions (`affected[].versions`), normalised to canonical semver where they parse. */
  readonly versions: readonly string[];
  /** SEMVER / ECOSYSTEM ranges, each a list of events sorted by version (GIT ranges are dropped). */
  readonly ranges: readonly (readonly RangeEvent[])[];
}

export class OsvRecordError extends Error {
  override readonly name = 'OsvRecordError';
}

/** Longest summary kept in a compiled entry (reports need a hint, not the whole text). */
const MAX_SUMMARY = 300;
/** npm's own limit on a package name; longer names cannot be installed, so cannot match. */
const MAX_NAME = 214;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Canonical form of a version for exact comparison ("v1.2.3" and "1.2.3" are the same npm release). */
export function normalizeVersion(v: string): string {
  return semver.valid(v) ?? semver.valid(v, { loose: true }) ?? v;
}

function short(s: string): string {
  return s.length > 60 ? JSON.stringify(`${s.slice(0, 57)}...`) : JSON.stringify(s);
}

const EVENT_KEYS = [
  ['introduced', 'i'],
  ['fixed', 'f'],
  ['last_affected', 'l'],
  ['limit', 'm'],
] as const;

function compileRange(range: unknown, where: string): RangeEvent[] | 'git' {
  if (!isObj(range)) throw new OsvRecordError(`${where} must be an object`);
  const type = range.type;
  if (type === 'GIT') return 'git';
  if (type !== undefined && type !== 'SEMVER' && type !== 'ECOSYSTEM') {
    throw new OsvRecordError(`${where}.type must be "SEMVER", "ECOSYSTEM" or "GIT", found ${short(String(type))}`);
  }
  const events = range.events;
  if (!Array.isArray(events) || events.length === 0) throw new OsvRecordError(`${where}.events must be a non-empty array`);
  const out: RangeEvent[] = [];
  events.forEach((ev: unknown, j: number) => {
    if (!isObj(ev)) throw new OsvRecordError(`${where}.events[${j}] must be an object`);
    const found = EVENT_KEYS.filter(([k]) => ev[k] !== undefined);
    if (found.length !== 1) {
      throw new OsvRecordError(`${where}.events[${j}] must have exactly one of introduced, fixed, last_affected, limit`);
    }
    const [key, kind] = found[0] as (typeof EVENT_KEYS)[number];
    const raw = ev[key];
    if (typeof raw !== 'string' || raw === '') throw new OsvRecordError(`${where}.events[${j}].${key} must be a version string`);
    if (kind === 'i' && raw === '0') {
      out.push(['i', '0']);
      return;
    }
    // `limit: "*"` is OSV for "no limit".
    if (kind === 'm' && raw === '*') return;
    const v = semver.valid(raw) ?? semver.valid(raw, { loose: true });
    if (v === null) throw new OsvRecordError(`${where}.events[${j}].${key} is not a semver version: ${short(raw)}`);
    out.push([kind, v]);
  });
  if (!out.some(([k]) => k === 'i')) throw new OsvRecordError(`${where}.events must contain an "introduced" event`);
  // OSV does not require events to be in order: sort by version ("0" first); at one version,
  // introduced before fixed so that [introduced X, fixed X] stays empty as written.
  const rank = { i: 0, l: 1, f: 2, m: 3 } as const;
  out.sort((a, b) => {
    if (a[1] === '0' || b[1] === '0') return a[1] === b[1] ? rank[a[0]] - rank[b[0]] : a[1] === '0' ? -1 : 1;
    return semver.compare(a[1], b[1]) || rank[a[0]] - rank[b[0]];
  });
  return out;
}

/** Whether one compiled range (sorted events) covers a parsed version: the OSV evaluation rule. */
function rangeAffects(v: semver.SemVer, events: readonly RangeEvent[]): boolean {
  let affected = false;
  for (const [kind, at] of events) {
    if (kind === 'i') {
      if (at === '0' || semver.gte(v, at)) affected = true;
      else break;
    } else if (kind === 'f') {
      if (semver.gte(v, at)) affected = false;
      else break;
    } else if (kind === 'l') {
      if (semver.gt(v, at)) affected = false;
      else break;
    } else if (semver.gte(v, at)) {
      return false; // limit: nothing at or above it is in this range
    }
  }
  return affected;
}

function isOpenFromZero(events: readonly RangeEvent[]): boolean {
  return events.length === 1 && events[0]?.[0] === 'i' && events[0][1] === '0';
}

/**
 * Compiles one OSV record into entries (one per affected npm package). Withdrawn records
 * yield none; other ecosystems are skipped. A record that does not follow the OSV shape
 * throws an OsvRecordError whose message starts with `source`.
 */
export function compileOsvRecord(record: unknown, source: string): AffectedEntry[] {
  if (!isObj(record)) throw new OsvRecordError(`${source}: expected an OSV record (a JSON object)`);
  const r = record;
  if (typeof r.id !== 'string' || r.id === '') throw new OsvRecordError(`${source}: OSV record has no "id" string`);
  const id = r.id.length > 200 ? `${r.id.slice(0, 197)}...` : r.id;
  if (r.withdrawn !== undefined && r.withdrawn !== null) return [];
  if (!Array.isArray(r.affected)) throw new OsvRecordError(`${source}: ${id}: "affected" must be an array`);
  const aliases = Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string' && a.length <= 200) : [];
  const summary = typeof r.summary === 'string' && r.summary !== '' ? r.summary.slice(0, MAX_SUMMARY) : undefined;
  const out: AffectedEntry[] = [];
  r.affected.forEach((a: unknown, i: number) => {
    const at = `${source}: ${id}: affected[${i}]`;
    if (!isObj(a)) throw new OsvRecordError(`${at} must be an object`);
    const pkg = a.package;
    if (!isObj(pkg) || typeof pkg.name !== 'string' || typeof pkg.ecosystem !== 'string') {
      throw new OsvRecordError(`${at}.package must have "ecosystem" and "name" strings`);
    }
    if (pkg.ecosystem !== 'npm') return;
    if (pkg.name === '') throw new OsvRecordError(`${at}.package.name must not be empty`);
    if (pkg.name.length > MAX_NAME) return; // not an installable npm name: it can never match
    if (a.versions !== undefined && !Array.isArray(a.versions)) throw new OsvRecordError(`${at}.versions must be an array`);
    if (a.ranges !== undefined && !Array.isArray(a.ranges)) throw new OsvRecordError(`${at}.ranges must be an array`);
    const rawVersions = (a.versions as unknown[] | undefined) ?? [];
    const versions = rawVersions.map((v, j) => {
      if (typeof v !== 'string' || v === '') throw new OsvRecordError(`${at}.versions[${j}] must be a version string`);
      return normalizeVersion(v);
    });
    const ranges: RangeEvent[][] = [];
    let gitOnly = false;
    ((a.ranges as unknown[] | undefined) ?? []).forEach((range, j) => {
      const compiled = compileRange(range, `${at}.ranges[${j}]`);
      if (compiled === 'git') gitOnly = true;
      else ranges.push(compiled);
    });
    if (ranges.length > 0) gitOnly = false;
    // No usable version information (none given, or only GIT commits) means every version:
    // for a malicious-package database, failing closed is the only safe reading.
    const all = ranges.some(isOpenFromZero) || (versions.length === 0 && (ranges.length === 0 || gitOnly));
    out.push({
      name: pkg.name,
      id,
      aliases,
      summary,
      source,
      all,
      versions: all ? [] : [...new Set(versions)],
      ranges: all ? [] : ranges,
    });
  });
  return out;
}

/** Already canonical semver (what the registry hands out): normalising it is the identity. */
const CANONICAL = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/** Whether an entry covers this exact release. */
export function entryAffects(entry: AffectedEntry, version: string): boolean {
  if (entry.all) return true;
  if (entry.versions.length > 0) {
    if (entry.versions.includes(version)) return true;
    if (!CANONICAL.test(version) && entry.versions.includes(normalizeVersion(version))) return true;
  }
  if (entry.ranges.length === 0) return false;
  const v = semver.parse(version) ?? semver.parse(version, { loose: true });
  if (v === null) return false; // not a semver version: no range can place it
  return entry.ranges.some((events) => rangeAffects(v, events));
}

/** Most releases match nothing: one shared empty answer, not an allocation per verdict. */
const NO_MATCHES: readonly AdvisoryMatch[] = Object.freeze([]);

/** Name-keyed index over compiled entries: one Map lookup per package, then its few entries. */
export class OsvIndex implements AdvisoryIndex {
  private readonly byName = new Map<string, AffectedEntry[]>();

  constructor(entries: Iterable<AffectedEntry> = []) {
    for (const e of entries) this.add(e);
  }

  // Keyed by lower-case name: a mirror may serve `Event-Stream`, and case-insensitive file systems load it for `event-stream`.
  add(entry: AffectedEntry): void {
    const key = entry.name.toLowerCase();
    const list = this.byName.get(key);
    if (list) list.push(entry);
    else this.byName.set(key, [entry]);
  }

  get size(): number {
    return this.byName.size;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Records affecting this release, one per advisory id (a record may list a package twice). */
  match(name: string, version: string): readonly AdvisoryMatch[] {
    const list = this.byName.get(name.toLowerCase());
    if (list === undefined) return NO_MATCHES;
    const out: AdvisoryMatch[] = [];
    for (const e of list) {
      if (!entryAffects(e, version) || out.some((m) => m.id === e.id)) continue;
      out.push({ id: e.id, aliases: e.aliases, summary: e.summary, source: e.source });
    }
    return out;
  }

  /** Every entry, for the on-disk cache. */
  *entries(): IterableIterator<AffectedEntry> {
    for (const list of this.byName.values()) yield* list;
  }
}

/** Several indexes seen as one (built-in list + each feed); an id found in several is reported once. */
export function mergeIndexes(indexes: readonly AdvisoryIndex[]): AdvisoryIndex {
  if (indexes.length === 1) return indexes[0] as AdvisoryIndex;
  return {
    get size() {
      return indexes.reduce((n, i) => n + i.size, 0);
    },
    has: (name) => indexes.some((i) => i.has(name)),
    // Index loops, not for-of: this runs once per verdict, and the iterators were its main cost.
    match: (name, version) => {
      let out: AdvisoryMatch[] | undefined;
      for (let i = 0; i < indexes.length; i++) {
        const found = indexes[i]!.match(name, version);
        for (let j = 0; j < found.length; j++) {
          const m = found[j]!;
          if (!(out ??= []).some((o) => o.id === m.id)) out.push(m);
        }
      }
      return out ?? NO_MATCHES;
    },
  };
}
