import { scriptApproval } from '../approval';
import type { Policy } from '../policy/policy';
import type { Finding } from '../types';

/**
 * Evidence of what ran (`lifeguard check --installed`): the package manager's install state says
 * this dependency's install scripts ran. If the policy does not approve them, enforcement was off
 * for that install (`--ignore-pnpmfile`, the plugin removed, a shadowing pnpmfile): its code ran.
 */
export function scriptsRanFinding(policy: Policy, name: string, version: string, evidence: string): Finding | undefined {
  const approval = scriptApproval(policy, name, version);
  if (approval.status === 'approved') return undefined;
  const id = `${name}@${version}`;
  return {
    code: 'LIFEGUARD_SCRIPTS_RAN',
    action: policy.mode === 'warn' ? 'warn' : 'refuse',
    severity: 'critical',
    package: name,
    version,
    message: `${id}'s install scripts ran (${evidence}) although ${approval.status === 'denied' ? `scripts.deny entry ${JSON.stringify(approval.entry.raw)} forbids them` : 'no scripts.allow entry approves them'}: Lifeguard was not enforcing that install.`,
    fix: `treat the machine or CI runner as exposed to ${id}'s install script; find how the install ran without Lifeguard (lifeguard check lists the set-up problems); approve it in "scripts.allow" in lifeguard.json only if the script is trusted`,
    rule: approval.status === 'denied' ? 'scripts.deny' : 'scripts.unapproved',
    details: { evidence },
  };
}
