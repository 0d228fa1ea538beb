import { classifySpec } from '../source-kind';
import type { Finding } from '../types';
import { type Check, id, makeFinding, q } from './finding';

const KIND_WORDS = { git: 'a git repository', tarball: 'an http(s) tarball', file: 'a local path', link: 'a local link' } as const;

/**
 * Exotic sources: a dependency of a published package that is fetched from git, a URL or a
 * path skips the registry's integrity, age gate and advisories, and git deps run `prepare`.
 * The project's own choices may name such sources: its workspace manifests, the packages it pulls in
 * from its own directories, and the specs its overrides put into published packages. Published
 * packages may not.
 */
export const sourcesCheck: Check = (facts, ctx) => {
  const { exotic, allow } = ctx.policy.sources;
  if (exotic === 'off' || facts.workspace || facts.local || !facts.dependencies) return [];
  if (ctx.policy.packages.trust.find(facts.name, facts.version)) return [];
  const out: Finding[] = [];
  for (const dep of Object.keys(facts.dependencies)) {
    const spec = facts.dependencies[dep];
    if (typeof spec !== 'string' || facts.projectChosen?.includes(dep)) continue;
    const kind = classifySpec(spec);
    if (kind === 'registry' || kind === 'workspace') continue;
    if (allow.some((a) => a.matches(spec))) continue;
    out.push(
      makeFinding(ctx, facts, {
        code: 'LIFEGUARD_SOURCE',
        action: exotic === 'warn' ? 'warn' : 'refuse',
        severity: 'high',
        rule: 'sources.exotic',
        message: `${id(facts)} depends on ${q(dep)} from ${KIND_WORDS[kind]} (${q(spec)}), an exotic source that bypasses the registry.`,
        fix: `add ${q(spec)} to "sources.allow" in lifeguard.json`,
        details: { dependency: dep, spec, kind },
      }),
    );
  }
  return out;
};
