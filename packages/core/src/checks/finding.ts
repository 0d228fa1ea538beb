import type { Policy } from '../policy/policy';
import type { Finding, FindingAction, FindingCode, PackageFacts, Severity } from '../types';

export interface CheckContext {
  readonly policy: Policy;
}

/** A check looks at one package and reports what the policy says about it. Pure. */
export type Check = (facts: PackageFacts, ctx: CheckContext) => readonly Finding[];

/** What most checks find in most packages: one shared empty list, not an allocation per verdict. */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** Builds a finding; in `mode: "warn"` every action is downgraded to `warn`. */
export function makeFinding(
  ctx: CheckContext,
  facts: PackageFacts,
  f: { code: FindingCode; action: FindingAction; severity: Severity; message: string; fix: string; rule: string; details?: Record<string, unknown> },
): Finding {
  const via = facts.requiredBy && facts.requiredBy.length > 0 ? ` (pulled in by ${facts.requiredBy.join(' > ')})` : '';
  return {
    code: f.code,
    action: ctx.policy.mode === 'warn' ? 'warn' : f.action,
    severity: f.severity,
    package: facts.name,
    version: facts.version,
    message: f.message + via,
    fix: f.fix,
    rule: f.rule,
    ...(f.details ? { details: f.details } : {}),
  };
}

export const id = (facts: PackageFacts): string => `${facts.name}@${facts.version}`;
export const q = JSON.stringify;
