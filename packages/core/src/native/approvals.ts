import semver from 'semver';
import type { Policy } from '../policy/policy';
import { isSpecProblem, parsePackageSpec } from '../policy/spec';
import { scriptApproval } from '../approval';

/**
 * The script approvals a project already had in its package manager's own settings (pnpm
 * `allowBuilds` / `onlyBuiltDependencies`, Yarn `dependenciesMeta.built`, npm `allowScripts`,
 * Bun `trustedDependencies`), as Lifeguard package specs. Lifeguard's gate replaces the native
 * one, so an approval that is not carried over stops a build the team had reviewed: `init`
 * imports them, and the adapters say when they override one.
 */
export interface NativeApproval {
  /** A Lifeguard package spec: `esbuild`, `esbuild@0.25.0 || 0.25.1`. */
  readonly spec: string;
  readonly allow: boolean;
  /** Where it was found, for the user: `pnpm-workspace.yaml allowBuilds`. */
  readonly origin: string;
}

export interface NativeApprovals {
  readonly approvals: NativeApproval[];
  /** Keys no package spec can express (a tarball URL, a git key): named to the user, not imported. */
  readonly unusable: { readonly key: string; readonly origin: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A native key as a spec: an exact name, optionally with exact versions or a semver range; never a glob. */
function specOf(key: string): string | undefined {
  const spec = parsePackageSpec(key.trim());
  return isSpecProblem(spec) || !spec.exactName ? undefined : spec.raw;
}

function collect(entries: Iterable<[string, boolean]>, origin: string, into: NativeApprovals): void {
  for (const [key, allow] of entries) {
    const spec = specOf(key);
    if (spec === undefined) into.unusable.push({ key, origin });
    else into.approvals.push({ spec, allow, origin });
  }
}

/** pnpm's build settings, from pnpm-workspace.yaml or package.json `"pnpm"` (`where` names the file). */
export function pnpmApprovals(settings: unknown, where: string): NativeApprovals {
  const out: NativeApprovals = { approvals: [], unusable: [] };
  if (!isRecord(settings)) return out;
  const allowBuilds = settings.allowBuilds;
  if (isRecord(allowBuilds)) {
    collect(Object.entries(allowBuilds).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'), `${where} allowBuilds`, out);
  }
  collect(strings(settings.onlyBuiltDependencies).map((k) => [k, true]), `${where} onlyBuiltDependencies`, out);
  collect(strings(settings.neverBuiltDependencies).map((k) => [k, false]), `${where} neverBuiltDependencies`, out);
  collect(strings(settings.ignoredBuiltDependencies).map((k) => [k, false]), `${where} ignoredBuiltDependencies`, out);
  return out;
}

/** package.json fields of Yarn (`dependenciesMeta[key].built`), npm (`allowScripts`) and Bun (`trustedDependencies`). */
export function manifestApprovals(pkg: unknown, where: string): NativeApprovals {
  const out: NativeApprovals = { approvals: [], unusable: [] };
  if (!isRecord(pkg)) return out;
  const pnpm = pnpmApprovals(pkg.pnpm, `${where} "pnpm"`);
  out.approvals.push(...pnpm.approvals);
  out.unusable.push(...pnpm.unusable);
  if (isRecord(pkg.dependenciesMeta)) {
    const built: [string, boolean][] = [];
    for (const [key, meta] of Object.entries(pkg.dependenciesMeta)) if (isRecord(meta) && typeof meta.built === 'boolean') built.push([key, meta.built]);
    collect(built, `${where} dependenciesMeta`, out);
  }
  if (isRecord(pkg.allowScripts)) {
    collect(Object.entries(pkg.allowScripts).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'), `${where} allowScripts`, out);
  }
  collect(strings(pkg.trustedDependencies).map((k) => [k, true]), `${where} trustedDependencies`, out);
  return out;
}

/**
 * The native approvals (allow: true) that the policy does not carry: a release or name the
 * package manager would have built and Lifeguard will not. `name@1.0.0 || 1.0.1` is checked
 * version by version; a bare name or a range is carried when some allow entry can approve that name.
 */
export function uncarriedApprovals(policy: Policy, approvals: readonly NativeApproval[]): NativeApproval[] {
  if (policy.scripts.unapproved === 'run' && policy.scripts.deny.size === 0) return [];
  return approvals.filter((a) => {
    if (!a.allow) return false;
    const spec = parsePackageSpec(a.spec);
    if (isSpecProblem(spec)) return false;
    const versions = spec.range?.split('||').map((v) => v.trim()) ?? [];
    if (versions.length > 0 && versions.every((v) => semver.valid(v) !== null)) {
      return versions.some((v) => scriptApproval(policy, spec.name, v).status !== 'approved');
    }
    if (policy.scripts.deny.forName(spec.name).some((d) => d.range === undefined)) return true;
    return policy.scripts.unapproved !== 'run' && policy.scripts.allow.forName(spec.name).length === 0;
  });
}
