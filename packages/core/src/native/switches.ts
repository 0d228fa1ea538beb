import { scriptApproval, type BuildOrigin } from '../approval';
import type { Policy } from '../policy/policy';

/**
 * The policy in each package manager's own switches, so one lifeguard.json means the same
 * thing everywhere. Release age: pnpm counts minutes, Yarn takes a duration, npm whole days
 * (rounded up, never shorter than asked), Bun seconds.
 */
export interface NativeReleaseAge {
  readonly pnpm: { minimumReleaseAge: number; minimumReleaseAgeExclude: string[] };
  readonly yarn: { npmMinimalAgeGate: string; npmPreapprovedPackages: string[] };
  readonly npm: { 'min-release-age': number };
  readonly bun: { minimumReleaseAge: number };
}

export function nativeReleaseAge(policy: Policy): NativeReleaseAge | undefined {
  const age = policy.releaseAge;
  if (!age) return undefined;
  const exclude = age.exclude.specs.map((s) => s.raw);
  return {
    pnpm: { minimumReleaseAge: age.minutes, minimumReleaseAgeExclude: exclude },
    yarn: { npmMinimalAgeGate: `${age.minutes}m`, npmPreapprovedPackages: exclude },
    npm: { 'min-release-age': Math.ceil(age.minutes / (60 * 24)) },
    bun: { minimumReleaseAge: age.minutes * 60 },
  };
}

export interface InstalledRelease extends BuildOrigin {
  readonly name: string;
  readonly version: string;
}

/**
 * Exact `name@version` approvals and denials for the releases a project has. The native
 * switches take exact versions (pnpm allowBuilds, npm allowScripts pins) or bare names, so
 * ranges and globs are resolved against what the lockfile holds.
 */
export function scriptDecisions(policy: Policy, releases: readonly InstalledRelease[]): { approved: string[]; denied: string[] } {
  const approved = new Set<string>();
  const denied = new Set<string>();
  for (const r of releases) {
    const a = scriptApproval(policy, r.name, r.version, r);
    if (a.status === 'approved') approved.add(`${r.name}@${r.version}`);
    else denied.add(`${r.name}@${r.version}`);
  }
  // A native key covers every build of name@version, a published package's patched build of it too:
  // exported only when each build of it in the lockfile is approved.
  for (const key of denied) approved.delete(key);
  return { approved: [...approved].sort(), denied: [...denied].sort() };
}

/** Groups `name@version` keys by name: `{ esbuild: ['0.25.0', '0.25.1'] }`. */
export function byName(keys: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const at = key.lastIndexOf('@');
    const name = key.slice(0, at);
    const list = out.get(name);
    if (list) list.push(key.slice(at + 1));
    else out.set(name, [key.slice(at + 1)]);
  }
  return out;
}

/**
 * Bun's `trustedDependencies` (names only; a non-empty list replaces Bun's built-in default list,
 * `[]` trusts none): a name is trusted when every locked release of it is approved and none is
 * denied, plus bare-name approvals (`"esbuild"`, no range or glob) not yet in the lockfile. A
 * name approved for some releases only stays out: trusting it would run the others' scripts too.
 */
export function bunTrustedDependencies(policy: Policy, releases: readonly InstalledRelease[]): string[] {
  const { approved, denied } = scriptDecisions(policy, releases);
  const partly = new Set(byName(denied).keys());
  const names = new Set([...byName(approved).keys()].filter((n) => !partly.has(n)));
  const locked = new Set(releases.map((r) => r.name));
  for (const spec of policy.scripts.allow.specs) {
    if (!spec.exactName || spec.range !== undefined || locked.has(spec.name)) continue;
    if (policy.scripts.deny.forName(spec.name).length === 0) names.add(spec.name);
  }
  return [...names].sort();
}
