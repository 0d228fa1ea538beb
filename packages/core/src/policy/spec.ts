import { Minimatch } from 'minimatch';
import semver from 'semver';

/**
 * A package spec from the policy: `<name or minimatch glob>[@<semver range>]`.
 * The version part starts at the last `@` that is not the first character, so
 * `@swc/core@^1.7.0` is `@swc/core` + `^1.7.0` and `@acme/*` has no range.
 */
export interface PackageSpec {
  readonly raw: string;
  readonly name: string;
  readonly range: string | undefined;
  readonly reason: string | undefined;
  matchesName(name: string): boolean;
  matches(name: string, version?: string): boolean;
  /** True when the spec names one package exactly (no glob). */
  readonly exactName: boolean;
  /**
   * scripts.allow only: the patched, git or exec build this entry approves (a glob over its
   * locator reference or lockfile key). Entries without it approve registry releases only.
   */
  readonly source?: SourceGlob | undefined;
}

/** A glob over specs or references, as written (`sources.allow`, an allow entry's `source`). */
export interface SourceGlob {
  readonly raw: string;
  matches(spec: string): boolean;
}

/** Compiles a source glob; undefined when it is not one (the caller names the JSON path). */
export function parseSourceGlob(raw: string): SourceGlob | undefined {
  const mm = new Minimatch(raw, { nocomment: true, nonegate: true, dot: true });
  if (raw === '' || mm.makeRe() === false) return undefined;
  return { raw, matches: (spec: string) => spec === raw || mm.match(spec) };
}

const GLOB_CHARS = /[*?[\]{}!+@()]/;
// npm names are URL-safe; anything else in a spec is a typo, not a pattern.
const NAME_CHARS = /^(?:@[a-z0-9*?[\]{}!+()._~-]+\/)?[a-z0-9*?[\]{}!+()._~-]+$/i;

export type SpecProblem = { expected: string };

/** Parses one spec; returns a problem instead of throwing so the caller can name the JSON path. */
export function parsePackageSpec(raw: string, reason?: string): PackageSpec | SpecProblem {
  const expected = 'a package spec "<name or glob>[@<semver range>]", e.g. "esbuild" or "@swc/core@^1.7.0"';
  if (raw.length === 0 || raw.length > 512 || raw.trim() !== raw) return { expected };
  const at = raw.lastIndexOf('@');
  const name = at > 0 ? raw.slice(0, at) : raw;
  const range = at > 0 ? raw.slice(at + 1).trim() : undefined;
  if (!NAME_CHARS.test(name)) return { expected: `${expected}; the name part "${name}" is not a package name or glob` };
  if (range !== undefined) {
    if (range === '' || semver.validRange(range, { loose: false }) === null) {
      return { expected: `${expected}; "${range}" is not a valid semver range` };
    }
  }
  let matchName: (n: string) => boolean;
  const exactName = !GLOB_CHARS.test(name.startsWith('@') ? name.slice(1) : name);
  // Names compare case-insensitively: a registry or mirror may serve `Express`, and on macOS and
  // Windows it is what an import of `express` loads, so `packages.deny: ["express"]` must cover it.
  if (exactName) {
    const lower = name.toLowerCase();
    matchName = (n) => n.toLowerCase() === lower;
  } else {
    const mm = new Minimatch(name, { nocomment: true, nonegate: true, nocase: true });
    if (mm.makeRe() === false) return { expected: `${expected}; "${name}" is not a valid glob` };
    matchName = (n) => mm.match(n);
  }
  const compiled = range === undefined ? undefined : new semver.Range(range);
  return {
    raw,
    name,
    range,
    reason,
    exactName,
    matchesName: matchName,
    matches(n, version) {
      if (!matchName(n)) return false;
      if (compiled === undefined) return true;
      // A version that is not semver (a git commit, a tarball) cannot satisfy a range.
      return version !== undefined && semver.valid(version) !== null &&
        semver.satisfies(version, compiled, { includePrerelease: true });
    },
  };
}

export function isSpecProblem(x: PackageSpec | SpecProblem): x is SpecProblem {
  return (x as PackageSpec).raw === undefined;
}

/** Package names as a set that ignores letter case (`typosquat.ignore`). */
export class NameSet extends Set<string> {
  constructor(names: Iterable<string> = []) {
    super();
    for (const n of names) this.add(n);
  }
  override add(name: string): this {
    return super.add(name.toLowerCase());
  }
  override has(name: string): boolean {
    return this.size > 0 && super.has(name.toLowerCase());
  }
}

const releaseOnly = (s: PackageSpec): boolean => s.source === undefined;

/** A list of specs with a fast path for exact names (the common case); names ignore case. */
export class SpecList {
  private readonly byName = new Map<string, PackageSpec[]>();
  private readonly globs: PackageSpec[] = [];
  constructor(readonly specs: readonly PackageSpec[]) {
    for (const s of specs) {
      if (s.exactName) {
        const key = s.name.toLowerCase();
        const list = this.byName.get(key);
        if (list) list.push(s);
        else this.byName.set(key, [s]);
      } else this.globs.push(s);
    }
  }
  /**
   * The first spec that matches, or undefined. `accept` filters further (the build origin of an
   * allow entry); without it, entries that name a `source` never match.
   */
  find(name: string, version?: string, accept: (s: PackageSpec) => boolean = releaseOnly): PackageSpec | undefined {
    // Most lists are empty (the default policy's are): no lower-casing for them.
    if (this.specs.length === 0) return undefined;
    const exact = this.byName.get(name.toLowerCase());
    if (exact) for (const s of exact) if (s.matches(name, version) && accept(s)) return s;
    for (const s of this.globs) if (s.matches(name, version) && accept(s)) return s;
    return undefined;
  }
  /** Specs that could match this name at some version (for lockfile-wide approval, export, explain). */
  forName(name: string): PackageSpec[] {
    return [...(this.byName.get(name.toLowerCase()) ?? []), ...this.globs.filter((s) => s.matchesName(name))];
  }
  get size(): number {
    return this.specs.length;
  }
}
