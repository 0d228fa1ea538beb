/**
 * Core vocabulary. Adapters translate a package manager's objects into PackageFacts,
 * call `evaluate`, and apply the Verdict the way that package manager can.
 */

/**
 * Where a package's files come from. Exotic kinds bypass the registry's integrity and age checks.
 * `patch` is a release rewritten by a patch that a published package shipped (Yarn `patch:`);
 * `exec` is built by running a generator script (Yarn `exec:`).
 */
export type SourceKind = 'registry' | 'git' | 'tarball' | 'file' | 'link' | 'workspace' | 'patch' | 'exec';

export interface PackageFacts {
  readonly name: string;
  readonly version: string;
  /** Where this package itself was fetched from; `registry` when omitted. */
  readonly source?: SourceKind;
  /** The resolved URL or path for non-registry sources (shown in messages). */
  readonly resolved?: string;
  /** Dependency specs as declared in the manifest (dependencies + optionalDependencies). */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** The manifest's scripts; `undefined` when the adapter cannot know them (abbreviated metadata). */
  readonly scripts?: Readonly<Record<string, string>>;
  /** npm metadata/lockfile flag, used when `scripts` is unknown. */
  readonly hasInstallScript?: boolean;
  /**
   * The package manager will run `node-gyp rebuild` for this package's `binding.gyp` (a `binding.gyp` at the
   * root, unless `"gypfile": false` and a manager that honours it: see `buildsBindingGyp`).
   */
  readonly hasBindingGyp?: boolean;
  /** Workspace packages are the project's own code: their scripts are never touched. */
  readonly workspace?: boolean;
  /**
   * Pulled in by the project from one of its own directories (`file:`/`link:`/`portal:`, by a workspace or
   * another such package): its manifest is the project's code, so the sources it names are the project's
   * choices. Its scripts are still judged.
   */
  readonly local?: boolean;
  /**
   * Dependencies whose spec the project chose, not the package's publisher: its overrides/resolutions put
   * the spec there, or it links to one of the project's own packages (see `chosenByProject`). Never exotic.
   */
  readonly projectChosen?: readonly string[];
  /** Chain of packages that pulled this one in, outermost first, when the adapter knows it. */
  readonly requiredBy?: readonly string[];
  /** What a lockfile entry says about itself, for the identity check (lockfile readers only). */
  readonly lockfile?: LockfileEntry;
}

/**
 * A lockfile entry as the package manager reads it. `name`/`version` of PackageFacts are the
 * key's (what gets fetched); these are the entry's own fields and URL, which must agree with it.
 */
export interface LockfileEntry {
  /** The entry's key as written (`event-stream@3.3.6`, `node_modules/a`, `a@npm:1.0.0`), for messages. */
  readonly key: string;
  /** The entry's own `name:` field, when it has one that is not the key's name. */
  readonly name?: string;
  /** The entry's own `version:` field, when it is not where the key's version came from. */
  readonly version?: string;
  /** The tarball URL the package manager downloads (pnpm `resolution.tarball`, npm `resolved`, Yarn `__archiveUrl`). */
  readonly tarball?: string;
  /** The project's registries (URLs); the public npm registry is always one of them. */
  readonly registries: readonly string[];
}

export type FindingCode =
  | 'LIFEGUARD_DENY'
  | 'LIFEGUARD_ADVISORY'
  | 'LIFEGUARD_TYPOSQUAT'
  | 'LIFEGUARD_SOURCE'
  | 'LIFEGUARD_SCRIPTS'
  | 'LIFEGUARD_MANIFEST_MISMATCH'
  | 'LIFEGUARD_LOCKFILE'
  | 'LIFEGUARD_SETUP'
  | 'LIFEGUARD_SCRIPTS_RAN';

/** What Lifeguard does about a finding. `warn` reports only. */
export type FindingAction = 'refuse' | 'skip-scripts' | 'warn';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface Finding {
  readonly code: FindingCode;
  readonly action: FindingAction;
  readonly severity: Severity;
  readonly package: string;
  readonly version: string;
  /** One sentence that stands on its own: what and why. */
  readonly message: string;
  /** The exact lifeguard.json change that would allow the package. */
  readonly fix: string;
  /** The policy key that decided, e.g. `packages.deny` or `scripts.unapproved`. */
  readonly rule: string;
  /** Check-specific details (imitated package, advisory ids, script names, ...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Decision = 'allow' | 'strip' | 'refuse';

export interface Verdict {
  readonly decision: Decision;
  readonly findings: readonly Finding[];
  /** Lifecycle steps this package would run at install (`postinstall`, `node-gyp rebuild`, ...). */
  readonly lifecycle: readonly string[];
  /** Whether the package manager may run `lifecycle`. False for every package that is not approved. */
  readonly runScripts: boolean;
}
