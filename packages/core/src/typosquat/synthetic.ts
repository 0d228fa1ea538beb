/**
 * Seeded generator of synthetic typosquats of popular names, one trick at a time, for the
 * per-trick evaluation (test/eval/typosquat.test.ts, bench/typosquat.bench.mjs, docs/detection.md).
 * Pure and deterministic: the same seed gives the same squats.
 */

export const TRICKS = ['omission', 'repetition', 'swap', 'adjacent-key', 'separator', 'affix', 'scope', 'homoglyph'] as const;
export type Trick = (typeof TRICKS)[number];

export interface SyntheticSquat {
  readonly trick: Trick;
  readonly name: string;
  readonly imitates: string;
  readonly rank: number;
}

/** mulberry32: small, fast, good enough for sampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYBOARD: Record<string, string> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'adwx', d: 'sfec', f: 'dgrv', g: 'fhtb', h: 'gjyn', j: 'hkum', k: 'jli', l: 'kop',
  z: 'xa', x: 'zcs', c: 'xvd', v: 'cbf', b: 'vng', n: 'bmh', m: 'nj',
};
const HOMOGLYPHS: ReadonlyArray<readonly [string, string]> = [
  ['m', 'rn'], ['o', '0'], ['l', '1'], ['w', 'vv'],
  ['a', '\u0430'], ['e', '\u0435'], ['o', '\u043e'], ['p', '\u0440'], ['c', '\u0441'], ['x', '\u0445'], ['i', '\u0456'],
];
const AFFIXES: ReadonlyArray<(n: string) => string> = [(n) => `node-${n}`, (n) => `${n}-js`, (n) => `${n}js`, (n) => `${n}.js`];
const isLetter = (ch: string | undefined): boolean => ch !== undefined && ch >= 'a' && ch <= 'z';

function split(name: string): { scope: string; bare: string } | undefined {
  const m = /^@([^/]+)\/(.+)$/.exec(name);
  return m ? { scope: m[1]!, bare: m[2]! } : undefined;
}

/** One squat of `name` by `trick`, or undefined when the trick does not apply to that name. */
export function squat(name: string, trick: Trick, rnd: () => number): string | undefined {
  const scoped = split(name);
  // Edits land in the bare name (scope tricks are their own trick).
  const prefix = scoped ? `@${scoped.scope}/` : '';
  const bare = scoped ? scoped.bare : name;
  const pick = (n: number): number => Math.floor(rnd() * n);
  const positions = (ok: (i: number) => boolean): number[] => [...bare].map((_, i) => i).filter(ok);
  const choose = (xs: number[]): number | undefined => (xs.length === 0 ? undefined : xs[pick(xs.length)]);
  switch (trick) {
    case 'omission': {
      const i = choose(positions((k) => isLetter(bare[k])));
      return i === undefined ? undefined : prefix + bare.slice(0, i) + bare.slice(i + 1);
    }
    case 'repetition': {
      const i = choose(positions((k) => isLetter(bare[k])));
      return i === undefined ? undefined : prefix + bare.slice(0, i + 1) + bare.slice(i);
    }
    case 'swap': {
      const i = choose(positions((k) => isLetter(bare[k]) && isLetter(bare[k + 1]) && bare[k] !== bare[k + 1]));
      return i === undefined ? undefined : prefix + bare.slice(0, i) + bare[i + 1] + bare[i] + bare.slice(i + 2);
    }
    case 'adjacent-key': {
      const i = choose(positions((k) => isLetter(bare[k])));
      if (i === undefined) return undefined;
      const near = KEYBOARD[bare[i]!]!;
      return prefix + bare.slice(0, i) + near[pick(near.length)] + bare.slice(i + 1);
    }
    case 'separator': {
      const seps = positions((k) => '-_.'.includes(bare[k]!));
      const i = choose(seps);
      if (i !== undefined) {
        const to = ['', '_', '.', ''][pick(4)]!;
        return prefix + bare.slice(0, i) + (to === bare[i] ? '' : to) + bare.slice(i + 1);
      }
      const j = choose(positions((k) => k > 0 && isLetter(bare[k - 1]) && isLetter(bare[k])));
      return j === undefined ? undefined : prefix + bare.slice(0, j) + '-' + bare.slice(j);
    }
    case 'affix':
      return scoped ? undefined : AFFIXES[pick(AFFIXES.length)]!(name);
    case 'scope': {
      if (!scoped) return undefined;
      const kind = pick(3);
      if (kind === 0) return `${scoped.scope}-${scoped.bare}`; // flattened
      const s = scoped.scope;
      const k = pick(s.length);
      if (kind === 1) return `@${s.slice(0, k + 1)}${s.slice(k)}/${scoped.bare}`; // doubled letter in scope
      const t = Math.min(k, s.length - 2);
      if (t < 0 || s[t] === s[t + 1]) return undefined;
      return `@${s.slice(0, t)}${s[t + 1]}${s[t]}${s.slice(t + 2)}/${scoped.bare}`; // swapped letters in scope
    }
    case 'homoglyph': {
      const options = HOMOGLYPHS.filter(([from]) => bare.includes(from));
      if (options.length === 0) return undefined;
      const [from, to] = options[pick(options.length)]!;
      const at = positions((k) => bare[k] === from);
      const i = at[pick(at.length)]!;
      return prefix + bare.slice(0, i) + to + bare.slice(i + 1);
    }
  }
}

