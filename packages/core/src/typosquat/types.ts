export interface TyposquatMatch {
  /** The popular package the name imitates. */
  readonly imitates: string;
  /** The trick, e.g. `edit-distance`, `swap`, `separator`, `scope`, `homoglyph`, `affix`. */
  readonly technique: string;
  /** One human sentence: why the name looks like `imitates`. */
  readonly reason: string;
}

export interface TyposquatIndex {
  /** Popular (or otherwise known legitimate) names are never typosquats. */
  isKnown(name: string): boolean;
  check(name: string): TyposquatMatch | undefined;
}
