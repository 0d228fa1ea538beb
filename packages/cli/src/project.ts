import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findLockfile } from './lockfiles/index';
import { UsageError } from './output';

export type PackageManager = 'pnpm' | 'yarn' | 'npm' | 'bun';
export const PACKAGE_MANAGERS: readonly PackageManager[] = ['pnpm', 'yarn', 'npm', 'bun'];

export interface Project {
  readonly dir: string;
  readonly manager: PackageManager;
  readonly lockfile: string | undefined;
  /** Why we think so, for the user. */
  readonly evidence: string;
  /** True when nothing pointed at a package manager and npm is a guess. */
  readonly guessed: boolean;
}

const BY_LOCKFILE: Record<string, PackageManager> = {
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'bun.lock': 'bun',
  'bun.lockb': 'bun',
};

/** Files a package manager leaves before (or without) its lockfile: right after `pnpm create vite` there is none. */
const BY_CONFIG: readonly [string, PackageManager][] = [
  ['pnpm-workspace.yaml', 'pnpm'],
  ['.yarnrc.yml', 'yarn'],
  ['bunfig.toml', 'bun'],
];

const asManager = (name: unknown): PackageManager | undefined =>
  typeof name === 'string' && (PACKAGE_MANAGERS as readonly string[]).includes(name) ? (name as PackageManager) : undefined;

/** `"pnpm@10.0.0+sha512..."` -> pnpm. */
const fromPackageManagerField = (v: unknown): PackageManager | undefined => (typeof v === 'string' ? asManager(v.split('@')[0]) : undefined);

/** devEngines.packageManager: `{ name }` or an array of them (the first is the one to use). */
function fromDevEngines(v: unknown): PackageManager | undefined {
  const pm = typeof v === 'object' && v !== null ? (v as { packageManager?: unknown }).packageManager : undefined;
  const first = Array.isArray(pm) ? pm[0] : pm;
  return typeof first === 'object' && first !== null ? asManager((first as { name?: unknown }).name) : undefined;
}

/** `pnpm/12.21.0 npm/? node/v20.20.2 linux x64`: the package manager that runs us (`pnpm dlx`, `yarn dlx`, `bunx`, `npx`). */
const fromUserAgent = (ua: string | undefined): PackageManager | undefined => asManager(ua?.split('/')[0]);

/**
 * The project's package manager, from the strongest evidence: `--pm`, package.json
 * `packageManager`, `devEngines.packageManager`, the lockfile, a package manager's own config
 * file, the package manager running this command (`npm_config_user_agent`), else npm (a guess, said so).
 */
export function detectProject(dir: string, opts: { pm?: string | undefined; env?: NodeJS.ProcessEnv } = {}): Project {
  // `lockfile` is one the CLI can read; Bun's only counts as evidence until then.
  const lockfile = findLockfile(dir);
  const anyLockfile = lockfile ?? ['bun.lock', 'bun.lockb'].map((f) => join(dir, f)).find((f) => existsSync(f));
  const found = (manager: PackageManager, evidence: string, guessed = false): Project => ({ dir, manager, lockfile, evidence, guessed });
  if (opts.pm !== undefined) {
    const pm = asManager(opts.pm);
    if (!pm) throw new UsageError(`--pm must be one of ${PACKAGE_MANAGERS.join(', ')} (got ${JSON.stringify(opts.pm)})`);
    return found(pm, '--pm');
  }
  let pkg: { packageManager?: unknown; devEngines?: unknown } = {};
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    // No or unreadable package.json: the other evidence decides.
  }
  const declared = fromPackageManagerField(pkg?.packageManager);
  if (declared) return found(declared, 'package.json "packageManager"');
  const engine = fromDevEngines(pkg?.devEngines);
  if (engine) return found(engine, 'package.json "devEngines.packageManager"');
  if (anyLockfile) return found(BY_LOCKFILE[basename(anyLockfile)] as PackageManager, basename(anyLockfile));
  for (const [file, manager] of BY_CONFIG) if (existsSync(join(dir, file))) return found(manager, file);
  const running = fromUserAgent((opts.env ?? process.env).npm_config_user_agent);
  if (running) return found(running, `run by ${running} (npm_config_user_agent)`);
  return found('npm', 'nothing says which package manager; npm assumed (pass --pm pnpm|yarn|npm|bun)', true);
}
