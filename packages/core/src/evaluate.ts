import { scriptApproval } from './approval';
import { advisoryCheck } from './checks/advisory';
import { denyCheck } from './checks/deny';
import type { Check, CheckContext } from './checks/finding';
import { lockfileCheck } from './checks/lockfile';
import { scriptsCheck } from './checks/scripts';
import { sourcesCheck } from './checks/sources';
import { typosquatCheck } from './checks/typosquat';
import { installLifecycle } from './lifecycle';
import type { Policy } from './policy/policy';
import type { Decision, Finding, PackageFacts, Verdict } from './types';

/**
 * Decision order from DESIGN.md: the first refusal wins, every finding is still reported. The
 * lockfile identity comes first: when it fails, the other checks judged the wrong package.
 */
const CHECKS: readonly Check[] = [lockfileCheck, denyCheck, advisoryCheck, typosquatCheck, sourcesCheck, scriptsCheck];

/** Everything the policy says about one package. Pure and cheap: adapters call it per package. */
export function evaluate(policy: Policy, facts: PackageFacts): Verdict {
  const ctx: CheckContext = { policy };
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const found = check(facts, ctx);
    if (found.length > 0) findings.push(...found);
  }
  const lifecycle = installLifecycle(facts);
  let decision: Decision = 'allow';
  for (const f of findings) {
    if (f.action === 'refuse') decision = 'refuse';
    else if (f.action === 'skip-scripts' && decision === 'allow') decision = 'strip';
  }
  // Most packages have nothing to run: look up the approval only for those that do.
  // (Workspace packages have an empty lifecycle: their scripts are the project's own.)
  const runScripts =
    lifecycle.length > 0 && (policy.mode === 'warn' || scriptApproval(policy, facts.name, facts.version, facts).status === 'approved');
  return { decision, findings, lifecycle, runScripts };
}
