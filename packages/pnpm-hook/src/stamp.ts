/**
 * "This exact lockfile was checked clean under this exact policy": lets an up-to-date
 * `pnpm install` skip judging every locked package again (tens of milliseconds in a cold hook
 * worker for a few hundred packages). Kept in Lifeguard's cache folder, one file per project,
 * never in the project: an install refused later must leave the project as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '@lifeguard/core';
import { defaultCacheDir, writeAtomic } from '@lifeguard/loader';
import type { LockedPackage } from './lockfile';

declare const LIFEGUARD_BUILD_ID: string | undefined;
/** Hash of the bundle (set by build.mjs): core's rules, typosquat list and built-in advisories are in it. */
const BUILD_ID = typeof LIFEGUARD_BUILD_ID === 'string' ? LIFEGUARD_BUILD_ID : 'dev';

/** The stamp file of the project in `dir`. */
export const stampFile = (dir: string, env: NodeJS.ProcessEnv = process.env): string =>
  join(defaultCacheDir(env), 'pnpm-checked', createHash('sha256').update(dir).digest('hex').slice(0, 32));

/**
 * Everything a lockfile verdict depends on: this build, the policy file (its fingerprint), every
 * locked package as read (key, name, version, source, dependency edges: the same whether pnpm
 * or the text reader read the file), and each package's advisory matches (a feed changes without
 * the policy file changing). Unbuilt (dev) code never reuses a stamp.
 */
export function stampKey(policy: Policy, policyFingerprint: string, packages: readonly LockedPackage[]): string | undefined {
  if (BUILD_ID === 'dev') return undefined;
  const h = createHash('sha256').update(`${BUILD_ID}\0${policyFingerprint}`);
  for (const p of [...packages].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const deps = p.dependencies ? Object.entries(p.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)) : [];
    const ids = policy.advisories.index.match(p.name, p.version).map((m) => m.id);
    // JSON: no choice of names or versions can make two different lockfiles read the same.
    h.update(`${JSON.stringify([p.key, p.name, p.version, p.source, p.resolved ?? null, deps, ids, p.entry ?? null])}\n`);
  }
  return h.digest('hex');
}

export function readStamp(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Written atomically; a failure only costs the next install a full check. */
export function writeStamp(file: string, key: string): void {
  writeAtomic(file, [`${key}\n`]);
}
