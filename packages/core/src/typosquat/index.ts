import { DeletionIndex, osaDistance, SameLengthIndex } from './deletions';
import { adjacentKeys, affixStripped, foldUnicode, hasNonAscii, sepless, skeleton, splitScope, WORD_SPLIT } from './normalize';
import { IdsByKey } from './groups';
import { DEFAULT_TUNING, loosest, qualifies, type Tier, type TyposquatTuning } from './tuning';
import { popularitySnapshot } from './popularity';
import type { TyposquatConfidence, TyposquatExplanation, TyposquatIndex, TyposquatMatch, TyposquatTechnique } from './types';
import { Vocabulary } from './vocabulary';

export type { TyposquatTuning, Tier } from './tuning';
export { DEFAULT_TUNING } from './tuning';

export interface TyposquatIndexOptions {
  /** Override the distance/rank tiers (see tuning.ts). */
  readonly tuning?: Partial<TyposquatTuning>;
  /** Further names known to be legitimate: never flagged, never imitation targets. */
  readonly knownLegit?: Iterable<string>;
  /**
   * Monthly downloads of an established look-alike (at or above the snapshot's floor), else
   * undefined: such a name is a package people use, never reported as a typosquat.
   */
  readonly established?: (name: string) => number | undefined;
  /**
   * Monthly downloads of `popular[id]`: rank alone undersells names that are downloaded a lot but
   * few packages depend on (`viem`, rank 10,692 on npm-high-impact).
   */
  readonly targetDownloads?: (id: number) => number | undefined;
}

export interface TyposquatDetector extends TyposquatIndex {
  /**
   * What `check` would say if `name` were not known: the closest other popular name it imitates.
   * For `explain`-style output and for measuring false positives on held-out legitimate names.
   */
  checkAsUnknown(name: string): TyposquatMatch | undefined;
  /**
   * The index builds itself piecemeal on first need (one shard at a time); this builds
   * everything at once, for predictable latency and for benchmarks.
   */
  buildAll(): void;
}

/** Everything derived from the popular list, built on the first `check`. */
interface Built {
  /** Lower-case form of `popular[id]`, computed on first need (`lowerOf`). */
  readonly lower: string[];
  /** Separator-less form of `lowerOf(id)`, computed on first need (`formOf`). */
  readonly forms: string[];
  /**
   * Popular name (exact spelling) -> best id, one map per name length, each filled on first need:
   * a fresh process's first verdicts look up a few lengths, and one map of every name costs more
   * than the rest of that verdict.
   */
  readonly knownByLength: (Map<string, number> | undefined)[];
  /** Every id by the length of its exact spelling (`byLength` itself unless lower-casing changed a length). */
  readonly byExactLength: IdsByKey;
  /** Separator-less form -> best-ranked unscoped id; filled one `formKey` bucket at a time (`byFirst`). */
  readonly bySepless: Map<string, number>;
  /** The same for scoped names only (the map above holds unscoped ones). */
  readonly bySeplessScoped: Map<string, number>;
  /** Second-best id per form of either map (so a listed name checked as unknown finds its twin). */
  readonly bySeplessNext: Map<string, number>;
  /** Length of each id's lower-case name, `LONG` for longer. */
  readonly lengths: Uint8Array;
  /** `formKey` of each id's separator-less form. */
  readonly firsts: Uint16Array;
  /** Every id by `firsts`. */
  readonly byFirst: IdsByKey;
  readonly firstLoaded: Uint8Array;
  readonly near1: DeletionIndex;
  /**
   * Target ids by shard, added to `near1` one shard at a time on first need: a shard is (length,
   * first or last one or two characters), see `SHORT`; scoped names only need the last (their
   * edits are in the scope). A target is added once, by whichever of its shards loads first.
   */
  readonly shards: Map<number, number[]>;
  readonly shardLoaded: Set<number>;
  /** Every id by the length of its lower-case name (`LONG` for longer). */
  readonly byLength: IdsByKey;
  /** `byLength.of(len)`, kept once asked for. */
  readonly lengthIds: (number[] | undefined)[];
  /**
   * A length's first shards are found by scanning its targets (a first verdict needs two per
   * length); past `SCANS_BEFORE_SHARDING` the length is sorted into all its shards at once.
   */
  readonly lengthScans: Uint8Array;
  readonly lengthSharded: Uint8Array;
  readonly added: Uint8Array;
  /** Every target is in `near1`: shards no longer matter. */
  allAdded: boolean;
}

/** Scopes of popular names, and scoped names by their bare name: only scoped or scope-dropping checks need these. */
interface Scoped {
  readonly scopes: ReadonlySet<string>;
  readonly byBare: ReadonlyMap<string, number>;
}

/** The two-edit table over the very top names: only names with no closer match reach it. */
interface TwoEdits {
  readonly near2: DeletionIndex | SameLengthIndex;
  readonly maxLen: number;
  /** Lengths of the two-edit targets (a same-length query of another length has none). */
  readonly lengths: Uint8Array;
}

const q = JSON.stringify;
const SEP = /[-_.]/;
/**
 * Shards of the one-edit table. Two names one edit apart share a prefix and a suffix whose lengths
 * add up to at least the shorter length minus two, so: names of 3+ characters share their first
 * or their last character, and names of 5+ share their first two or their last two. A query of
 * length <= SHORT looks in one-character shards, a longer one in two-character shards.
 */
