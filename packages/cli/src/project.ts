import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findLockfile } from './lockfiles/index';
import type { LockfileKind } from './lockfiles/types';

export interface Project {
  readonly dir: string;
  readonly manager: LockfileKind;
  readonly lockfile: string | undefined;
  /** Why we think so, for the user. */
  readonly evidence: string;
}

const BY_LOCKFILE: Record<string, LockfileKind> = {
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'bun.lock': 'bun',
};

/** The project's package manager: `packageManager` in package.json wins, then the lockfile. */
export function detectProject(dir: string): Project {
  const lockfile = findLockfile(dir);
  let declared: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { packageManager?: unknown };
    if (typeof pkg.packageManager === 'string') declared = pkg.packageManager.split('@')[0];
  } catch {
    // No or unreadable package.json: the lockfile decides.
  }
  if (declared === 'pnpm' || declared === 'yarn' || declared === 'npm' || declared === 'bun') {
    return { dir, manager: declared, lockfile, evidence: `package.json "packageManager"` };
  }
  if (lockfile) return { dir, manager: BY_LOCKFILE[basename(lockfile)] as LockfileKind, lockfile, evidence: basename(lockfile) };
  if (existsSync(join(dir, '.yarnrc.yml'))) return { dir, manager: 'yarn', lockfile, evidence: '.yarnrc.yml' };
  if (existsSync(join(dir, 'bunfig.toml')) || existsSync(join(dir, 'bun.lockb'))) return { dir, manager: 'bun', lockfile, evidence: existsSync(join(dir, 'bunfig.toml')) ? 'bunfig.toml' : 'bun.lockb' };
  if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return { dir, manager: 'pnpm', lockfile, evidence: 'pnpm-workspace.yaml' };
  return { dir, manager: 'npm', lockfile, evidence: 'no lockfile (npm assumed)' };
}
