import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project's own packages, name -> folder (root + pnpm-workspace.yaml `packages:` globs of the
 * simple `dir`, `dir/*`, `dir/**` forms). Their manifests are the project's code: Lifeguard
 * never touches their scripts and lets them pick any dependency source.
 */
export function workspacePackages(dir: string): Map<string, string> {
  const names = new Map<string, string>();
  const addManifest = (d: string) => {
    try {
      const m = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof m.name === 'string' && !names.has(m.name)) names.set(m.name, d);
    } catch {
      /* no manifest */
    }
  };
  addManifest(dir);
  let yaml = '';
  try {
    yaml = readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return names;
  }
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (!line.startsWith(' ') && !line.startsWith('-')) inPackages = /^packages:\s*$/.test(line);
    if (!inPackages) continue;
    const m = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*$/.exec(line);
    if (!m || m[1]!.startsWith('!')) continue;
    const pattern = m[1]!.replace(/\/+$/, '');
    const star = pattern.search(/\*/);
    if (star < 0) addManifest(join(dir, pattern));
    else {
      const base = join(dir, pattern.slice(0, star).replace(/\/$/, ''));
      if (!existsSync(base)) continue;
      const walk = (d: string, depth: number) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.')) continue;
          addManifest(join(d, e.name));
          if (pattern.includes('**') && depth < 4) walk(join(d, e.name), depth + 1);
        }
      };
      walk(base, 0);
    }
  }
  return names;
}

/**
 * Names the project's own manifests (in `folders`) give a `file:`/`link:` spec: the directories it pulls
 * in, whose manifests are the project's code too (readPackage learns the deeper ones as it meets them).
 */
export function localDependencyNames(folders: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const folder of folders) {
    let m: unknown;
    try {
      m = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (typeof m !== 'object' || m === null) continue;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const deps = (m as Record<string, unknown>)[field];
      if (typeof deps !== 'object' || deps === null) continue;
      for (const [n, spec] of Object.entries(deps)) if (typeof spec === 'string' && /^\s*(?:file|link):/.test(spec)) names.add(n);
    }
  }
  return names;
}
