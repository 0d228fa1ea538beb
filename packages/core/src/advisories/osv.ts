import semver from 'semver';
import type { AdvisoryIndex, AdvisoryMatch } from './types';

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
  readonly versions: readonly string[];
  /** [introduced, end, endInclusive]; introduced "0" means from the first release; end null means open. */
  readonly ranges: readonly (readonly [string, string | null, boolean])[];
}

export class OsvRecordError extends Error {
  override readonly name = 'OsvRecordError';
}

/** Compiles one OSV record into entries (one per affected npm package). Withdrawn records yield none. */
export function compileOsvRecord(record: unknown, source: string): AffectedEntry[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new OsvRecordError(`${source}: expected an OSV record (a JSON object)`);
  }
  const r = record as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') throw new OsvRecordError(`${source}: OSV record has no "id" string`);
  if (r.withdrawn !== undefined && r.withdrawn !== null) return [];
  if (!Array.isArray(r.affected)) throw new OsvRecordError(`${source}: ${r.id}: "affected" must be an array`);
  const aliases = Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string') : [];
  const summary = typeof r.summary === 'string' ? r.summary : undefined;
  const out: AffectedEntry[] = [];
  r.affected.forEach((a: unknown, i: number) => {
    if (typeof a !== 'object' || a === null) throw new OsvRecordError(`${source}: ${r.id}: affected[${i}] must be an object`);
    const aff = a as Record<string, unknown>;
    const pkg = aff.package as Record<string, unknown> | undefined;
    if (typeof pkg !== 'object' || pkg === null || typeof pkg.name !== 'string' || typeof pkg.ecosystem !== 'string') {
      throw new OsvRecordError(`${source}: ${r.id}: affected[${i}].package must have "ecosystem" and "name" strings`);
    }
    if (pkg.ecosystem !== 'npm') return;
    const versions = Array.isArray(aff.versions) ? aff.versions.filter((v): v is string => typeof v === 'string') : [];
    const ranges: [string, string | null, boolean][] = [];
    let all = false;
    const rawRanges = Array.isArray(aff.ranges) ? aff.ranges : [];
    for (const range of rawRanges as unknown[]) {
      const events = (range as { events?: unknown })?.events;
      if (!Array.isArray(events)) throw new OsvRecordError(`${source}: ${r.id}: affected[${i}].ranges[].events must be an array`);
      let introduced: string | null = null;
      for (const ev of events as Record<string, unknown>[]) {
        if (typeof ev?.introduced === 'string') {
          if (introduced !== null) ranges.push([introduced, null, false]);
          introduced = ev.introduced;
        } else if (typeof ev?.fixed === 'string' || typeof ev?.limit === 'string') {
          ranges.push([introduced ?? '0', (ev.fixed ?? ev.limit) as string, false]);
          introduced = null;
        } else if (typeof ev?.last_affected === 'string') {
          ranges.push([introduced ?? '0', ev.last_affected, true]);
          introduced = null;
        }
      }
      if (introduced !== null) ranges.push([introduced, null, false]);
    }
    if (ranges.some(([from, to]) => from === '0' && to === null)) all = true;
    if (versions.length === 0 && ranges.length === 0) all = true;
    out.push({ name: pkg.name, id: r.id as string, aliases, summary, source, all, versions: all ? [] : versions, ranges: all ? [] : ranges });
  });
  return out;
}

function inRange(version: string, [from, to, inclusive]: readonly [string, string | null, boolean]): boolean {
  const v = semver.parse(version);
  if (v === null) return false;
  if (from !== '0') {
    const f = semver.parse(from);
    if (f === null || semver.lt(v, f)) return false;
  }
  if (to === null) return true;
  const t = semver.parse(to);
  if (t === null) return false;
  return inclusive ? semver.lte(v, t) : semver.lt(v, t);
}

export function entryAffects(entry: AffectedEntry, version: string): boolean {
  if (entry.all) return true;
  if (entry.versions.includes(version)) return true;
  return entry.ranges.some((r) => inRange(version, r));
}

/** Name-keyed index over compiled entries: one Map lookup per package, then its few entries. */
export class OsvIndex implements AdvisoryIndex {
  private readonly byName = new Map<string, AffectedEntry[]>();

  constructor(entries: Iterable<AffectedEntry> = []) {
    for (const e of entries) this.add(e);
  }

  add(entry: AffectedEntry): void {
    const list = this.byName.get(entry.name);
    if (list) list.push(entry);
    else this.byName.set(entry.name, [entry]);
  }

  get size(): number {
    return this.byName.size;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  match(name: string, version: string): AdvisoryMatch[] {
    const list = this.byName.get(name);
    if (list === undefined) return [];
    const out: AdvisoryMatch[] = [];
    for (const e of list) if (entryAffects(e, version)) out.push({ id: e.id, aliases: e.aliases, summary: e.summary, source: e.source });
    return out;
  }

  /** Every entry, for the on-disk cache. */
  *entries(): IterableIterator<AffectedEntry> {
    for (const list of this.byName.values()) yield* list;
  }
}

/** Several indexes seen as one (built-in list + each feed). */
export function mergeIndexes(indexes: readonly AdvisoryIndex[]): AdvisoryIndex {
  if (indexes.length === 1) return indexes[0] as AdvisoryIndex;
  return {
    get size() {
      return indexes.reduce((n, i) => n + i.size, 0);
    },
    has: (name) => indexes.some((i) => i.has(name)),
    match: (name, version) => indexes.flatMap((i) => i.match(name, version)),
  };
}
