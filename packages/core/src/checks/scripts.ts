import { scriptApproval } from '../approval';
import { installLifecycle } from '../lifecycle';
import { type Check, id, makeFinding, q } from './finding';

/**
 * Lifecycle scripts: install-time code execution is how worms like Shai-Hulud spread, so a
 * dependency's scripts run only when an allow entry approves that release.
 */
export const scriptsCheck: Check = (facts, ctx) => {
  const lifecycle = installLifecycle(facts);
  if (lifecycle.length === 0) return [];
  const approval = scriptApproval(ctx.policy, facts.name, facts.version);
  if (approval.status === 'approved') return [];
  const what = lifecycle.join(', ');
  if (approval.status === 'denied') {
    return [
      makeFinding(ctx, facts, {
        code: 'LIFEGUARD_SCRIPTS',
        action: 'skip-scripts',
        severity: 'medium',
        rule: 'scripts.deny',
        message: `${id(facts)} has install scripts (${what}) that scripts.deny entry ${q(approval.entry.raw)} forbids: not run.`,
        fix: `remove ${q(approval.entry.raw)} from "scripts.deny" in lifeguard.json`,
        details: { lifecycle, entry: approval.entry.raw },
      }),
    ];
  }
  const refuse = ctx.policy.scripts.unapproved === 'refuse';
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_SCRIPTS',
      action: refuse ? 'refuse' : 'skip-scripts',
      severity: refuse ? 'medium' : 'low',
      rule: 'scripts.unapproved',
      message: `${id(facts)} has install scripts (${what}) that no scripts.allow entry approves: ${refuse ? 'install refused' : 'not run'}.`,
      fix: `add ${q(id(facts))} to "scripts.allow" in lifeguard.json`,
      details: { lifecycle },
    }),
  ];
};
