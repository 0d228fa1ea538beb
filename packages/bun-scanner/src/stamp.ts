import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RegistrySources } from './registries';
import type { BunPackage } from './scan';

declare const LIFEGUARD_BUILD_ID: string | undefined;
/** The built scanner's id (a hash of its engine); unbuilt code never remembers anything. */
const BUILD_ID = typeof LIFEGUARD_BUILD_ID === 'string' ? LIFEGUARD_BUILD_ID : undefined;

/**
 * Bun calls the scanner on every install, up-to-date ones too. A package set found clean is
 * remembered, keyed by everything the verdict depends on: this build (core's rules and built-in
 * advisories), the policy file's path and bytes, the project's own manifests' specs, the registry
 * config (where tarballs may come from) and every package Bun sent. Policies with advisory feeds are never remembered (feeds change on their own).
 */
export function stampKey(dir: string, packages: readonly BunPackage[], declared: ReadonlyMap<string, ReadonlySet<string>>, registries: RegistrySources, env: NodeJS.ProcessEnv): string | undefined {
  if (BUILD_ID === undefined || BUILD_ID === 'dev') return undefined;
  const override = env.LIFEGUARD_POLICY;
  const file = override ? override : join(dir, 'lifeguard.json');
  if (override && !isAbsolute(override)) return undefined;
  let policy = '(built-in default)';
  if (existsSync(file)) {
    try {
      policy = readFileSync(file, 'base64');
    } catch {
      return undefined;
    }
  }
  const pkgs = packages.map((p) => JSON.stringify([p.name, p.version, p.requestedRange, p.tarball])).sort();
  const specs = [...declared].map(([n, s]) => JSON.stringify([n, [...s].sort()])).sort();
  return createHash('sha256').update(JSON.stringify([BUILD_ID, file, policy, specs, registries, pkgs])).digest('hex');
}

/** In the project's node_modules (gone with it, so a clean install is always judged in full). */
export const stampFile = (dir: string): string => join(dir, 'node_modules', '.cache', 'lifeguard', 'bun-checked');

export function readStamp(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Best effort, atomic (temp file + rename); only when node_modules exists (never creates it). */
export function writeStamp(dir: string, key: string): void {
  if (!existsSync(join(dir, 'node_modules'))) return;
  const file = stampFile(dir);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${key}\n`);
    renameSync(tmp, file);
  } catch {
    // A read-only node_modules only costs the next install a full check.
  }
}