const SHORT = 5;
const FIRST1 = 0;
const LAST1 = 1;
const FIRST2 = 2;
const LAST2 = 3;
/** A character as 7 bits (anything outside ASCII shares 127: shards merge, never split). */
const c7 = (s: string, i: number): number => Math.min(s.charCodeAt(i), 127);
const ends = (s: string, kind: number): number => {
  const n = s.length;
  switch (kind) {
    case FIRST1:
      return c7(s, 0);
    case LAST1:
      return c7(s, n - 1);
    case FIRST2:
      return c7(s, 0) * 128 + c7(s, 1);
    default:
      return c7(s, n - 2) * 128 + c7(s, n - 1);
  }
};
/**
 * How many outcomes of unknown names an index remembers: enough for the names an install repeats.
 * More keeps their objects alive into the old generation, and first-sight names pay for it in GC.
 */
const MAX_OUTCOMES = 2048;
/** Known-name lookups answered from per-length maps before one map of every popular name is built. */
const KNOWN_LOOKUPS_BEFORE_MAP = 256;
/** Shards of one length found by scanning before the length is sorted into all of them (see `Built.lengthScans`). */
const SCANS_BEFORE_SHARDING = 4;
/** Names this long or longer are never edit targets (npm allows 214 characters). */
const LONG = 216;
/** (length, kind, ends) as one small integer. */
const shardKey = (len: number, kind: number, end: number): number => (len * 4 + kind) * 16384 + end;

/**
 * Bucket of a separator-less form: its first two characters, 7 bits each (0 for a missing one or
 * one outside ASCII). Two characters, not one: a first verdict loads the bucket it looks up, and
 * the names starting with `s` alone are a tenth of the list.
 */
const k7 = (c: number): number => (c < 128 ? c : 0);
const formKey = (form: string): number => k7(form.charCodeAt(0)) * 128 + k7(form.charCodeAt(1));
const FORM_KEYS = 128 * 128;
/** `formKey(sepless(name))` for a lower-case name, without building the form. */
function nameFormKey(name: string): number {
  let key = 0;
  let found = 0;
  for (let i = 0; i < name.length && found < 2; i++) {
    const c = name.charCodeAt(i);
    if (c === 64 || c === 45 || c === 46 || c === 95 || c === 47) continue; // @ - . _ /
    key = key * 128 + k7(c);
    found++;
  }
  return found === 2 ? key : found === 1 ? key * 128 : 0;
}
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
/** Equal-length strings that differ only where one of them has a digit (`base58-js`/`base64-js`). */
function onlyDigitsDiffer(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !isDigit(a[i]!) && !isDigit(b[i]!)) return false;
  return true;
}
const scopedKey = (scoped: boolean): string => (scoped ? '@' : '-');
const wordCount = (s: string): number => s.split(WORD_SPLIT).length;
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isSep = (ch: string | undefined): boolean => ch === '-' || ch === '_' || ch === '.';
const DIGITS = /^\d+$/;
const LOOKALIKE_HINT = /rn|vv|[01I]|[^\x00-\x7f]/;
/** Only names with one of these can carry an affix `affixStripped` removes. */
const AFFIX_HINT = /js|node|npm|\d$/;
const NO_AFFIX: ReturnType<typeof affixStripped> = [];

/**
 * The typosquat detector. `popular` is ordered by popularity (index 0 = rank 1); every name in it
 * is legitimate. A checked name is a typosquat when it is not known and imitates a popular name
 * by one of the tricks in `TyposquatTechnique`, with the distance allowed depending on the
 * imitated name's length and rank (`TyposquatTuning`). Building is lazy and costs a few
 * milliseconds; a check is a handful of hash lookups, never a scan of the list.
 */
