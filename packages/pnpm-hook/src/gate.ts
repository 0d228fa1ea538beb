import type { PnpmBuildGate, Policy } from '@lifeguard/core';

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

type Config = Record<string, unknown>;

/**
 * Applies the gate to pnpm's config in place. What updateConfig sets wins over
 * pnpm-workspace.yaml, .npmrc, env and CLI, so a project cannot widen it by accident.
 */
export function applyBuildGate(config: Config, gate: PnpmBuildGate, policy: Policy, version: PnpmVersion | undefined): void {
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
