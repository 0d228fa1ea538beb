import { type Check, NO_FINDINGS, id, makeFinding, q } from './finding';

/**
 * Advisories: a release that an OSV record (built-in list or a feed) says is malicious, whatever
 * its source: an http tarball or a git repository named like a known-malicious release is no safer.
 */
export const advisoryCheck: Check = (facts, ctx) => {
  if (facts.workspace || facts.source === 'workspace') return NO_FINDINGS;
  if (ctx.policy.packages.trust.find(facts.name, facts.version)) return NO_FINDINGS;
  const matches = ctx.policy.advisories.index.match(facts.name, facts.version);
  if (matches.length === 0) return NO_FINDINGS;
  const ids = [...new Set(matches.map((m) => m.id))];
  const first = matches[0];
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_ADVISORY',
      action: ctx.policy.advisories.action === 'warn' ? 'warn' : 'refuse',
      severity: 'critical',
      rule: 'advisories',
      message: `${id(facts)} is a known-malicious release (${ids.join(', ')}${first?.summary ? `: ${first.summary}` : ''}).`,
      fix: `do not install it; if the advisory is wrong, add ${q(id(facts))} to "packages.trust" in lifeguard.json`,
      details: { advisories: ids, sources: [...new Set(matches.map((m) => m.source))] },
    }),
  ];
};
