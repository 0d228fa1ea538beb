import { type Check, NO_FINDINGS, id, makeFinding, q } from './finding';

/** packages.deny: a name or release the team has banned outright (trust does not exempt it). */
export const denyCheck: Check = (facts, ctx) => {
  const spec = ctx.policy.packages.deny.find(facts.name, facts.version);
  if (!spec) return NO_FINDINGS;
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_DENY',
      action: 'refuse',
      severity: 'high',
      rule: 'packages.deny',
      message: `${id(facts)} is denied by packages.deny entry ${q(spec.raw)}${spec.reason ? ` (${spec.reason})` : ''}.`,
      fix: `remove ${q(spec.raw)} from "packages.deny" in lifeguard.json`,
      details: { entry: spec.raw },
    }),
  ];
};
