import type { Policy } from './policy/policy';
import type { PackageSpec } from './policy/spec';

export type ScriptApproval =
  | { readonly status: 'approved'; readonly entry: PackageSpec | undefined }
  | { readonly status: 'denied'; readonly entry: PackageSpec }
  | { readonly status: 'unapproved' };

/**
 * Whether `name@version` may run its lifecycle scripts. `scripts.deny` wins over
 * `scripts.allow`; `unapproved: "run"` approves everything not denied (entry undefined).
 */
export function scriptApproval(policy: Policy, name: string, version: string): ScriptApproval {
  const denied = policy.scripts.deny.find(name, version);
  if (denied) return { status: 'denied', entry: denied };
  const allowed = policy.scripts.allow.find(name, version);
  if (allowed) return { status: 'approved', entry: allowed };
  if (policy.scripts.unapproved === 'run') return { status: 'approved', entry: undefined };
  return { status: 'unapproved' };
}
