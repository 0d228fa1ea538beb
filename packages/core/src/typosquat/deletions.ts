/**
 * A symmetric-deletion index over names, keyed by 32-bit polynomial hashes so that neither the
 * build nor a lookup allocates strings. Two strings are within OSA distance k only if some
 * string reachable from both by at most k deletions is shared, so a name's candidates are the
 * targets that share a deletion key with it. Hash collisions only add candidates, which the
 * caller verifies with an exact distance.
 */

const BASE = 0x01000193; // odd, so it has an inverse modulo 2^32
const MAX_LEN = 214; // npm's limit on a package name

function inverse(b: number): number {
  let x = b;
  for (let i = 0; i < 5; i++) x = Math.imul(x, (2 - Math.imul(b, x)) | 0);
  return x | 0;
}
const INV = inverse(BASE);
const INV2 = Math.imul(INV, INV);
const POW = new Int32Array(MAX_LEN + 2);
POW[0] = 1;
for (let i = 1; i < POW.length; i++) POW[i] = Math.imul(POW[i - 1]!, BASE);

/** prefix[i] = hash of s[0, i): sum of code(s[k]) * BASE^k modulo 2^32. Shared scratch buffer. */
const prefix = new Int32Array(MAX_LEN + 2);
function fillPrefix(s: string): void {
  let h = 0;
  prefix[0] = 0;
  for (let i = 0; i < s.length; i++) {
    h = (h + Math.imul(s.charCodeAt(i), POW[i]!)) | 0;
    prefix[i + 1] = h;
  }
}

/** Mixes a string hash with the string's length into a well-spread non-zero table key. */
function key(h: number, len: number): number {
  let x = (h ^ Math.imul(len + 1, 0x9e3779b1)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x === 0 ? 1 : x;
}

/**
 * Open-addressing multimap from deletion key to target id: one Int32Array of (key, id + 1)
 * pairs, so a probe touches one cache line; duplicates are allowed; load stays under 5/8.
 */
export class DeletionIndex {
  private table: Int32Array;
  private mask: number;
  private size = 0;

  constructor(
    private readonly depth: 1 | 2,
    expectedKeys: number,
  ) {
    let cap = 1024;
    while (cap * 5 < expectedKeys * 8) cap *= 2;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Number of keys `add` stores for a name of this length. */
  static keysFor(length: number, depth: 1 | 2): number {
    return 1 + length + (depth === 2 ? (length * (length - 1)) / 2 : 0);
  }

  /**
   * Indexes `name` (lower-case) as target `id` (>= 0), with deletions at positions before `upTo`
   * only (a scoped name's edits that matter are in its scope: see the caller).
   */
  add(name: string, id: number, upTo = name.length): void {
    const n = name.length;
    if (n > MAX_LEN) return;
    if ((this.size + DeletionIndex.keysFor(n, this.depth)) * 8 > (this.mask + 1) * 5) this.grow();
    fillPrefix(name);
    const whole = prefix[n]!;
    const v = id + 1;
    this.insert(key(whole, n), v);
    if (this.depth === 2) {
      for (let i = 0; i < upTo; i++) {
        const pi = prefix[i]!;
        const pi1 = prefix[i + 1]!;
        this.insert(key((pi + Math.imul((whole - pi1) | 0, INV)) | 0, n - 1), v);
        for (let j = i + 1; j < n; j++) {
          const h2 = (pi + Math.imul((prefix[j]! - pi1) | 0, INV) + Math.imul((whole - prefix[j + 1]!) | 0, INV2)) | 0;
          this.insert(key(h2, n - 2), v);
        }
      }
      return;
    }
    // Depth 1, the bulk of the build: hashing and probing written out, since this loop runs
    // mostly before the JIT has compiled anything.
    const t = this.table;
    const mask = this.mask;
    const lenMix = Math.imul(n, 0x9e3779b1);
    for (let i = 0; i < upTo; i++) {
      let x = ((prefix[i]! + Math.imul((whole - prefix[i + 1]!) | 0, INV)) ^ lenMix) | 0;
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      if (x === 0) x = 1;
      let slot = x & mask;
      while (t[slot << 1] !== 0) slot = (slot + 1) & mask;
      t[slot << 1] = x;
      t[(slot << 1) | 1] = v;
    }
    this.size += upTo;
  }

  /** Makes room for `more` further keys at once (one rehash instead of several doublings). */
  reserve(more: number): void {
    let cap = this.mask + 1;
    while ((this.size + more) * 8 > cap * 5) cap *= 2;
    if (cap !== this.mask + 1) this.resize(cap);
  }

  private insert(k: number, v: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = k & mask;
    while (t[i << 1] !== 0) i = (i + 1) & mask;
    t[i << 1] = k;
    t[(i << 1) | 1] = v;
    this.size++;
  }

  private grow(): void {
    this.resize((this.mask + 1) * 2);
  }

  private resize(cap: number): void {
    const old = this.table;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.insert(old[i]!, old[i + 1]!);
  }

  private probe(k: number, visit: (id: number) => void): void {
    const t = this.table;
    const mask = this.mask;
    let i = k & mask;
    let stored: number;
    while ((stored = t[i << 1]!) !== 0) {
      if (stored === k) visit(t[(i << 1) | 1]! - 1);
      i = (i + 1) & mask;
    }
  }

  /** Calls `visit` with every target id sharing a key with `name` (ids may repeat); deletions before `upTo` only. */
  candidates(name: string, visit: (id: number) => void, upTo = name.length): void {
    const n = name.length;
    if (n > MAX_LEN) return;
    fillPrefix(name);
    const whole = prefix[n]!;
    this.probe(key(whole, n), visit);
    for (let i = 0; i < upTo; i++) {
      const pi = prefix[i]!;
      const pi1 = prefix[i + 1]!;
      this.probe(key((pi + Math.imul((whole - pi1) | 0, INV)) | 0, n - 1), visit);
      if (this.depth === 1) continue;
      for (let j = i + 1; j < n; j++) {
        const h2 = (pi + Math.imul((prefix[j]! - pi1) | 0, INV) + Math.imul((whole - prefix[j + 1]!) | 0, INV2)) | 0;
        this.probe(key(h2, n - 2), visit);
      }
    }
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition), or `max + 1`
 * as soon as it is certain to exceed `max`.
 */
export function osaDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m]!, max + 1);
}

/**
 * Candidates within two substitutions or swaps of a target of the same length: split every
 * string into four position-aligned parts; two strings of equal length that differ in at most
 * three positions share at least one part exactly. Four lookups per query.
 */
export class SameLengthIndex {
  private readonly parts = new Map<string, number[]>();

  private static keys(s: string): string[] {
    const n = s.length;
    const out: string[] = [];
    for (let i = 0; i < 4; i++) out.push(`${n}:${i}:${s.slice(Math.floor((i * n) / 4), Math.floor(((i + 1) * n) / 4))}`);
    return out;
  }

  add(name: string, id: number): void {
    for (const k of SameLengthIndex.keys(name)) {
      const list = this.parts.get(k);
      if (list) list.push(id);
      else this.parts.set(k, [id]);
    }
  }

  candidates(name: string, visit: (id: number) => void): void {
    for (const k of SameLengthIndex.keys(name)) {
      const list = this.parts.get(k);
      if (list) for (const id of list) visit(id);
    }
  }
}
