import type { Policy } from '@lifeguard/core';
import { approveBuildsMessage, positionalAfter } from './approve-builds';
import type { PnpmVersion } from './gate';
import { manifestBuildListProblem } from './manifest-lists';
import { ignoredBuilds } from './modules-yaml';
import { gateOverrides, overrideMessage } from './overrides';

/** What updateConfig knows about this command, for the checks of the build gate's switches. */
export interface CommandContext {
  readonly dir: string;
  readonly policy: Policy;
  readonly file: string | undefined;
  readonly version: PnpmVersion | undefined;
  /** pnpm's arguments, or undefined when they cannot be known (pnpm 12 without /proc). */
  readonly args: readonly string[] | undefined;
  readonly command: string | undefined;
}

/**
 * Why this command must not run, or undefined. Command-line build switches beat updateConfig on
 * pnpm 11 and 12.8+, and `--allow-build` widens the gate on 10/11; pnpm 10 applies package.json's
 * `pnpm` build lists after every hook; `pnpm approve-builds` builds at once. pnpm 12 without /proc
 * (not Linux): an enabled dangerouslyAllowAllBuilds may come from the command line, so it is
 * refused whatever set it.
 */
export function switchRefusal(ctx: CommandContext, config: Record<string, unknown>): string | undefined {
  const { args, version } = ctx;
  const options = args ? gateOverrides(args, version !== undefined && version.major >= 12, ctx.policy.scripts.unapproved === 'refuse') : [];
  if (options.length > 0 || (args === undefined && config.dangerouslyAllowAllBuilds === true)) return overrideMessage(options, ctx.file);
  const listed = version && version.major < 11 ? manifestBuildListProblem(config, ctx.policy, ctx.file) : undefined;
  if (listed) return listed;
  if (ctx.command === 'approve-builds') return approveBuildsMessage(args ? positionalAfter(args, ctx.command) : [], ignoredBuilds(ctx.dir) ?? [], ctx.file);
  return undefined;
}
