import { evaluate, type PackageFacts, type Policy } from '@lifeguard/core';
import { askYes } from '../ask';
import { colors } from '../output';

/** A published package of today's tree that depends on a git repository, a URL or a path. */
export interface ExoticSource {
  /** `name@version` of the published package that declares it. */
  readonly package: string;
  readonly dependency: string;
  /** The spec as the manifest wrote it: what a `sources.allow` entry is written against. */
  readonly spec: string;
}

/**
 * The exotic sources of today's tree (refused or warned by the sources check), one entry per spec.
 * pnpm 12 and npm 12 refuse such sub-dependencies by default too; init lists them so that adopting
 * Lifeguard on a tree that has them is one question, not a failed install.
 */
export function findExoticSources(policy: Policy, packages: readonly PackageFacts[]): ExoticSource[] {
  const bySpec = new Map<string, ExoticSource>();
  for (const facts of packages) {
    if (facts.workspace) continue;
    for (const f of evaluate(policy, { ...facts, scripts: {} }).findings) {
      if (f.code !== 'LIFEGUARD_SOURCE' || typeof f.details?.spec !== 'string') continue;
      const dependency = typeof f.details.dependency === 'string' ? f.details.dependency : facts.name;
      if (!bySpec.has(f.details.spec)) bySpec.set(f.details.spec, { package: `${facts.name}@${facts.version}`, dependency, spec: f.details.spec });
    }
  }
  return [...bySpec.values()].sort((a, b) => (a.spec < b.spec ? -1 : a.spec > b.spec ? 1 : 0));
}

/**
 * Lists them and returns the specs to write to `sources.allow`: all of them with `--yes` or a "y" at
 * the terminal prompt, none otherwise (then they stay refused, and the message says how to keep them).
 */
export function confirmExoticSources(found: readonly ExoticSource[], yes: boolean, out: (s: string) => void): string[] {
  if (found.length === 0) return [];
  out(colors.yellow(`  exotic sources: ${found.length} dependenc${found.length === 1 ? 'y of a published package comes' : 'ies of published packages come'} from outside the registry (no registry integrity, advisories or release age):`));
  for (const e of found) out(`              ${e.package} depends on ${JSON.stringify(e.dependency)} from ${JSON.stringify(e.spec)}`);
  const specs = found.map((e) => e.spec);
  if (yes || askYes(`  Do you accept these sources? Writes them to "sources.allow" [y/N] `)) {
    out(`  allowed   ${specs.length} source(s) ("sources.allow" in lifeguard.json)`);
    return specs;
  }
  out(colors.yellow('  they stay refused: to accept them, run `lifeguard init --force --yes` or add them to "sources.allow" in lifeguard.json'));
  return [];
}
