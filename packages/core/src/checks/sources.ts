import { classifySpec, declaredSpec } from '../source-kind';
import type { Finding, PackageFacts } from '../types';
import { type Check, type CheckContext, id, makeFinding, NO_FINDINGS, q } from './finding';

const KIND_WORDS = {
  git: 'a git repository',
  tarball: 'an http(s) tarball',
  file: 'a local path',
  link: 'a local link',
  patch: 'a patch shipped by a published package (which can rewrite that package, scripts included, under its own name and version)',
  exec: 'an exec: generator script',
} as const;

/**
 * Exotic sources: a dependency of a published package that is fetched from git, a URL or a
 * path skips the registry's integrity, age gate and advisories, and git deps run `prepare`; a
 * `patch:` it ships rewrites another package's code under that package's name and version.
 * The project's own choices may name such sources: its workspace manifests, the packages it pulls in
 * from its own directories, and the specs its overrides put into published packages. Published
 * packages may not.
 */
export const sourcesCheck: Check = (facts, ctx) => {
  const { exotic, allow } = ctx.policy.sources;
  if (exotic === 'off' || facts.workspace || facts.local) return NO_FINDINGS;
  if (ctx.policy.packages.trust.find(facts.name, facts.version)) return NO_FINDINGS;
  const out: Finding[] = [];
  // The patched build itself, judged on the binding Yarn gave it (the package that ships the patch):
  // a published package's manifest cannot talk its way out of this one with a forged `::locator=`.
  if (facts.source === 'patch' && facts.resolved !== undefined) {
    const spec = declaredSpec(facts.resolved);
    if (!allow.some((a) => a.matches(spec))) {
      out.push(exoticFinding(ctx, facts, `${id(facts)} is rewritten by ${KIND_WORDS.patch} (${q(spec)})`, facts.name, spec, 'patch'));
    }
  }
  if (!facts.dependencies) return out.length === 0 ? NO_FINDINGS : out;
  for (const dep of Object.keys(facts.dependencies)) {
    const bound = facts.dependencies[dep];
    if (typeof bound !== 'string' || facts.projectChosen?.includes(dep)) continue;
    // As the manifest wrote it (and yarn.lock keeps it): what sources.allow entries are written against.
    const spec = declaredSpec(bound);
    const kind = classifySpec(bound);
    if (kind === 'registry' || kind === 'workspace') continue;
    if (allow.some((a) => a.matches(spec))) continue;
    out.push(exoticFinding(ctx, facts, `${id(facts)} depends on ${q(dep)} from ${KIND_WORDS[kind]} (${q(spec)})`, dep, spec, kind));
  }
  return out.length === 0 ? NO_FINDINGS : out;
};

/** One exotic source: refused (or warned) with the `sources.allow` line that would accept it. */
function exoticFinding(ctx: CheckContext, facts: PackageFacts, what: string, dependency: string, spec: string, kind: keyof typeof KIND_WORDS): Finding {
  return makeFinding(ctx, facts, {
    code: 'LIFEGUARD_SOURCE',
    action: ctx.policy.sources.exotic === 'warn' ? 'warn' : 'refuse',
    severity: 'high',
    rule: 'sources.exotic',
    message: `${what}, an exotic source that bypasses the registry.`,
    fix: `add ${q(spec)} to "sources.allow" in lifeguard.json`,
    details: { dependency, spec, kind },
  });
}
