import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPolicy } from '@lifeguard/loader';
import { scanPackages, type BunAdvisory, type BunPackage } from './scan';

/** The project root: the nearest folder with a Bun lockfile or bunfig.toml above where Bun runs. */
function projectDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (['bun.lock', 'bun.lockb', 'bunfig.toml'].some((f) => existsSync(join(dir, f)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * Bun's security scanner API (bunfig.toml `[install.security] scanner`). Bun calls `scan` after
 * resolution and before it downloads any tarball; a `fatal` advisory stops the install with
 * nothing written, and a throw (an invalid lifeguard.json) stops it too: fail closed.
 */
export const scanner = {
  version: '1' as const,
  async scan({ packages }: { packages: BunPackage[] }): Promise<BunAdvisory[]> {
    const { policy, file } = loadPolicy(projectDir(process.cwd()));
    const { advisories, warnings } = scanPackages(policy, file, packages);
    for (const w of warnings) process.stderr.write(`${w}\n`);
    return advisories;
  },
};
