import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readNpmLock } from './npm';
import { readPnpmLock } from './pnpm';
import { LockfileError, type LockedTree } from './types';
import { readYarnLock } from './yarn';

export const LOCKFILES = ['pnpm-lock.yaml', 'yarn.lock', 'package-lock.json', 'npm-shrinkwrap.json'] as const;

/** The lockfile in `dir`, in the order package managers themselves prefer. */
export function findLockfile(dir: string): string | undefined {
  for (const name of LOCKFILES) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function readLockfile(file: string): LockedTree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LockfileError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseLockfile(file, text);
}

/** A lockfile's text, by its file name (for callers that already read it). */
export function parseLockfile(file: string, text: string): LockedTree {
  const name = basename(file);
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return readPnpmLock(text, file);
  if (name === 'yarn.lock' || name.endsWith('.lock')) return readYarnLock(text, file);
  if (name.endsWith('.json')) return readNpmLock(text, file);
  throw new LockfileError(file, 'unknown lockfile type (expected pnpm-lock.yaml, yarn.lock or package-lock.json)');
}

export { LockfileError, type LockedPackage, type LockedTree, type LockfileKind } from './types';
