import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root: the nearest folder with a Bun lockfile or bunfig.toml above where Bun runs. */
export function projectDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (['bun.lock', 'bun.lockb', 'bunfig.toml'].some((f) => existsSync(join(dir, f)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

type Manifest = { workspaces?: unknown } & Record<string, unknown>;
const readManifest = (dir: string): Manifest | undefined => {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
};

/**
 * What the project's own manifests (root and workspaces: `dir`, `dir/*`) ask for, name -> specs.
 * A git, URL or path spec found here is the project's choice; any other one came from a dependency.
 */
export function declaredSpecs(root: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (m: Manifest | undefined) => {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
      const deps = m?.[field];
      if (typeof deps !== 'object' || deps === null) continue;
      for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string') out.set(name, (out.get(name) ?? new Set()).add(spec));
    }
  };
  const rootManifest = readManifest(root);
  add(rootManifest);
  const ws = rootManifest?.workspaces;
  const patterns = Array.isArray(ws) ? ws : Array.isArray((ws as { packages?: unknown })?.packages) ? (ws as { packages: unknown[] }).packages : [];
  for (const p of patterns) {
    if (typeof p !== 'string' || p.startsWith('!')) continue;
    const base = join(root, p.replace(/\/\*\*?$/, ''));
    if (!p.includes('*')) add(readManifest(base));
    else if (existsSync(base)) for (const e of readdirSync(base, { withFileTypes: true })) if (e.isDirectory()) add(readManifest(join(base, e.name)));
  }
  return out;
}