/**
 * Up to `perTrick` squats per trick of names drawn from ranks `skip + 1` to `topN` of `popular` (scope
 * tricks draw from the scoped names among them, the others from the unscoped ones). Squats that are themselves popular are skipped.
 */
export function syntheticSquats(
  popular: readonly string[],
  options: { seed: number; perTrick: number; topN: number; skip?: number },
): SyntheticSquat[] {
  const rnd = seededRandom(options.seed);
  const pool = popular.slice(options.skip ?? 0, options.topN);
  const known = new Set(popular);
  const out: SyntheticSquat[] = [];
  for (const trick of TRICKS) {
    // A scope belongs to its publisher, so an attacker can only imitate a scoped name through the
    // scope itself; every other trick is applied to unscoped names.
    const candidates = pool.filter((n) => n.startsWith('@') === (trick === 'scope'));
    let made = 0;
    for (let tries = 0; made < options.perTrick && tries < options.perTrick * 20; tries++) {
      const imitates = candidates[Math.floor(rnd() * candidates.length)]!;
      const name = squat(imitates, trick, rnd);
      if (name === undefined || name === imitates || known.has(name)) continue;
      out.push({ trick, name, imitates, rank: popular.indexOf(imitates) + 1 });
      made++;
    }
  }
  return out;
}

const ANY4 = { minLength: 4, maxRank: Infinity };
/**
 * "Near a popular name" for the evaluation (positives and negatives alike), fixed independently
 * of `DEFAULT_TUNING` so that tuning cannot move the sample: the shared data's own definition of a
 * computed pair (one edit on a target of 4+ characters, two on one of 6+ ranked under 3,000,
 * equality after removing separators, common affixes or a version, scope flattening), with no
 * sparing rule, plus the medium extra-word shape.
 */
export const NEIGHBOURHOOD_TUNING = {
  edit1: [ANY4],
  farSubstitution: [ANY4],
  swapOrRepeat: [ANY4],
  separatorEdit: [ANY4],
  edit2: [{ minLength: 6, maxRank: 3000 }],
  separator: [{ minLength: 3, maxRank: Infinity }],
  flatten: [ANY4],
  homoglyph: [ANY4],
  affix: [{ minLength: 3, maxRank: Infinity }],
  caseEstablishedMin: 20_000,
  popularDownloads: 0,
  versionSuffixMaxRank: Infinity,
  lastLetterMinLength: 4,
  extraWordMinLength: 5,
  extraWordMaxRank: Infinity,
  edit2SameLength: false,
  digitEdits: true,
  realWords: false,
  sharedPrefixMin: Infinity,
} as const;
