import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { projectRegistries } from '../registries';
import { readBunLock } from './bun';
import { readNpmLock } from './npm';
import { readPnpmLock } from './pnpm';
import { LockfileError, type LockedTree } from './types';
import { readYarnLock } from './yarn';

// npm reads npm-shrinkwrap.json and ignores package-lock.json beside it.
export const LOCKFILES = ['pnpm-lock.yaml', 'yarn.lock', 'npm-shrinkwrap.json', 'package-lock.json', 'bun.lock'] as const;

/** The lockfile in `dir`, in the order package managers themselves prefer. */
export function findLockfile(dir: string): string | undefined {
  return findLockfiles(dir)[0];
}

/**
 * Every lockfile some package manager would install from in `dir`: one per manager (npm's
 * shrinkwrap over its package-lock). A nearly empty lockfile planted beside the real one must not
 * be the only one judged, so `lifeguard check` reads them all.
 */
export function findLockfiles(dir: string): string[] {
  const found = LOCKFILES.map((name) => join(dir, name)).filter((p) => existsSync(p));
  return found.filter((p) => !(basename(p) === 'package-lock.json' && found.some((q) => basename(q) === 'npm-shrinkwrap.json')));
}

/** `registries`: the project's, for the lockfile identity check (default: what the lockfile's directory declares). */
export function readLockfile(file: string, registries: readonly string[] = projectRegistries(dirname(file))): LockedTree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LockfileError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseLockfile(file, text, registries);
}

/** A lockfile's text, by its file name (for callers that already read it). */
export function parseLockfile(file: string, text: string, registries: readonly string[] = projectRegistries(dirname(file))): LockedTree {
  const name = basename(file);
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return readPnpmLock(text, file, registries);
  if (name === 'bun.lock') return readBunLock(text, file, registries);
  if (name === 'bun.lockb') throw new LockfileError(file, 'the binary bun.lockb cannot be read: run `bun install --save-text-lockfile` once to write bun.lock (the default since Bun 1.2)');
  if (name === 'yarn.lock' || name.endsWith('.lock')) return readYarnLock(text, file, registries);
  if (name.endsWith('.json')) return readNpmLock(text, file, registries);
  throw new LockfileError(file, 'unknown lockfile type (expected pnpm-lock.yaml, yarn.lock, package-lock.json or bun.lock)');
}

export { LockfileError, type LockedPackage, type LockedTree, type LockfileKind } from './types';
