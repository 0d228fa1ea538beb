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