export function createTyposquatIndex(popular: readonly string[], options: TyposquatIndexOptions = {}): TyposquatDetector {
  const tuning: TyposquatTuning = { ...DEFAULT_TUNING, ...options.tuning };
  /** Known legitimate names that are not imitation targets. */
  const legit = new Set(options.knownLegit ?? []);
  // Every tier a single edit can be judged by; names under 3 characters are never edit targets
  // (the shard rule needs 3+, and such names only have exact tricks anyway).
  const t1 = loosest([...tuning.edit1, ...tuning.farSubstitution, ...tuning.swapOrRepeat, ...tuning.separatorEdit, ...tuning.separator]);
  const near1Tier: Tier = { minLength: Math.max(3, t1.minLength), maxRank: t1.maxRank };
  const sepTier = loosest([...tuning.separator, ...tuning.flatten, ...tuning.affix]);
  let built: Built | undefined;
  const knownOfLength = (b: Built, len: number): Map<string, number> => {
    let map = b.knownByLength[len];
    if (!map) {
      map = b.knownByLength[len] = new Map();
      for (const id of b.byExactLength.of(len)) if (!map.has(popular[id]!)) map.set(popular[id]!, id);
    }
    return map;
  };
  /** Every popular name -> best id, once lookups keep coming: one map answers faster than one per length. */
  let allKnown: Map<string, number> | undefined;
  let knownLookups = 0;
  const knownOfAll = (b: Built): Map<string, number> => {
    const all = new Map<string, number>();
    for (let id = 0; id < popular.length; id++) if (!all.has(popular[id]!)) all.set(popular[id]!, id);
    b.knownByLength.length = 0;
    return all;
  };
  /** The id of a popular name (exact spelling), else undefined. */
  const popularId = (name: string): number | undefined => {
    if (allKnown) return allKnown.get(name);
    const b = (built ??= build());
    if (++knownLookups > KNOWN_LOOKUPS_BEFORE_MAP) return (allKnown = knownOfAll(b)).get(name);
    return knownOfLength(b, Math.min(name.length, LONG)).get(name);
  };
  const isKnown = (name: string): boolean => popularId(name) !== undefined || legit.has(name);
  let scopedTables: Scoped | undefined;
  let twoEditTable: TwoEdits | undefined;
  const vocabulary = new Vocabulary(popular);
  let bySkeleton: Map<string, number> | undefined;

  const skeletons = (): Map<string, number> => {
    if (bySkeleton) return bySkeleton;
    bySkeleton = new Map();
    const tier = loosest(tuning.homoglyph);
    // Only names that themselves contain look-alike characters get entries; a plain name's
    // skeleton is itself (a popular id) and its flat skeleton its separator-less form.
    for (let id = 0; id < popular.length && id < tier.maxRank; id++) {
      const name = popular[id]!;
      if (name.length < tier.minLength || !LOOKALIKE_HINT.test(name)) continue;
      const s = skeleton(name);
      if (!bySkeleton.has(s)) bySkeleton.set(s, id);
      // Look-alikes combined with a separator game (`cr0ssenv`): consulted after exact skeletons.
      const flat = `~${sepless(s)}`;
      if (!bySkeleton.has(flat)) bySkeleton.set(flat, id);
    }
    return bySkeleton;
  };

  const scoped = (b: Built): Scoped => {
    if (scopedTables) return scopedTables;
    const scopes = new Set<string>();
    const byBare = new Map<string, number>();
    const dropTier = loosest(tuning.droppedScope);
    for (let id = 0; id < popular.length; id++) {
      const name = lowerOf(b, id);
      const slash = name.charCodeAt(0) === 64 ? name.indexOf('/') : -1;
      if (slash < 2) continue;
      scopes.add(name.slice(1, slash));
      const bare = name.slice(slash + 1);
      if (bare.length >= dropTier.minLength && id + 1 <= dropTier.maxRank && SEP.test(bare) && !byBare.has(bare)) byBare.set(bare, id);
    }
    return (scopedTables = { scopes, byBare });
  };

  const twoEdits = (b: Built): TwoEdits => {
    if (twoEditTable) return twoEditTable;
    const tier = loosest(tuning.edit2);
    const near2 = tuning.edit2SameLength ? new SameLengthIndex() : new DeletionIndex(2, 1 << 16);
    const lengths = new Uint8Array(216);
    let maxLen = 0;
    for (let id = 0; id < popular.length && id < tier.maxRank; id++) {
      const name = lowerOf(b, id);
      if (name.length < tier.minLength || !qualifies(tuning.edit2, name.length, id + 1)) continue;
      near2.add(name, id);
      maxLen = Math.max(maxLen, name.length);
      if (name.length < lengths.length) lengths[name.length] = 1;
    }
    return (twoEditTable = { near2, maxLen, lengths });
  };

  // One pass over the list: what to filter by (tiers, ranks) is decided when a key's ids are loaded.
  const build = (): Built => {
    const n = popular.length;
    const lower = new Array<string>(n);
    const firsts = new Uint16Array(n);
    const lengths = new Uint8Array(n);
    // Lower-casing keeps a name's length unless it holds `İ` (U+0130 becomes two code units, the
    // only such mapping): then every name is lower-cased up front. Otherwise a name is lower-cased
    // when a verdict first needs it (~0.2 µs each before the JIT, 17,000 of them), and the key of
    // a name (or scope) that starts with two lower-case letters or digits is read off the name itself.
    const eager = popular.join('\n').includes('\u0130');
    for (let id = 0; id < n; id++) {
      const name = eager ? (lower[id] = popular[id]!.toLowerCase()) : popular[id]!;
      lengths[id] = Math.min(name.length, LONG);
      // A scope's `@` is no part of the form (43 % of the names are scoped).
      const at = name.charCodeAt(0) === 64 ? 1 : 0;
      const c = name.charCodeAt(at);
      const c1 = name.charCodeAt(at + 1);
      firsts[id] = isWordChar(c) && isWordChar(c1) ? c * 128 + c1 : nameFormKey(eager ? name : name.toLowerCase());
    }
    const byLength = new IdsByKey(lengths);
    const byExactLength = eager ? new IdsByKey(Uint8Array.from(popular, (name) => Math.min(name.length, LONG))) : byLength;
    // Starts small and doubles as shards load: a first verdict touches a few hundred keys, and
    // a table sized for all 218,000 would page-fault its way through megabytes to store them.
    const near1 = new DeletionIndex(1, 1 << 13);
    return {
      lower, lengths, forms: new Array<string>(n), knownByLength: [], bySepless: new Map(), bySeplessScoped: new Map(), bySeplessNext: new Map(), firsts, byFirst: new IdsByKey(firsts),
      firstLoaded: new Uint8Array(FORM_KEYS), near1, shards: new Map(), shardLoaded: new Set(), byLength, byExactLength,
      lengthIds: [], lengthScans: new Uint8Array(LONG), lengthSharded: new Uint8Array(LONG), allAdded: false, added: new Uint8Array(n),
    };
  };
  const lowerOf = (b: Built, id: number): string => (b.lower[id] ??= popular[id]!.toLowerCase());
  const formOf = (b: Built, id: number): string => (b.forms[id] ??= sepless(lowerOf(b, id)));
  /** A one-edit target: long and popular enough for some single-edit tier. */
  const near1Target = (b: Built, id: number): boolean => b.lengths[id]! >= near1Tier.minLength && id + 1 <= near1Tier.maxRank;

  const addSepless = (b: Built, id: number): void => {
    const name = lowerOf(b, id);
    if (name.length < sepTier.minLength || id + 1 > sepTier.maxRank) return;
    const map = name.charCodeAt(0) === 64 ? b.bySeplessScoped : b.bySepless;
    const form = formOf(b, id);
    if (!map.has(form)) map.set(form, id);
    else if (!b.bySeplessNext.has((scopedKey(map === b.bySeplessScoped) + form))) b.bySeplessNext.set(scopedKey(map === b.bySeplessScoped) + form, id);
  };
  /** The popular name whose separator-less form is `flat`, if any (best rank). */
  const bySeplessForm = (b: Built, flat: string, prefer?: 'scoped' | 'unscoped'): number | undefined => {
    const k = formKey(flat);
    if (b.firstLoaded[k] === 0) {
      b.firstLoaded[k] = 1;
      for (const id of b.byFirst.of(k)) addSepless(b, id);
    }
    const unscoped = b.bySepless.get(flat);
    const scoped = b.bySeplessScoped.get(flat);
    if (prefer === 'unscoped') return unscoped ?? scoped;
    if (prefer === 'scoped') return scoped ?? unscoped;
    return unscoped === undefined ? scoped : scoped === undefined ? unscoped : Math.min(unscoped, scoped);
  };

  const idsOfLength = (b: Built, len: number): number[] => (b.lengthIds[len] ??= b.byLength.of(len));
  /** Sorts one length's targets into their shards (see `Built.shards`). */
  const shardLength = (b: Built, len: number): void => {
    b.lengthSharded[len] = 1;
    const put = (k: number, id: number): void => {
      const list = b.shards.get(k);
      if (list) list.push(id);
      else b.shards.set(k, [id]);
    };
    for (const id of idsOfLength(b, len)) {
      if (!near1Target(b, id)) continue;
      const name = lowerOf(b, id);
      const scoped = name.charCodeAt(0) === 64;
      if (len <= SHORT + 1) {
        put(shardKey(len, LAST1, ends(name, LAST1)), id);
        if (!scoped) put(shardKey(len, FIRST1, ends(name, FIRST1)), id);
      }
      if (len >= SHORT) {
        put(shardKey(len, LAST2, ends(name, LAST2)), id);
        if (!scoped) put(shardKey(len, FIRST2, ends(name, FIRST2)), id);
      }
    }
  };

  /** The targets of one shard not yet in `near1`, found by scanning its length (the same ids `shardLength` puts there). */
  const scanShard = (b: Built, len: number, kind: number, end: number): number[] => {
    const out: number[] = [];
    if (kind === FIRST2 || kind === LAST2 ? len < SHORT : len > SHORT + 1) return out;
    const first = kind === FIRST1 || kind === FIRST2;
    for (const id of idsOfLength(b, len)) {
      if (b.added[id] === 1 || !near1Target(b, id)) continue;
      const name = lowerOf(b, id);
      if (!(first && name.charCodeAt(0) === 64) && ends(name, kind) === end) out.push(id);
    }
    return out;
  };

  const loadShard = (b: Built, len: number, kind: number, end: number): void => {
    if (len <= 0 || len >= LONG) return;
    const k = shardKey(len, kind, end);
    if (b.shardLoaded.has(k)) return;
    b.shardLoaded.add(k);
    let ids: readonly number[] | undefined;
    if (b.lengthSharded[len] === 0 && b.lengthScans[len]! < SCANS_BEFORE_SHARDING) {
      b.lengthScans[len]!++;
      ids = scanShard(b, len, kind, end);
    } else {
      if (b.lengthSharded[len] === 0) shardLength(b, len);
      ids = b.shards.get(k);
    }
    if (!ids) return;
    // In a scoped name only edits inside the scope matter: a name with the same scope belongs to
    // the same publisher and is never checked further. So only scope positions are indexed.
    for (const id of ids) {
      if (b.added[id] === 1) continue;
      b.added[id] = 1;
      const name = lowerOf(b, id);
      b.near1.add(name, id, name.charCodeAt(0) === 64 ? Math.max(0, name.indexOf('/')) : name.length);
    }
  };

  /** Builds everything now instead of on first need (for predictable latency and for benchmarks). */
  const buildAll = (): void => {
    const b = (built ??= build());
    if (!b.allAdded) {
      let keys = 0;
      for (let len = 1; len < LONG; len++) for (const id of idsOfLength(b, len)) if (b.added[id] === 0 && near1Target(b, id)) keys += len + 1;
      b.near1.reserve(keys);
      for (let len = 1; len < LONG; len++) {
        for (const id of idsOfLength(b, len)) {
          if (b.added[id] === 1 || !near1Target(b, id)) continue;
          b.added[id] = 1;
          const name = lowerOf(b, id);
          b.near1.add(name, id, name.charCodeAt(0) === 64 ? Math.max(0, name.indexOf('/')) : name.length);
        }
      }
      b.allAdded = true;
    }
    allKnown ??= knownOfAll(b);
    // Every bucket at once, in id order: what loading them one by one would give (a form has one bucket).
    for (let id = 0; id < popular.length; id++) {
      if (b.firstLoaded[b.firsts[id]!] === 0) addSepless(b, id);
      if (extraWordLoaded[b.firsts[id]!] === 0) addExtraWordTarget(b, id);
    }
    b.firstLoaded.fill(1);
    extraWordLoaded.fill(1);
    scoped(b);
    twoEdits(b);
    vocabulary.buildTable();
    skeletons();
  };

  /** The most imitated names: top ranks, or a lot of downloads. */
  const top = (id: number, maxRank: number): boolean => id + 1 <= maxRank || (options.targetDownloads?.(id) ?? 0) >= tuning.popularDownloads;
  const match = (id: number, technique: TyposquatTechnique, reason: string, confidence: TyposquatConfidence = 'high'): TyposquatMatch => ({
    imitates: popular[id]!,
    technique,
    reason,
    rank: id + 1,
    confidence,
  });

  const KNOWN: TyposquatExplanation = { kind: 'known' };
  const CLEAN: TyposquatExplanation = { kind: 'clean' };
  /**
   * Outcomes for names that are not popular, remembered: installs and lockfile checks ask about a
   * name again (other versions, other workspaces, `explain` after `check`). Bounded: emptied when full.
   */
  const outcomes = new Map<string, TyposquatExplanation>();
  function explain(name: string): TyposquatExplanation {
    if (isKnown(name)) return KNOWN;
    let e = outcomes.get(name);
    if (e === undefined) {
      if (outcomes.size >= MAX_OUTCOMES) outcomes.clear();
      outcomes.set(name, (e = judge(name)));
    }
    return e;
  }

  function judge(name: string): TyposquatExplanation {
    const m = detect(name, name.toLowerCase());
    if (!m) return CLEAN;
    // Checked only once a rule matched, so an ordinary name never decodes the snapshot.
    // A case variant of a popular name is loaded in its place on case-insensitive file systems,
    // and mistakes alone bring it some traffic (`Express`: 1,100 a month): only a real legacy
    // package (`URIjs`, `MD5`, from before npm's lower-case rule) is spared, at a higher floor.
    let downloads = options.established?.(name);
    if (downloads !== undefined && m.technique === 'case' && downloads < tuning.caseEstablishedMin) downloads = undefined;
    return downloads === undefined ? { kind: 'flagged', match: m } : { kind: 'established', match: m, downloads };
  }

  function check(name: string): TyposquatMatch | undefined {
    const e = explain(name);
    return e.kind === 'flagged' ? e.match : undefined;
  }

  /**
   * True when every word the edits changed is itself a word that popular packages use
   * (`tslint`/`eslint`, `csv-parse`/`css-parse`, `lodash.set`/`lodash.get`): a different name
   * built from real words, not a typo. Typos make non-words (`loadsh`, `expressos`).
   * `self` discounts the checked name's own words when it is itself in the list.
   */
  function otherRealWords(name: string, target: string, self: boolean): boolean {
    if (!tuning.realWords) return false;
    const a = name.split(WORD_SPLIT);
    const t = target.split(WORD_SPLIT);
    if (a.length !== t.length) return false;
    let changed = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === t[i]) continue;
      changed++;
      const w = a[i]!;
      if (w.length < tuning.realWordMinLength || vocabulary.wordCount(w) <= (self ? 1 : 0)) return false;
    }
    return changed > 0;
  }

  /** `user-home` for `userhome`: the name splits the popular one into words that are all real. */
  function splitIntoRealWords(name: string, target: string, self: boolean): boolean {
    const a = name.split(WORD_SPLIT);
    if (a.length <= target.split(WORD_SPLIT).length) return false;
    return a.every((w) => w.length >= 3 && vocabulary.wordCount(w) > (self ? 1 : 0));
  }

  function detect(name: string, lowerName: string, self = false): TyposquatMatch | undefined {
    if (name.length === 0) return undefined;
    // npm refuses new names with capital letters, but private registries and mirrors do not, and
    // on case-insensitive file systems an import of `express` loads `node_modules/Express`. Old
    // capitalised packages (`CSSselect`) are spared by the snapshot, not by their case.
    if (lowerName !== name) {
      const id = popularId(lowerName);
      if (id !== undefined) return match(id, 'case', `${q(name)} is ${q(popular[id])} in different letter case`);
    }
    const b = (built ??= build());
    const { scope } = splitScope(lowerName);
    // A scope belongs to one publisher: names under a scope that already publishes a popular
    // package are that publisher's own (`@antv/s2` is no squat of `@antv/g2`).
    if (scope !== undefined && scoped(b).scopes.has(scope)) return undefined;
    const nonAscii = hasNonAscii(name);
    const work = nonAscii ? foldUnicode(lowerName) : lowerName;
    const sameAs = (id: number | undefined): id is number => id !== undefined && popular[id] !== name;

    // 1. Look-alike characters.
    if (nonAscii || LOOKALIKE_HINT.test(name)) {
      const sk = skeleton(name);
      const flatSk = sepless(sk);
      const id = skeletons().get(sk) ?? popularId(sk) ?? skeletons().get(`~${flatSk}`) ?? bySeplessForm(b, flatSk);
      // Same letters once separators go (`sha-1`/`sha1`): a separator game, reported below as one.
      const separatorOnly = id !== undefined && sepless(lowerName) === sepless(lowerOf(b, id));
      if (sameAs(id) && !separatorOnly && qualifies(tuning.homoglyph, lowerOf(b, id).length, id + 1)) {
        const how = nonAscii ? 'non-ASCII characters that look like Latin letters' : 'look-alike characters (such as "rn" for "m", "0" for "o", "1" for "l")';
        return match(id, 'homoglyph', `${q(name)} spells ${q(popular[id])} with ${how}`);
      }
    }

    // 2. Separators, case and scope slash: `crossenv`, `tailwindcss-forms`, `@cross/env`.
    const flat = sepless(work);
    if (flat.length >= 2) {
      // A separator game within the same shape (both scoped or both not) before a flattening.
      // (A name never imitates itself: when it is in the list, `checkAsUnknown`, look further.)
      const first = bySeplessForm(b, flat, scope === undefined ? 'unscoped' : 'scoped');
      let id = first;
      if (first !== undefined && popular[first] === name) {
        id = b.bySeplessNext.get(scopedKey(scope !== undefined) + flat) ?? bySeplessForm(b, flat, scope === undefined ? 'scoped' : 'unscoped');
        if (id !== undefined && popular[id] === name) id = undefined;
      }
      const target = sameAs(id) ? popular[id]! : '';
      const targetScoped = target.startsWith('@');
      const flatten = target !== '' && targetScoped !== (scope !== undefined);
      if (target !== '' && qualifies(flatten ? tuning.flatten : tuning.separator, target.length, id! + 1)) {
        if (targetScoped && scope === undefined) {
          const first = work.split(WORD_SPLIT)[0]!;
          if (vocabulary.prefixCount(first) - (self ? 1 : 0) >= tuning.sharedPrefixMin) return undefined;
          return match(id!, 'scope', `${q(name)} is the scoped package ${q(target)} flattened into an unscoped name`);
        }
        if (!targetScoped && scope !== undefined) {
          return match(id!, 'scope', `${q(name)} splits ${q(target)} into a scope and a name`);
        }
        if (splitIntoRealWords(work, target.toLowerCase(), self)) return undefined;
        const caseOnly = !nonAscii && lowerName === target.toLowerCase();
        const how = nonAscii ? 'non-ASCII look-alike characters' : caseOnly ? 'different letter case' : 'separators added, removed or changed';
        return match(id!, nonAscii ? 'homoglyph' : caseOnly ? 'case' : 'separator', `${q(name)} is ${q(target)} with ${how}`);
      }
    }

    // 3. A common word or a version number added: `node-pdfmake`, `ethersjs`, `remark-stringify10`.
    for (const [stripped, affix, version] of AFFIX_HINT.test(work) ? affixStripped(work) : NO_AFFIX) {
      const id = stripped === '' ? undefined : bySeplessForm(b, stripped);
      if (version && (id === undefined || stripped.length < 4 || !top(id, tuning.versionSuffixMaxRank))) continue;
      if (sameAs(id) && (version || qualifies(tuning.affix, lowerOf(b, id).length, id + 1))) {
        const target = popular[id]!;
        const prefix = affix.endsWith('-') || (affix === 'node' && work.startsWith('node'));
        if (version) return match(id, 'version-suffix', `${q(name)} is the popular ${q(target)} with the version-like suffix ${q(affix)} added`);
        const where = prefix ? `the prefix ${q(affix)}` : `the suffix ${q(affix)}`;
        return match(id, 'affix', `${q(name)} is the popular ${q(target)} with ${where} added`);
      }
    }

    // 4. Scope dropped: `compiler-sfc` for `@vue/compiler-sfc`.
    if (scope === undefined && tuning.droppedScope.length > 0) {
      const id = scoped(b).byBare.get(work);
      if (id !== undefined && qualifies(tuning.droppedScope, work.length, id + 1)) {
        return match(id, 'scope', `${q(name)} is ${q(popular[id])} with its scope dropped`);
      }
    }

    // 5. One edit; then the same after a separator swap (`cookie_parsr`: `_` for `-` and an "e" dropped).
    const one = nearestOneEdit(b, work, scope, self);
    const swapped = one || scope !== undefined || !/[_.]/.test(work) ? undefined : nearestOneEdit(b, work.replace(/[_.]/g, '-'), scope, self, work);
    const edit = one ?? swapped;
    if (edit && edit.confidence === 'high') {
      const target = popular[edit.id]!;
      const targetScope = splitScope(target).scope;
      const scopeNote = scope !== undefined && targetScope !== undefined ? ` (the look-alike scope ${q(`@${scope}`)} is not ${q(`@${targetScope}`)})` : '';
      return match(edit.id, edit.technique, `${q(name)} is ${q(target)} with ${edit.why}${swapped ? ' and separators changed' : ''}${scopeNote}`);
    }

    // 6. Two edits from one of the most popular names.
    const two = work.length >= 4 ? twoEdits(b) : undefined;
    if (two && work.length <= two.maxLen + 2 && (!tuning.edit2SameLength || two.lengths[work.length] === 1)) {
      let best2 = -1;
      two.near2.candidates(work, (id) => {
        if (best2 !== -1 && id >= best2) return;
        const target = lowerOf(b, id);
        if (target === work || (tuning.edit2SameLength && target.length !== work.length)) return;
        if (wordCount(work) !== wordCount(target)) return;
        if (osaDistance(work, target, 2) !== 2 || otherRealWords(work, target, self)) return;
        if (!tuning.digitEdits && onlyDigitsDiffer(work, target)) return;
        if (!qualifies(tuning.edit2, target.length, id + 1)) return;
        best2 = id;
      });
      if (best2 !== -1) {
        const target = popular[best2]!;
        return match(best2, 'edit-distance', `${q(name)} is two typing edits away from ${q(target)}, one of the ${topOf(best2 + 1)} most used npm packages`);
      }
    }

    // 7. Medium confidence: one edit from a short name, or another word around a popular name.
    if (edit) return match(edit.id, edit.technique, `${q(name)} is ${q(popular[edit.id])} with ${edit.why}`, 'medium');
    return extraWord(b, work, scope, self);
  }

  interface OneEdit {
    readonly id: number;
    readonly technique: TyposquatTechnique;
    readonly why: string;
    readonly confidence: TyposquatConfidence;
  }

  /**
   * The best-ranked popular name one edit from `work` that a tier accepts (high confidence), else
   * the best-ranked one of 4-5 characters that no tier accepts (medium: short names collide often).
   */
  function nearestOneEdit(b: Built, work: string, scope: string | undefined, self: boolean, unswapped?: string): OneEdit | undefined {
    let best1 = -1;
    let bestTech: TyposquatTechnique = 'substitution';
    let bestWhy = '';
    let shortId = -1;
    let shortTech: TyposquatTechnique = 'substitution';
    let shortWhy = '';
    const short = work.length <= SHORT;
    const lastKind = short ? LAST1 : LAST2;
    const firstKind = short ? FIRST1 : FIRST2;
    const lastEnd = ends(work, lastKind);
    const firstEnd = ends(work, firstKind);
    for (let len = work.length - 1; len <= work.length + 1 && !b.allAdded; len++) {
      loadShard(b, len, lastKind, lastEnd);
      if (scope === undefined) loadShard(b, len, firstKind, firstEnd);
    }
    b.near1.candidates(work, (id) => {
      if (best1 !== -1 && id >= best1) return;
      const target = lowerOf(b, id);
      if (target === work || osaDistance(work, target, 1) !== 1) return;
      const edit = describeEdit(work, target);
      if (edit.digit && !tuning.digitEdits) return;
      // After a separator swap, a pure separator difference was step 2's to judge, and the name is not its own look-alike.
      if (unswapped !== undefined && (edit.technique === 'separator' || target === unswapped)) return;
      // A long name with its last letter dropped is a typo whatever word the rest spells.
      const lastDropped = edit.technique === 'omission' && work.length === target.length - 1 && target.startsWith(work) && target.length >= tuning.lastLetterMinLength;
      // A different real word is a different name, except as a scope (a look-alike scope publishing
      // the same package name is a squat whatever it spells: `@typed/node`) and except for swaps
      // and doubled letters, the deliberate typos (`from-data` for `form-data`).
      const deliberate = edit.technique === 'separator' || edit.technique === 'swap' || edit.technique === 'repetition' || lastDropped;
      if (!deliberate && scope === undefined && otherRealWords(work, target, self)) return;
      const tiers =
        edit.technique === 'separator'
          ? edit.letter
            ? tuning.separatorEdit
            : tuning.separator
          : edit.technique === 'swap' || edit.technique === 'repetition'
            ? tuning.swapOrRepeat
            : edit.far
              ? tuning.farSubstitution
              : tuning.edit1;
      if (!lastDropped && !qualifies(tiers, target.length, id + 1)) {
        if (target.length >= 4 && target.length <= SHORT && (shortId === -1 || id < shortId) && scope === undefined) {
          shortId = id;
          shortTech = edit.technique;
          shortWhy = edit.why;
        }
        return;
      }
      best1 = id;
      bestTech = edit.technique;
      bestWhy = edit.why;
    }, scope === undefined ? work.length : work.indexOf('/'));
    if (best1 !== -1) return { id: best1, technique: bestTech, why: bestWhy, confidence: 'high' };
    if (shortId !== -1) return { id: shortId, technique: shortTech, why: shortWhy, confidence: 'medium' };
    return undefined;
  }

  /** Separator-less forms of the names an extra word may ride on (top, long enough), one `formKey` bucket at a time. */
  const extraWordTable = new Map<string, number>();
  const extraWordLoaded = new Uint8Array(FORM_KEYS);
  function addExtraWordTarget(b: Built, id: number): void {
    if (!top(id, tuning.extraWordMaxRank)) return;
    const f = formOf(b, id);
    if (f.length >= tuning.extraWordMinLength && !extraWordTable.has(f)) extraWordTable.set(f, id);
  }
  function extraWordTarget(b: Built, form: string): number | undefined {
    const k = formKey(form);
    if (extraWordLoaded[k] === 0) {
      extraWordLoaded[k] = 1;
      for (const id of b.byFirst.of(k)) addExtraWordTarget(b, id);
    }
    return extraWordTable.get(form);
  }

  /**
   * `plain-crypto-js`: a popular name with one more word before or after it. Legitimate
   * packages are built this way all the time (plugins, wrappers), so only medium confidence, and
   * never when the word starts an open naming convention (`react-`, `eslint-`, `gulp-`).
   */
  function extraWord(b: Built, work: string, scope: string | undefined, self: boolean): TyposquatMatch | undefined {
    if (scope !== undefined) return undefined;
    let first = -1;
    let last = -1;
    for (let i = 0; i < work.length; i++) {
      if (!isSep(work[i])) continue;
      if (i === 0 || i === last + 1 || i === work.length - 1) return undefined; // empty words: a separator game, not a word
      if (first === -1) first = i;
      last = i;
    }
    if (first === -1) return undefined;
    for (const before of [true, false]) {
      const word = before ? work.slice(0, first) : work.slice(last + 1);
      if (word.length < 2 || DIGITS.test(word)) continue;
      const stripped = sepless(before ? work.slice(first + 1) : work.slice(0, last));
      if (stripped.length < tuning.extraWordMinLength) continue;
      const id = extraWordTarget(b, stripped);
      if (id === undefined || popular[id] === work) continue;
      const target = lowerOf(b, id);
      // A one-word target that popular names build on (`react`, `jquery`, `select`) is a building block, not an imitation.
      if (!WORD_SPLIT.test(target) && vocabulary.wordCount(target) - (self ? 1 : 0) >= tuning.sharedPrefixMin) continue;
      // The convention: names that start with this word (`gulp-x`), or with this target (`ethers-x` is not one).
      const lead = before ? word : sepless(target.split(WORD_SPLIT).filter((w) => w !== '')[0] ?? '');
      if (vocabulary.prefixCount(lead) - (self ? 1 : 0) >= tuning.sharedPrefixMin) continue;
      if (!before && vocabulary.prefixCount(sepless(target)) >= tuning.sharedPrefixMin) continue;
      const where = before ? `the word ${q(word)} put before it` : `the word ${q(word)} put after it`;
      return match(id, 'extra-word', `${q(work)} is the popular ${q(popular[id])} with ${where}`, 'medium');
    }
    return undefined;
  }

  return {
    isKnown,
    check,
    explain,
    buildAll,
    checkAsUnknown: (name) => detect(name, name.toLowerCase(), isKnown(name)),
  };
}

