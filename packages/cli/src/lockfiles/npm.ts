import { classifySpec, type SourceKind } from '@lifeguard/core';
import { upgradeV1 } from './npm-v1';
import { LockfileError, type LockedPackage, type LockedTree, shortestParents } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/**
 * What npm fetches for an entry: its `resolved`. An http(s) URL is a registry tarball unless some
 * manifest in the lockfile asks for this name by URL: a semver range never resolves to an
 * arbitrary tarball, so its URL must be a registry's (the identity check).
 */
function sourceOf(resolved: unknown, askedByUrl: boolean): SourceKind {
  if (typeof resolved !== 'string') return 'registry';
  if (resolved.startsWith('git') || resolved.startsWith('github:')) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (/^https?:\/\//.test(resolved)) return askedByUrl ? 'tarball' : 'registry';
  return 'registry';
}

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'] as const;

/** Names some entry (the root and workspaces included) asks for by an http(s) URL. */
function namesAskedByUrl(packages: Obj): Set<string> {
  const out = new Set<string>();
  for (const entry of Object.values(packages)) {
    for (const field of DEP_FIELDS) {
      for (const [n, spec] of Object.entries(obj(obj(entry)[field]))) if (typeof spec === 'string' && classifySpec(spec) === 'tarball') out.add(n);
    }
  }
  return out;
}

/** package-lock.json / npm-shrinkwrap.json v2 and v3: the flat `packages` map keyed by install path (v1 is read as v2). */
export function readNpmLock(text: string, file: string, registries: readonly string[] = []): LockedTree {
  let doc: Obj;
  try {
    doc = obj(JSON.parse(text));
  } catch (e) {
    throw new LockfileError(file, `not valid JSON (${(e as Error).message})`);
  }
  const v = doc.lockfileVersion;
  if (v === 1) doc = upgradeV1(doc);
  else if (v !== 2 && v !== 3) throw new LockfileError(file, `lockfileVersion ${JSON.stringify(v)} is not supported (expected 1, 2 or 3, written by npm 5 and later)`);
  const out: LockedPackage[] = [];
  const byUrl = namesAskedByUrl(obj(doc.packages));
  const chains = dependencyChains(obj(doc.packages));
  for (const [path, entry] of Object.entries(obj(doc.packages))) {
    if (path === '') continue;
    const e = obj(entry);
    const segments = path.split(/(?:^|\/)node_modules\//).filter(Boolean);
    const installed = path.startsWith('node_modules/') || path.includes('/node_modules/');
    const name = typeof e.name === 'string' ? e.name : (segments[segments.length - 1] ?? path);
    // Entries outside node_modules are the project's workspaces; links point at them.
    if (!installed || e.link === true) {
      if (!installed) out.push({ name, version: String(e.version ?? '0.0.0'), workspace: true, source: 'workspace' });
      continue;
    }
    const source = sourceOf(e.resolved, byUrl.has(segments[segments.length - 1] ?? path));
    out.push({
      name,
      version: String(e.version ?? ''),
      source,
      ...(source !== 'registry' ? { resolved: String(e.resolved) } : {}),
      dependencies: { ...(obj(e.optionalDependencies) as Record<string, string>), ...(obj(e.dependencies) as Record<string, string>) },
      ...(e.hasInstallScript === true ? { hasInstallScript: true } : {}),
      ...(typeof e.integrity === 'string' ? { integrity: e.integrity } : {}),
      requiredBy: segments.slice(0, -1),
      lockfile: { key: path, ...(typeof e.resolved === 'string' && /^https?:/i.test(e.resolved) ? { tarball: e.resolved } : {}), registries },
      via: chains.get(path) ?? [],
    });
  }
  return { kind: 'npm', packages: out, scriptsRecorded: v !== 1 };
}

/** `node_modules/a/node_modules/@s/b` -> `node_modules/a`; a top-level package or a workspace -> the root. */
function parentPath(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return at <= 0 ? '' : path.slice(0, at - 1);
}

/**
 * Shortest dependency chain to every install path, resolved the way Node does (the nearest
 * `node_modules/<dep>` walking up from the dependent), from the root and workspaces.
 */
function dependencyChains(packages: Obj): Map<string, string[]> {
  const label = new Map<string, string>();
  const edges = new Map<string, string[]>();
  const roots: string[] = [];
  const resolveDep = (from: string, dep: string): string | undefined => {
    for (let base = from; ; base = parentPath(base)) {
      const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
      const e = packages[candidate];
      if (e !== undefined && Object.hasOwn(packages, candidate)) {
        const linked = obj(e);
        return linked.link === true && typeof linked.resolved === 'string' ? linked.resolved : candidate;
      }
      if (base === '') return undefined;
    }
  };
  for (const [path, entry] of Object.entries(packages)) {
    const e = obj(entry);
    const installed = path.startsWith('node_modules/') || path.includes('/node_modules/');
    if (!installed) roots.push(path);
    else if (e.link !== true) label.set(path, `${typeof e.name === 'string' ? e.name : path.slice(path.lastIndexOf('node_modules/') + 13)}@${String(e.version ?? '')}`);
    const fields = installed ? ['dependencies', 'optionalDependencies', 'peerDependencies'] : ['dependencies', 'optionalDependencies', 'devDependencies'];
    const kids: string[] = [];
    for (const f of fields) for (const dep of Object.keys(obj(e[f]))) {
      const target = resolveDep(installed ? path : path === '' ? '' : path, dep);
      if (target !== undefined) kids.push(target);
    }
    edges.set(path, kids);
  }
  const chains = new Map<string, string[]>();
  for (const [path, parents] of shortestParents(roots, edges)) {
    chains.set(path, parents.filter((p) => label.has(p)).map((p) => label.get(p) as string));
  }
  return chains;
}
