import type { Policy } from '@lifeguard/core';

/**
 * pnpm 10 merges package.json's `"pnpm"` build lists into the install options after every hook
 * (from the manifests it reads for the workspace, out of updateConfig's reach):
 * `pnpm.onlyBuiltDependencies` there replaced Lifeguard's gate (an unapproved package built, the
 * approved one did not), and `pnpm.neverBuiltDependencies` next to Lifeguard's list failed every
 * install with ERR_PNPM_CONFIG_CONFLICT_BUILT_DEPENDENCIES. A list that only names approved
 * packages narrows the gate and is left alone; anything else is refused with what to do.
 */
export function manifestBuildListProblem(config: Record<string, unknown>, policy: Policy, file: string | undefined): string | undefined {
  const manifest = config.rootProjectManifest;
  const pnpm = typeof manifest === 'object' && manifest !== null ? (manifest as { pnpm?: unknown }).pnpm : undefined;
  if (typeof pnpm !== 'object' || pnpm === null) return undefined;
  const lists = pnpm as Record<string, unknown>;
  const move = `move the approvals to "scripts.allow" in ${file ?? 'lifeguard.json'} and delete the field from package.json: under Lifeguard, lifeguard.json is the build allowlist.`;
  for (const key of ['neverBuiltDependencies', 'onlyBuiltDependenciesFile']) {
    if (lists[key] !== undefined) return refusal(`"pnpm.${key}" in package.json cannot be combined with Lifeguard's build gate on pnpm 10`, move);
  }
  const only = lists.onlyBuiltDependencies;
  if (only === undefined) return undefined;
  const names = Array.isArray(only) ? only.filter((n): n is string => typeof n === 'string') : [];
  const unapproved = names.filter((n) => !approvesName(policy, n));
  if (!Array.isArray(only) || unapproved.length > 0) {
    const what = unapproved.length > 0 ? `lists ${unapproved.join(', ')}, which the policy does not approve` : 'is not a list of names';
    return refusal(`"pnpm.onlyBuiltDependencies" in package.json ${what}; pnpm 10 applies it after every hook, so it would replace Lifeguard's build gate`, move);
  }
  return undefined;
}

/** Whether a bare name the project lists is approved for every version (pnpm 10 builds any version it names). */
function approvesName(policy: Policy, name: string): boolean {
  if (policy.scripts.deny.forName(name).length > 0) return false;
  return policy.scripts.unapproved === 'run' || policy.scripts.allow.specs.some((s) => s.exactName && s.name === name && s.range === undefined);
}

const refusal = (why: string, fix: string): string => [`Lifeguard refused to run: ${why}.`, `  to fix it: ${fix}`, '  Nothing was installed or changed.'].join('\n');
