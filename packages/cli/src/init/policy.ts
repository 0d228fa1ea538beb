import { evaluate, installLifecycle, parsePackageSpec, type NativeApproval, type PackageSpec, type Policy } from '@lifeguard/core';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import type { LockedTree } from '../lockfiles/index';
import type { Project } from '../project';

export interface Entry {
  readonly package: string;
  readonly reason: string;
}

/** What init found to approve, and what it could not know. */
export interface Approvals {
  /** Releases with install scripts today, by exact version. */
  readonly installed: Entry[];
  /** Releases the default policy refuses: never approved. */
  readonly refused: string[];
  /** Packages whose scripts neither the lockfile nor node_modules tell. */
  readonly unknown: number;
  /** Nothing is installed: node_modules is empty or missing. */
  readonly nothingInstalled: boolean;
}

/**
 * The releases that have install scripts today (lockfile facts completed by node_modules).
 * `defaults` is the policy init starts from (the built-in one plus the look-alikes the user kept).
 */
export function installedApprovals(project: Project, tree: LockedTree | undefined, defaults: Policy): Approvals {
  const installed = readInstalled(project.dir);
  if (!tree) return { installed: [], refused: [], unknown: 0, nothingInstalled: installed.size === 0 };
  const allow: Entry[] = [];
  const refused: string[] = [];
  let unknown = 0;
  for (const locked of tree.packages) {
    if (locked.workspace) continue;
    const facts = withInstalled(locked, installed);
    if (facts.scripts === undefined && !facts.hasInstallScript) {
      if (!installed.has(`${facts.name}@${facts.version}`)) unknown++;
      continue;
    }
    const lifecycle = installLifecycle(facts);
    if (lifecycle.length === 0) continue;
    // Never approve what the default policy would refuse (a known-malicious release, a typosquat).
    if (evaluate(defaults, { ...facts, scripts: {} }).decision === 'refuse') {
      refused.push(`${facts.name}@${facts.version}`);
      continue;
    }
    allow.push({ package: `${facts.name}@${facts.version}`, reason: `had install scripts at init: ${lifecycle.join(', ')}` });
  }
  return { installed: allow, refused, unknown: installed.size === 0 ? unknown : 0, nothingInstalled: installed.size === 0 };
}

const byPackage = (a: Entry, b: Entry) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0);

/**
 * `scripts.allow` and `scripts.deny` for the new lifeguard.json: today's releases with scripts,
 * plus the project's own native approvals and denials. A release the project denies natively is
 * not approved by version (deny wins in Lifeguard too, but the file should not say both).
 */
export function scriptEntries(approvals: Approvals, native: readonly NativeApproval[]): { allow: Entry[]; deny: Entry[] } {
  const entry = (a: NativeApproval): Entry => ({ package: a.spec, reason: `imported from ${a.origin}` });
  const unique = (entries: Entry[]) => [...new Map(entries.map((e) => [e.package, e])).values()].sort(byPackage);
  const deny = unique(native.filter((a) => !a.allow).map(entry));
  const denied = deny.map((d) => parsePackageSpec(d.package)).filter((s): s is PackageSpec => 'matches' in s);
  const deniedRelease = (id: string) => {
    const at = id.lastIndexOf('@');
    return denied.some((s) => s.matches(id.slice(0, at), id.slice(at + 1)));
  };
  const allow = unique([...approvals.installed.filter((e) => !deniedRelease(e.package)), ...native.filter((a) => a.allow).map(entry)]);
  return { allow, deny };
}
