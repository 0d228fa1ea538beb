/**
 * How close a name must be, and to how popular a package, to count as an imitation. A target
 * qualifies for a trick when its length (scope included) and its rank pass one tier. The defaults
 * trade synthetic recall against false positives on held-out legitimate names (docs/detection.md);
 * the 12 dev typosquat pairs, which must all be caught, set a few floors (see there).
 */
export interface Tier {
  /** Minimum length of the imitated name (the whole name, scope included). */
  readonly minLength: number;
  /** Maximum popularity rank of the imitated name (1 = most popular). */
  readonly maxRank: number;
}

export interface TyposquatTuning {
  /** One substitution, insertion or omission. */
  readonly edit1: readonly Tier[];
  /**
   * A substitution by a letter that is not a keyboard neighbour: a deliberate pick more often
   * than a slip (`axion`, `asynk`), so only the most popular names count.
   */
  readonly farSubstitution: readonly Tier[];
  /** Two neighbouring characters swapped, or one doubled: deliberate-looking typos. */
  readonly swapOrRepeat: readonly Tier[];
  /** A separator put in place of a character or the other way round (`ui-2`, `eth-rpceerrors`). */
  readonly separatorEdit: readonly Tier[];
  /** Two edits of any kind: only the very top names are worth that effort to an attacker. */
  readonly edit2: readonly Tier[];
  /** Same name once separators are added, removed or changed (`crossenv`, `cross_env`). */
  readonly separator: readonly Tier[];
  /** A scoped name flattened (`tailwindcss-forms`) or an unscoped one split into a scope (`@cross/env`). */
  readonly flatten: readonly Tier[];
  /** Same visual skeleton (`rn`/`m`, `0`/`o`, `1`/`l`, non-ASCII look-alikes). */
  readonly homoglyph: readonly Tier[];
  /** A common word (`node`, `js`, ...) or a version number added. */
  readonly affix: readonly Tier[];
  /** The scope dropped: `compiler-sfc` for `@vue/compiler-sfc` (length counts the bare name; off by default). */
  readonly droppedScope: readonly Tier[];
  /** A dropped last letter counts at any rank from this target length on (`expres`), whatever word is left. */
  readonly lastLetterMinLength: number;
  /** Extra-word matches (medium confidence) need a target this long once separators go. */
  readonly extraWordMinLength: number;
  /** ... and one of the names this popular: the ones an attacker's carrier package rides on. */
  readonly extraWordMaxRank: number;
  /** Downloads a month from which a case variant of a popular name (`MD5`) counts as established. */
  readonly caseEstablishedMin: number;
  /** Monthly downloads from which a target counts as top for the version-suffix and extra-word rules, whatever its rank. */
  readonly popularDownloads: number;
  /** A version number appended (`x2`, `x-v10`): only names this popular are imitated that way. */
  readonly versionSuffixMaxRank: number;
  /** Two-edit matches must keep the length (two substitutions, or a substitution and a swap). */
  readonly edit2SameLength: boolean;
  /** Count single edits that only change, add or drop a digit (`es7-shim`/`es6-shim`): usually a sibling, not a squat. */
  readonly digitEdits: boolean;
  /** Spare edits whose changed words are all words that popular package names use (`tslint`/`eslint`). */
  readonly realWords: boolean;
  /** Changed words shorter than this never count as real words (1 = every word can). */
  readonly realWordMinLength: number;
  /**
   * A flattened scope (`babel-traverse` for `@babel/traverse`) is spared when at least this many
   * popular unscoped names already start with that prefix: an open naming convention, not a scope.
   */
  readonly sharedPrefixMin: number;
}

export const DEFAULT_TUNING: TyposquatTuning = {
  edit1: [
    { minLength: 8, maxRank: Infinity },
    { minLength: 6, maxRank: 5000 },
    { minLength: 5, maxRank: 1000 },
  ],
  farSubstitution: [{ minLength: 6, maxRank: 3000 }],
  swapOrRepeat: [
    { minLength: 6, maxRank: Infinity },
    { minLength: 5, maxRank: 5000 },
    { minLength: 4, maxRank: 1000 },
  ],
  separatorEdit: [{ minLength: 4, maxRank: Infinity }],
  edit2: [{ minLength: 6, maxRank: 300 }],
  separator: [{ minLength: 3, maxRank: Infinity }],
  flatten: [{ minLength: 3, maxRank: Infinity }],
  homoglyph: [{ minLength: 3, maxRank: Infinity }],
  affix: [
    { minLength: 5, maxRank: Infinity },
    { minLength: 2, maxRank: 3000 },
  ],
  droppedScope: [],
  lastLetterMinLength: 8,
  extraWordMinLength: 5,
  extraWordMaxRank: 1000,
  caseEstablishedMin: 20_000,
  popularDownloads: 1_000_000,
  versionSuffixMaxRank: 2000,
  edit2SameLength: true,
  digitEdits: false,
  realWords: true,
  realWordMinLength: 2,
  sharedPrefixMin: 10,
};

export const qualifies = (tiers: readonly Tier[], length: number, rank: number): boolean =>
  tiers.some((t) => length >= t.minLength && rank <= t.maxRank);

/** The loosest length and rank any tier accepts, to decide what to index at all. */
export const loosest = (tiers: readonly Tier[]): Tier =>
  tiers.length === 0
    ? { minLength: Infinity, maxRank: 0 }
    : { minLength: Math.min(...tiers.map((t) => t.minLength)), maxRank: Math.max(...tiers.map((t) => t.maxRank)) };
