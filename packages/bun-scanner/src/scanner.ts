import { declaredSpecs, projectDir } from './project';
import { registrySources } from './registries';
import type { BunAdvisory, BunPackage } from './scan';
import { readStamp, stampFile, stampKey, writeStamp } from './stamp';

/** Built beside this file from src/engine.ts (see build.mjs); a path, so the bundler leaves it out. */
const ENGINE = './lifeguard-bun-scanner-engine.js';

/**
 * Bun's security scanner API (bunfig.toml `[install.security] scanner`). Bun calls `scan` after
 * resolution and before it downloads any tarball; a `fatal` advisory stops the install with
 * nothing written, and a throw (an invalid lifeguard.json) stops it too: fail closed. This file
 * stays small: a package set found clean before returns at once, without loading the engine.
 */
export const scanner = {
  version: '1' as const,
  async scan({ packages }: { packages: BunPackage[] }): Promise<BunAdvisory[]> {
    const dir = projectDir(process.cwd());
    const declared = declaredSpecs(dir);
    const registries = registrySources(dir, process.env);
    const key = stampKey(dir, packages, declared, registries, process.env);
    if (key !== undefined && readStamp(stampFile(dir)) === key) return [];
    const { judge } = (await import(ENGINE)) as typeof import('./engine');
    const { advisories, warnings, rememberable } = judge(dir, packages, declared, registries);
    for (const w of warnings) process.stderr.write(`${w}\n`);
    if (key !== undefined && rememberable && advisories.length === 0 && warnings.length === 0) writeStamp(dir, key);
    return advisories;
  },
};
