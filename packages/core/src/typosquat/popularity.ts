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
  const targets = [...npmHighImpact, ...extra.map((r) => r.slice(0, -2))];
  let established: Map<string, number> | undefined;
  return {
    ...SNAPSHOT,
    targets,
    targetDownloads: (id) =>
      id < npmHighImpact.length ? count2(TARGET_DOWNLOADS, id * 2) : id < targets.length ? count2(extra[id - npmHighImpact.length]!, extra[id - npmHighImpact.length]!.length - 2) : undefined,
    established(name) {
      if (!established) {
        // Front-coded rows: shared-prefix length (char code - 48), the rest of the name, the count.
        established = new Map();
        let prev = '';
        if (ESTABLISHED !== '') {
          for (const r of ESTABLISHED.split('\n')) {
            prev = prev.slice(0, r.charCodeAt(0) - 48) + r.slice(1, -2);
            established.set(prev, count2(r, r.length - 2)!);
          }
        }
      }
      return established.get(name);
    },
  };
}

let snapshot: PopularitySnapshot | undefined;
/** The built-in snapshot, decoded once per process on first call. */
export function popularitySnapshot(): PopularitySnapshot {
  return (snapshot ??= decode());
}
