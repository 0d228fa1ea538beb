import { defaultTyposquatIndex } from '../typosquat/index';
import { type Check, id, makeFinding, q } from './finding';

/** Typosquats: a name made to be installed by mistake in place of a popular package. */
export const typosquatCheck: Check = (facts, ctx) => {
  const { action, ignore } = ctx.policy.typosquat;
  if (action === 'off' || facts.workspace || ignore.has(facts.name)) return [];
  if (ctx.policy.packages.trust.find(facts.name, facts.version)) return [];
  const match = defaultTyposquatIndex().check(facts.name);
  if (!match) return [];
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_TYPOSQUAT',
      action: action === 'warn' ? 'warn' : 'refuse',
      severity: 'high',
      rule: 'typosquat',
      message: `${id(facts)} looks like a typosquat of the popular package ${q(match.imitates)} (rank ${match.rank} on npm-high-impact): ${match.reason}.`,
      fix: `if you meant ${q(match.imitates)}, depend on it instead; if ${q(facts.name)} is really the package you want, add ${q(facts.name)} to "typosquat.ignore" in lifeguard.json`,
      details: { imitates: match.imitates, technique: match.technique, rank: match.rank, reason: match.reason },
    }),
  ];
};