const topOf = (rank: number): string => (rank <= 100 ? '100' : rank <= 500 ? '500' : rank <= 1000 ? '1,000' : rank <= 3000 ? '3,000' : '20,000');

/** Names the single edit that turns `target` into `name` (OSA distance 1 is known). */
function describeEdit(name: string, target: string): { technique: TyposquatTechnique; why: string; digit?: boolean; letter?: boolean; far?: boolean } {
  let i = 0;
  while (i < name.length && i < target.length && name[i] === target[i]) i++;
  if (name.length < target.length) {
    const ch = target[i]!;
    if (i === name.length) return { technique: 'omission', why: `its last letter ${q(ch)} dropped`, digit: isDigit(ch) };
    if (isSep(ch)) return { technique: 'separator', why: `the separator ${q(ch)} removed` };
    return { technique: 'omission', why: `the ${q(ch)} at position ${i + 1} dropped`, digit: isDigit(ch) };
  }
  if (name.length > target.length) {
    const ch = name[i]!;
    if (isSep(ch)) return { technique: 'separator', why: `a separator ${q(ch)} inserted` };
    if (name[i - 1] === ch || name[i + 1] === ch) return { technique: 'repetition', why: `the ${q(ch)} doubled` };
    return { technique: 'insertion', why: `an extra ${q(ch)} inserted at position ${i + 1}`, digit: isDigit(ch) };
  }
  const a = target[i]!;
  const c = name[i]!;
  if (name[i + 1] === a && target[i + 1] === c && name.slice(i + 2) === target.slice(i + 2)) {
    return { technique: 'swap', why: `the neighbouring letters ${q(a + c)} swapped` };
  }
  if (isSep(a) && isSep(c)) return { technique: 'separator', why: `${q(a)} replaced by ${q(c)}` };
  if (isSep(a) || isSep(c)) return { technique: 'separator', why: `${q(a)} replaced by ${q(c)}`, letter: true };
  const near = adjacentKeys(a, c);
  return { technique: 'substitution', why: `${q(a)} replaced by ${q(c)}${near ? ' (a neighbouring key)' : ''}`, digit: isDigit(a) || isDigit(c), far: !near };
}

let cached: TyposquatDetector | undefined;
/**
 * The index over the built-in popularity snapshot (npm-high-impact and the most downloaded names),
 * sparing its established look-alikes; built once per process, lazily, on first check.
 */
export function defaultTyposquatIndex(): TyposquatDetector {
  if (cached) return cached;
  const snapshot = popularitySnapshot();
  cached = createTyposquatIndex(snapshot.targets, { established: (name) => snapshot.established(name), targetDownloads: (id) => snapshot.targetDownloads(id) });
  return cached;
}
