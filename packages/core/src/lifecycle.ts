import type { PackageFacts } from './types';

/** The scripts npm, pnpm and Yarn run when they install a dependency. */
export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;
export const NODE_GYP = 'node-gyp rebuild';

/**
 * What this package would run at install time, in order. A `binding.gyp` with no
 * preinstall/install script makes every package manager run `node-gyp rebuild` on its own;
 * `prepare` runs for git dependencies (they are built from source). Scripts unknown but
 * flagged by metadata (`hasInstallScript`) count as one unnamed script.
 */
export function installLifecycle(facts: PackageFacts): string[] {
  if (facts.workspace) return [];
  const out: string[] = [];
  const scripts = facts.scripts;
  if (scripts) {
    for (const name of INSTALL_SCRIPTS) {
      const body = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
      if (typeof body === 'string' && body.trim() !== '') out.push(name);
    }
    if (facts.hasBindingGyp && !out.includes('install') && !out.includes('preinstall')) out.push(NODE_GYP);
    if (facts.source === 'git' && typeof scripts.prepare === 'string' && scripts.prepare.trim() !== '') out.push('prepare');
  } else {
    if (facts.hasInstallScript) out.push('unnamed install script (hasInstallScript)');
    else if (facts.hasBindingGyp) out.push(NODE_GYP);
  }
  return out;
}

/** Who installs the package, as far as the implicit node-gyp build goes. */
export type GypBuilder = 'npm' | 'pnpm' | 'pnpm10' | 'yarn';

/**
 * Whether `builder` runs `node-gyp rebuild` for a package that ships a `binding.gyp` (and no install
 * script), given its package.json `gypfile` field. `"gypfile": false` turns the implicit build off for
 * npm and pnpm 11/12; pnpm 10 and Yarn 4 build it anyway (measured: pnpm 10.34.9, 11.28.10, 12.21.0,
 * Yarn 4.18.1). So `hasBindingGyp` is true only where the build really happens.
 */
export function buildsBindingGyp(builder: GypBuilder, gypfile: unknown): boolean {
  return gypfile !== false || builder === 'pnpm10' || builder === 'yarn';
}
