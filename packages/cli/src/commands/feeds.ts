import { dirname, resolve } from 'node:path';
import { parsePolicy } from '@lifeguard/core';
import { policyPath, readPolicyBytes, verifyFeed } from '@lifeguard/loader';
import { colors, UsageError } from '../output';

export interface FeedsOptions {
  policy?: string;
}

/**
 * `lifeguard feeds verify [PATH ...]`: every malformed record of the given feeds (default: the
 * policy's `advisories.feeds`), not just the first one an install stops at. Exit 1 if any.
 */
export function feeds(sub: string | undefined, paths: readonly string[], opts: FeedsOptions, cwd: string): number {
  if (sub !== 'verify') throw new UsageError('feeds takes one subcommand: verify [PATH ...] [--policy FILE]');
  const targets = paths.length > 0 ? paths.map((p) => resolve(cwd, p)) : policyFeeds(opts, cwd);
  if (targets.length === 0) throw new UsageError('the policy names no advisories.feeds; pass the feed paths to verify');
  let bad = 0;
  for (const feed of targets) {
    const r = verifyFeed(feed);
    const tally = `${r.files} file${r.files === 1 ? '' : 's'}, ${r.records} record${r.records === 1 ? '' : 's'}`;
    const verdict = r.problems.length === 0 ? colors.green('ok') : colors.red(`${r.problems.length} malformed (an install using this feed fails until they are fixed or removed)`);
    process.stdout.write(`${feed}: ${tally}, ${verdict}\n`);
    for (const p of r.problems) process.stdout.write(`  ${p.message}\n`);
    bad += r.problems.length;
  }
  return bad > 0 ? 1 : 0;
}

/** The feed paths a policy names, resolved against its folder, without loading them. */
function policyFeeds(opts: FeedsOptions, cwd: string): string[] {
  const file = opts.policy ? resolve(cwd, opts.policy) : policyPath(cwd).file;
  const bytes = readPolicyBytes(file);
  const feedsOf = (parsePolicy(bytes, file).json.advisories as { feeds?: string[] } | undefined)?.feeds ?? [];
  return feedsOf.map((f) => resolve(dirname(file), f));
}
