import { scriptApproval } from '../approval';
import type { Policy } from '../policy/policy';
import type { SourceKind } from '../types';

/**
 * scripts.allow / scripts.deny as pnpm's build switches: what the pnpm hook sets in
 * updateConfig on every install, and what `lifeguard export --to pnpm` writes.
 */

/** A release in a lockfile; `key` is pnpm's lockfile key (`name@url` for a tarball or git package). */
export interface LockedRelease {
  readonly name: string;
  readonly version: string;
  readonly source: SourceKind;
  readonly key: string;
}

/** What the build gate decided: pnpm 11/12 `allowBuilds`, and the pnpm 10 equivalents. */
export interface PnpmBuildGate {
  /** `{ "<name>" | "<name>@1.0.0 || 1.0.1" | "<lockfile key>": boolean }` */
  readonly allowBuilds: Record<string, boolean>;
  /** pnpm 10: names / `name@v1 || v2` allowed to build. */
  readonly onlyBuiltDependencies: string[];
  /** pnpm 10: names whose builds are skipped on purpose (silences the warning only). */
  readonly ignoredBuiltDependencies: string[];
  /** `unapproved: "run"` with no deny entries: let every package build. */
  readonly allowAll: boolean;
}

/**
 * Turns scripts.allow / scripts.deny into the exact keys pnpm understands. pnpm takes bare
 * names and exact versions only, so range and glob entries are expanded against the packages
 * in the lockfile; a bare exact name with no range is passed through (it also covers versions
 * resolved for the first time). `scripts.deny` wins: a name with any deny entry is never
 * approved by its bare name, only version by version.
 */
export function pnpmBuildGate(policy: Policy, locked: readonly LockedRelease[]): PnpmBuildGate {
  const allowBuilds: Record<string, boolean> = {};
  const denyNames = new Set<string>();
  const allowVersions = new Map<string, Set<string>>();
  const denyVersions = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, name: string, v: string) => {
    const s = m.get(name) ?? new Set<string>();
    s.add(v);
    m.set(name, s);
  };
  const allowAllRun = policy.scripts.unapproved === 'run';

  // Bare exact names (no range) pass through as names.
  for (const s of policy.scripts.deny.specs) if (s.exactName && s.range === undefined) denyNames.add(s.name);
  const bareAllow = new Set<string>();
  for (const s of policy.scripts.allow.specs) {
    if (s.exactName && s.range === undefined && s.source === undefined && policy.scripts.deny.forName(s.name).length === 0) bareAllow.add(s.name);
  }

  for (const p of locked) {
    // A git build is approved only by an entry naming its source (the lockfile key's URL part).
    const approval = scriptApproval(policy, p.name, p.version, { source: p.source, resolved: p.key.slice(p.name.length + 1) });
    const exotic = p.source !== 'registry';
    if (approval.status === 'denied') {
      if (exotic) allowBuilds[p.key] = false;
      else add(denyVersions, p.name, p.version);
    } else if (approval.status === 'approved' && (approval.entry !== undefined || allowAllRun)) {
      // A bare name approves registry packages only: git and tarball ones need their full key.
      if (exotic) allowBuilds[p.key] = true;
      else if (!bareAllow.has(p.name)) add(allowVersions, p.name, p.version);
    }
  }
  for (const n of bareAllow) allowBuilds[n] = true;
  for (const [n, vs] of allowVersions) allowBuilds[`${n}@${[...vs].sort().join(' || ')}`] = true;
  for (const n of denyNames) allowBuilds[n] = false;
  for (const [n, vs] of denyVersions) if (!denyNames.has(n)) allowBuilds[`${n}@${[...vs].sort().join(' || ')}`] = false;

  const onlyBuiltDependencies = Object.entries(allowBuilds).filter(([, v]) => v).map(([k]) => k);
  const ignoredBuiltDependencies = Object.entries(allowBuilds).filter(([, v]) => !v).map(([k]) => k);
  return {
    allowBuilds,
    onlyBuiltDependencies,
    ignoredBuiltDependencies,
    allowAll: allowAllRun && policy.scripts.deny.size === 0,
  };
}

