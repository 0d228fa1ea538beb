import { npmHighImpact } from 'npm-high-impact';
import { ESTABLISHED, EXTRA_TARGETS, SNAPSHOT, TARGET_DOWNLOADS } from './popularity-data';

/**
 * Monthly npm downloads from one pinned snapshot (scripts/popularity/build.mjs), as a prior on
 * which names are real: an established look-alike (at or above `floor`) is a package people use,
 * not a fresh squat. The table holds only what the detector needs (its targets, and every
 * established name its rules flag), decoded on first use: a verdict on an ordinary name never
 * pays for it. Counts have two significant digits.
 */
export interface PopularitySnapshot {
  /** `download-counts@<version>`. */
  readonly source: string;
  /** The month counted, `YYYY-MM`. */
  readonly month: string;
  /** Downloads a month from which a look-alike counts as established. */
  readonly floor: number;
  /** The imitation targets: npm-high-impact in its order, then the most downloaded names it lacks. */
  readonly targets: readonly string[];
  /** Monthly downloads of `targets[id]` (undefined when the snapshot does not count it). */
  targetDownloads(id: number): number | undefined;
  /** Monthly downloads of an established look-alike (exact spelling), else undefined. */
  established(name: string): number | undefined;
}

/** Two base-36 characters: `exponent * 100 + mantissa` (see the generator); `zz` = not counted. */
const count2 = (s: string, at: number): number | undefined => {
  const v = parseInt(s.slice(at, at + 2), 36);
  return v === 1295 ? undefined : (v % 100) * 10 ** Math.floor(v / 100);
};

function decode(): PopularitySnapshot {
  const extra = EXTRA_TARGETS === '' ? [] : EXTRA_TARGETS.split('\n');
  // Read once: each read of the list goes through the bundle's lazy getters.
  const high = npmHighImpact;
  const targets = high.concat(extra.map((r) => r.slice(0, -2)));
  return {
    ...SNAPSHOT,
    targets,
    targetDownloads: (id) =>
      id < high.length ? count2(TARGET_DOWNLOADS, id * 2) : id < targets.length ? count2(extra[id - high.length]!, extra[id - high.length]!.length - 2) : undefined,
    established,
  };
}

/**
 * Rows are `\n` + name + two count characters, sorted, ending in `\n`. The first lookups search
 * the text (an install looks up the few names a rule matched, so nothing is decoded); once
 * lookups keep coming (`lifeguard check` of a big lockfile, benchmarks) a map is built once.
 */
const SEARCHES_BEFORE_MAP = 32;
let searches = 0;
let byName: Map<string, number> | undefined;
function established(name: string): number | undefined {
  if (byName) return byName.get(name);
  if (++searches > SEARCHES_BEFORE_MAP) {
    byName = new Map();
    for (let at = 1; at < ESTABLISHED.length; ) {
      const end = ESTABLISHED.indexOf('\n', at);
      byName.set(ESTABLISHED.slice(at, end - 2), count2(ESTABLISHED, end - 2)!);
      at = end + 1;
    }
    return byName.get(name);
  }
  if (name.length === 0 || name.includes('\n')) return undefined;
  const needle = `\n${name}`;
  for (let at = ESTABLISHED.indexOf(needle); at !== -1; at = ESTABLISHED.indexOf(needle, at + 1)) {
    const end = at + needle.length + 2;
    if (ESTABLISHED.charCodeAt(end) === 10) return count2(ESTABLISHED, end - 2);
  }
  return undefined;
}

/** `95,000 downloads a month` (no Intl: its first use costs a fresh process milliseconds). */
export function perMonth(n: number): string {
  return `${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} downloads a month`;
}

let snapshot: PopularitySnapshot | undefined;
/** The built-in snapshot, decoded once per process on first call. */
export function popularitySnapshot(): PopularitySnapshot {
  return (snapshot ??= decode());
}
