/** The trick a typosquat plays on the name it imitates. */
export type TyposquatTechnique =
  | 'omission' // one character dropped: `expres`
  | 'repetition' // one character doubled: `lodassh`
  | 'insertion' // one character added: `expressos`
  | 'substitution' // one character replaced: `axioz`
  | 'swap' // two neighbouring characters swapped: `@acitons/artifact`
  | 'edit-distance' // two edits from one of the most popular names: `pergel`
  | 'separator' // separators or case changed: `crossenv`, `cross_env`, `ui-2`
  | 'affix' // a common word or version added: `node-pdfmake`, `ethersjs`, `remark-stringify10`
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
}

export interface TyposquatIndex {
  /** Popular (or otherwise known legitimate) names are never typosquats. */
  isKnown(name: string): boolean;
  check(name: string): TyposquatMatch | undefined;
}
