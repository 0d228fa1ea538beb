import { scriptApproval, type Policy } from '@lifeguard/core';
import type { LockedPackage } from './lockfile';

/** pnpm's version, from `config.userAgent` (`pnpm/12.21.0 npm/? node/...`). */
export interface PnpmVersion {
  readonly major: number;
  readonly minor: number;
  readonly raw: string;
}

export function parseUserAgent(ua: unknown): PnpmVersion | undefined {
  if (typeof ua !== 'string') return undefined;
  const m = /pnpm\/(\d+)\.(\d+)\.(\d+)/.exec(ua);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), raw: `${m[1]}.${m[2]}.${m[3]}` };
}

/** What the build gate decided: pnpm 11/12 `allowBuilds`, and the pnpm 10 equivalents. */
export interface BuildGate {
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
export function computeBuildGate(policy: Policy, locked: readonly LockedPackage[]): BuildGate {
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
    if (s.exactName && s.range === undefined && policy.scripts.deny.forName(s.name).length === 0) bareAllow.add(s.name);
  }

  for (const p of locked) {
    const approval = scriptApproval(policy, p.name, p.version);
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

type Config = Record<string, unknown>;

/**
 * Applies the gate to pnpm's config in place. What updateConfig sets wins over
 * pnpm-workspace.yaml, .npmrc, env and CLI, so a project cannot widen it by accident.
 */
export function applyBuildGate(config: Config, gate: BuildGate, policy: Policy, version: PnpmVersion | undefined): void {
  const pnpm10 = version ? version.major < 11 : 'onlyBuiltDependencies' in config || 'neverBuiltDependencies' in config;
  delete config.neverBuiltDependencies;
  delete config.onlyBuiltDependenciesFile;
  config.dangerouslyAllowAllBuilds = gate.allowAll;
  // "skip": pnpm must not fail on the builds Lifeguard skips; "refuse": it must.
  config.strictDepBuilds = policy.scripts.unapproved === 'refuse';
  if (pnpm10) {
    delete config.allowBuilds;
    config.onlyBuiltDependencies = gate.onlyBuiltDependencies;
    config.ignoredBuiltDependencies = gate.ignoredBuiltDependencies;
  } else {
    config.allowBuilds = gate.allowBuilds;
    delete config.onlyBuiltDependencies;
    delete config.ignoredBuiltDependencies;
  }
}

/** releaseAge -> pnpm's own age gate (minutes) and its exclude list (names, globs, exact versions). */
export function applyReleaseAge(config: Config, policy: Policy): void {
  const age = policy.releaseAge;
  if (!age) return;
  config.minimumReleaseAge = age.minutes;
  const exclude: string[] = [];
  for (const s of age.exclude.specs) {
    if (s.range === undefined) exclude.push(s.name);
    else if (/^\d+\.\d+\.\d+[^\s|]*(\s*\|\|\s*\d+\.\d+\.\d+[^\s|]*)*$/.test(s.range)) exclude.push(`${s.name}@${s.range}`);
    else exclude.push(s.name); // pnpm takes no ranges: exclude the whole name (wider, never narrower)
  }
  if (exclude.length > 0) {
    const prev = Array.isArray(config.minimumReleaseAgeExclude) ? (config.minimumReleaseAgeExclude as string[]) : [];
    config.minimumReleaseAgeExclude = [...new Set([...prev, ...exclude])];
  }
}
