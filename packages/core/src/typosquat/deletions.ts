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

/** Calls `emit` with the key of `s` and of every string made by deleting up to `depth` (1 or 2) characters. */
function forEachKey(s: string, depth: number, emit: (k: number) => void): void {
  const n = s.length;
  fillPrefix(s);
  const whole = prefix[n]!;
  emit(key(whole, n));
  for (let i = 0; i < n; i++) {
    // delete s[i]
    const h1 = (prefix[i]! + Math.imul((whole - prefix[i + 1]!) | 0, INV)) | 0;
    emit(key(h1, n - 1));
    if (depth < 2) continue;
    for (let j = i + 1; j < n; j++) {
      const h2 =
        (prefix[i]! + Math.imul((prefix[j]! - prefix[i + 1]!) | 0, INV) + Math.imul((whole - prefix[j + 1]!) | 0, INV2)) | 0;
      emit(key(h2, n - 2));
    }
  }
}

/** Open-addressing multimap from deletion key to target id. */
export class DeletionIndex {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private size = 0;

  constructor(
    private readonly depth: 1 | 2,
    expectedKeys: number,
  ) {
    let cap = 1024;
    while (cap < expectedKeys * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Indexes `name` (lower-case) as target `id` (>= 0). */
  add(name: string, id: number): void {
    if (name.length > MAX_LEN) return;
    forEachKey(name, this.depth, (k) => this.insert(k, id + 1));
  }

  private insert(k: number, v: number): void {
    if (this.size * 2 >= this.keys.length) this.grow();
    let i = k & this.mask;
    while (this.keys[i] !== 0) {
      if (this.keys[i] === k && this.vals[i] === v) return;
      i = (i + 1) & this.mask;
    }
    this.keys[i] = k;
    this.vals[i] = v;
    this.size++;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Int32Array(oldK.length * 2);
    this.vals = new Int32Array(oldK.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < oldK.length; i++) if (oldK[i] !== 0) this.insert(oldK[i]!, oldV[i]!);
  }

  /** Calls `visit` with every target id sharing a key with `name` (ids may repeat). */
  candidates(name: string, visit: (id: number) => void): void {
    if (name.length > MAX_LEN) return;
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    forEachKey(name, this.depth, (k) => {
      let i = k & mask;
      let stored: number;
      while ((stored = keys[i]!) !== 0) {
        if (stored === k) visit(vals[i]! - 1);
        i = (i + 1) & mask;
      }
    });
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
