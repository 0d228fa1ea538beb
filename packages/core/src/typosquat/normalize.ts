/**
 * Name normal forms used by the typosquat index. Every function here is pure and cheap: the
 * index computes them once per popular name at build time and once per checked name.
 */

/** Characters npm users read as word separators. */
const SEPARATORS = /[-_.]/g;

/** Splits `@scope/name` into its parts; unscoped names have `scope === undefined`. */
export function splitScope(name: string): { scope: string | undefined; bare: string } {
  if (name.charCodeAt(0) === 64 /* @ */) {
    const slash = name.indexOf('/');
    if (slash > 1) return { scope: name.slice(1, slash), bare: name.slice(slash + 1) };
  }
  return { scope: undefined, bare: name };
}

/** What splits a name into words: `@scope/lodash.get-x` -> `scope`, `lodash`, `get`, `x` (and an empty first part). */
export const WORD_SPLIT = /[-_.@/]/;

/** Lower case, separators removed, scope flattened: `@Types/lodash-es` -> `typeslodashes`. */
const SEPLESS = /[-_.@/]/g;
export function sepless(name: string): string {
  return name.toLowerCase().replace(SEPLESS, '');
}

/**
 * Single characters (mostly Cyrillic and Greek) that render like a Latin letter or digit, plus
 * full-width forms handled by NFKC. Not exhaustive: the common look-alikes used in the wild.
 */
const CONFUSABLE_CHARS: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', с: 'c', ԁ: 'd', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h',
  о: 'o', р: 'p', ԛ: 'q', г: 'r', ѕ: 's', т: 't', ц: 'u', ѵ: 'v', ԝ: 'w', х: 'x', у: 'y', з: '3', ь: 'b',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
  // Latin extensions and symbols
  ı: 'i', ȷ: 'j', ł: 'l', ɡ: 'g', ɑ: 'a', ʟ: 'l', ɩ: 'i', ꞁ: 'l', '|': 'l', ǀ: 'l',
};

/** ASCII look-alikes, applied after lower-casing: digits and letter pairs that read as one letter. */
const ASCII_LOOKALIKES: ReadonlyArray<readonly [RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/1/g, 'l'],
];

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING = /[\u0300-\u036f]/g;

/** True when the name has characters outside ASCII (npm refuses them for new names). */
export const hasNonAscii = (name: string): boolean => NON_ASCII.test(name);

/** Maps non-ASCII look-alikes to the ASCII letter they imitate; other characters are kept. */
export function foldUnicode(name: string): string {
  if (!NON_ASCII.test(name)) return name;
  const decomposed = name.normalize('NFKD').replace(COMBINING, '');
  let out = '';
  for (const ch of decomposed) out += CONFUSABLE_CHARS[ch] ?? CONFUSABLE_CHARS[ch.toLowerCase()] ?? ch;
  return out;
}

/**
 * The visual skeleton of a name: two names with the same skeleton look alike to a reader
 * (`rnocha`/`mocha`, `l0dash`/`lodash`, `lodaѕh`/`lodash`). Case and separators are kept apart
 * (those are the separator trick); `I` and `1` read as `l`.
 */
const LOOKALIKE_HINT = /rn|vv|[01I]|[^\x00-\x7f]/;

export function skeleton(name: string): string {
  if (!LOOKALIKE_HINT.test(name)) return name.toLowerCase();
  let s = foldUnicode(name);
  s = s.replace(/I/g, 'l').toLowerCase();
  for (const [re, to] of ASCII_LOOKALIKES) s = s.replace(re, to);
  return s;
}

/** Words that packages commonly add around a name: `node-x`, `x-js`, `x.js`, `xjs`. */
const AFFIX_WORDS = new Set(['js', 'node', 'nodejs', 'npm']);

/**
 * The forms of a name with one common affix removed (on a separator boundary, or a glued `js`
 * suffix), each paired with the affix and whether it is a version number, separator-less: `node-pdfmake` -> [`pdfmake`, `node-`],
 * `ethersjs` -> [`ethers`, `js`], `remark-stringify10` -> [`remarkstringify`, `10`].
 */
export function affixStripped(name: string): Array<readonly [string, string, boolean]> {
  const { scope, bare } = splitScope(name.toLowerCase());
  if (scope !== undefined) return [];
  const out: Array<readonly [string, string, boolean]> = [];
  const parts = bare.split(/[-_.]/);
  if (parts.length >= 2) {
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    if (AFFIX_WORDS.has(first)) out.push([parts.slice(1).join(''), `${first}-`, false]);
    if (AFFIX_WORDS.has(last)) out.push([parts.slice(0, -1).join(''), `-${last}`, false]);
  }
  const flat = parts.join('');
  if (flat.length > 4 && flat.endsWith('js')) out.push([flat.slice(0, -2), 'js', false]);
  if (flat.length >= 8 && parts[0] !== 'node' && flat.startsWith('node')) out.push([flat.slice(4), 'node', false]);
  // A version-like suffix: `viem-2`, `picomatch3`, `undici-v7`, `remark-stringify10`. Forks and
  // majors that people use (`mkdirp2`) are spared by the popularity snapshot.
  const ver = /^(.*?[a-z])[-_.]?v?(\d{1,3})$/.exec(bare);
  if (ver) out.push([ver[1]!.replace(SEPARATORS, ''), bare.slice(ver[1]!.length), true]);
  return out;
}

/** QWERTY neighbours, for wording ("a neighbouring key") and the adjacent-key trick. */
const KEY_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const KEY_POS = new Map<string, readonly [number, number]>();
KEY_ROWS.forEach((row, r) => [...row].forEach((ch, c) => KEY_POS.set(ch, [r, c + r * 0.5])));

export function adjacentKeys(a: string, b: string): boolean {
  const pa = KEY_POS.get(a);
  const pb = KEY_POS.get(b);
  if (!pa || !pb || a === b) return false;
  return Math.abs(pa[0] - pb[0]) <= 1 && Math.abs(pa[1] - pb[1]) <= 1;
}
