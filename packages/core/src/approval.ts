import type { Policy } from './policy/policy';
import type { PackageSpec } from './policy/spec';
import type { SourceKind } from './types';

/** Where the build comes from: PackageFacts' `source` and `resolved`. */
export interface BuildOrigin {
  readonly source?: SourceKind | undefined;
  /** The locator reference, URL or lockfile key of a non-registry build. */
  readonly resolved?: string | undefined;
}

/**
 * Builds whose code is not what `name@version` names: a patched release (the patch can rewrite
 * its scripts), a git checkout, an `exec:` generator. They keep a name and version anyone can
 * claim, so an approval of the release never approves them: only an entry whose `source` matches.
 */
const REBUILT: ReadonlySet<SourceKind> = new Set<SourceKind>(['patch', 'git', 'exec']);

export const isRebuilt = (origin: BuildOrigin): boolean => origin.source !== undefined && REBUILT.has(origin.source);

/** Whether an allow entry covers a build from `origin`: entries with `source` only those builds, the others only releases. */
export function approvesOrigin(entry: PackageSpec, origin: BuildOrigin): boolean {
  if (!isRebuilt(origin)) return entry.source === undefined;
  return entry.source !== undefined && origin.resolved !== undefined && entry.source.matches(origin.resolved);
}

export type ScriptApproval =
  | { readonly status: 'approved'; readonly entry: PackageSpec | undefined }
  | { readonly status: 'denied'; readonly entry: PackageSpec }
  /** `release`: the entry that approves the release, when this build is a patched/git/exec one it does not cover. */
  | { readonly status: 'unapproved'; readonly release?: PackageSpec };

/**
 * Whether `name@version` (built from `origin`) may run its lifecycle scripts. `scripts.deny` wins
 * over `scripts.allow`, for every build of the name; `unapproved: "run"` approves everything not
 * denied (entry undefined).
 */
export function scriptApproval(policy: Policy, name: string, version: string, origin: BuildOrigin = {}): ScriptApproval {
  const denied = policy.scripts.deny.find(name, version);
  if (denied) return { status: 'denied', entry: denied };
  const allowed = policy.scripts.allow.find(name, version, (s) => approvesOrigin(s, origin));
  if (allowed) return { status: 'approved', entry: allowed };
  if (policy.scripts.unapproved === 'run') return { status: 'approved', entry: undefined };
  const release = isRebuilt(origin) ? policy.scripts.allow.find(name, version) : undefined;
  return release ? { status: 'unapproved', release } : { status: 'unapproved' };
}
