import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildsBindingGyp, type GypBuilder } from '@lifeguard/core';
import { readProjectFile, readProjectText } from './project-file';

export interface InstalledManifest {
  readonly scripts: Record<string, string>;
  readonly hasBindingGyp: boolean;
  /** The package's folder (the first one found when several copies exist). */
  readonly dir: string;
}

/**
 * `--installed`: the real package.json of every package under node_modules (npm's nested
 * tree, pnpm's `.pnpm` store, hoisted Yarn), keyed by `name@version`. Lockfiles do not
 * carry scripts, so this is what turns "may have install scripts" into the exact list.
 */
export function readInstalled(projectDir: string): Map<string, InstalledManifest> {
  const found = new Map<string, InstalledManifest>();
  const builder = builderOf(join(projectDir, 'node_modules'));
  const seen = new Set<string>();
  const visitPackage = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    // A FIFO or device planted as a package.json must not hang the gate: readProjectFile throws on it.
    const bytes = readProjectFile(join(dir, 'package.json'));
    if (!bytes) return;
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof manifest.name === 'string' && typeof manifest.version === 'string') {
      const scripts = typeof manifest.scripts === 'object' && manifest.scripts !== null ? (manifest.scripts as Record<string, string>) : {};
      const key = `${manifest.name}@${manifest.version}`;
      if (!found.has(key)) found.set(key, { scripts, hasBindingGyp: existsSync(join(dir, 'binding.gyp')) && buildsBindingGyp(builder, manifest.gypfile), dir });
    }
    visitNodeModules(join(dir, 'node_modules'));
  };
  const visitNodeModules = (nm: string): void => {
    let entries;
    try {
      entries = readdirSync(nm, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() && !e.isSymbolicLink()) continue;
      if (e.name === '.pnpm') {
        for (const store of safeList(join(nm, '.pnpm'))) visitNodeModules(join(nm, '.pnpm', store, 'node_modules'));
      } else if (e.name.startsWith('@')) {
        for (const scoped of safeList(join(nm, e.name))) visitPackage(join(nm, e.name, scoped));
      } else if (!e.name.startsWith('.')) visitPackage(join(nm, e.name));
    }
  };
  visitNodeModules(join(projectDir, 'node_modules'));
  // Yarn PnP keeps packages in zip archives, except those it unplugs (packages with build scripts).
  const unplugged = join(projectDir, '.yarn', 'unplugged');
  for (const entry of safeList(unplugged)) visitNodeModules(join(unplugged, entry, 'node_modules'));
  return found;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Which package manager laid out `nodeModules`: pnpm writes `.modules.yaml` (naming its version),
 * Yarn's node-modules linker `.yarn-state.yml`; otherwise npm. It decides the implicit node-gyp build.
 */
function builderOf(nodeModules: string): GypBuilder {
  const modules = readProjectText(join(nodeModules, '.modules.yaml'));
  if (modules === undefined) return existsSync(join(nodeModules, '.yarn-state.yml')) ? 'yarn' : 'npm';
  return /packageManager["']?\s*:\s*["']?pnpm@10\./.test(modules) ? 'pnpm10' : 'pnpm';
}
