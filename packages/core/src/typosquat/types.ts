/** The trick a typosquat plays on the name it imitates. */
export type TyposquatTechnique =
  | 'omission' // one character dropped: `expres`
  | 'repetition' // one character doubled: `lodassh`
  | 'insertion' // one character added: `expressos`
  | 'substitution' // one character replaced: `axioz`
  | 'swap' // two neighbouring characters swapped: `@acitons/artifact`
  | 'edit-distance' // two edits from one of the most popular names: `pergel`
  | 'separator' // separators changed: `crossenv`, `cross_env`, `ui-2`
  | 'case' // letter case changed: `Express`, `CROSS-ENV`, `@types/Node`
  | 'affix' // a common word added: `node-pdfmake`, `ethersjs`
  | 'version-suffix' // a version or number appended: `viem-2`, `picomatch3`, `undici-v7`, `remark-stringify10`
  | 'extra-word' // another word around the name: `plain-crypto-js` (medium confidence)
  | 'scope' // scope flattened, dropped or faked: `tailwindcss-forms`, `@typess/node`
  | 'homoglyph'; // look-alike characters: `rnocha`, `l0dash`, Cyrillic letters

export interface TyposquatMatch {
  /** The popular package the name imitates. */
  readonly imitates: string;
  /** The trick, e.g. `omission`, `swap`, `separator`, `scope`, `homoglyph`, `affix`. */
  readonly technique: TyposquatTechnique;
  /** One human sentence: why the name looks like `imitates`. */
  readonly reason: string;
  /** Rank of `imitates` in the popularity list (1 = most popular). */
  readonly rank: number;
  /**
   * `high`: a typo-shaped or deliberate imitation, refused under `typosquat.action: "refuse"`.
   * `medium`: an extra word or a short name, shapes legitimate packages share too: a warning,
   * and a refusal only when the package also runs install scripts.
   */
  readonly confidence: TyposquatConfidence;
}

export type TyposquatConfidence = 'high' | 'medium';

/** What the detector makes of a name, for `lifeguard explain` and the finding. */
export type TyposquatExplanation =
  | { readonly kind: 'known' }
  | { readonly kind: 'clean' }
  /** Looks like `match.imitates`, but has `downloads` a month in the snapshot: spared. */
  | { readonly kind: 'established'; readonly match: TyposquatMatch; readonly downloads: number }
  | { readonly kind: 'flagged'; readonly match: TyposquatMatch };

export interface TyposquatIndex {
  /** Popular (or otherwise known legitimate) names are never typosquats. */
  isKnown(name: string): boolean;
  check(name: string): TyposquatMatch | undefined;
  /** Why `check` says what it says. */
  explain(name: string): TyposquatExplanation;
}
