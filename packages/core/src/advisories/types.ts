export interface AdvisoryMatch {
  /** OSV id, e.g. MAL-2025-46974 or GHSA-xxxx. */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | undefined;
  /** Where the record came from: a feed path or `built-in`. */
  readonly source: string;
}

export interface AdvisoryIndex {
  /** Number of package names with at least one record. */
  readonly size: number;
  /** Records that affect this exact release. */
  match(name: string, version: string): readonly AdvisoryMatch[];
  /** Whether any record names the package (for explain). */
  has(name: string): boolean;
}
