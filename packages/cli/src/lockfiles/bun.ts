import type { SourceKind } from '@lifeguard/core';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LockfileError, shortestParents, type LockedPackage, type LockedTree } from './types';

type Obj = Record<string, unknown>;

/**
 * JSONC to plain data with prototype-free objects: a package or dependency named `__proto__`
 * (hostile lockfile) stays a key to check instead of rewriting the object's prototype.
 */
function toValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Obj = Object.create(null);
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v && typeof k.value === 'string') o[k.value] = toValue(v);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : Object.create(null));

function stringMap(...maps: unknown[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const m of maps) for (const [k, v] of Object.entries(obj(m))) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `name@resolution` where the name may be scoped. */
function splitResolution(res: string): [string, string] | undefined {
  const at = res.indexOf('@', res.startsWith('@') ? 1 : 0);
  return at <= 0 ? undefined : [res.slice(0, at), res.slice(at + 1)];
}

function sourceOf(resolution: string, registryUrl: unknown): SourceKind {
  if (/^(?:github:|gitlab:|bitbucket:|git\+|git:|git@)/.test(resolution)) return 'git';
  if (/^https?:\/\//.test(resolution)) return 'tarball';
  if (resolution.startsWith('file:')) return 'file';
  if (resolution.startsWith('link:')) return 'link';
  if (resolution.startsWith('workspace:')) return 'workspace';
  // A registry entry's second field is its tarball URL ("" for the default registry); registry
  // tarballs live under `/<name>/-/`, so any other URL is an exotic tarball.
  if (typeof registryUrl === 'string' && /^https?:\/\//.test(registryUrl) && !registryUrl.includes('/-/')) return 'tarball';
  return 'registry';
}

/**
 * bun.lock (Bun 1.2+, lockfileVersion 0–2): JSONC with trailing commas. `packages` maps an install
 * path (`a`, `a/b` for a nested copy) to `[resolution, registry tarball, info, integrity]` for npm
 * packages and `[resolution, info, ...]` for git, tarball and path ones; `info` carries the
 * dependencies and `hasInstallScript`. Workspaces are the project's own code.
 */
export function readBunLock(text: string, file: string, registries: readonly string[] = []): LockedTree {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    const line = e ? text.slice(0, e.offset).split('\n').length : 1;
    throw new LockfileError(file, `not valid JSONC at line ${line} (${e ? printParseErrorCode(e.error) : 'empty'})`);
  }
  const doc = obj(toValue(tree));
  const v = doc.lockfileVersion;
  if (v !== 0 && v !== 1 && v !== 2) throw new LockfileError(file, `lockfileVersion ${JSON.stringify(v)} is not supported (expected 0, 1 or 2, written by Bun 1.2 and later)`);

  const out: LockedPackage[] = [];
  const byPath = new Map<string, LockedPackage>();
  for (const [path, entry] of Object.entries(obj(doc.packages))) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new LockfileError(file, `packages[${JSON.stringify(path)}] is not a [resolution, ...] entry`);
    const split = splitResolution(entry[0]);
    if (!split) throw new LockfileError(file, `packages[${JSON.stringify(path)}]: ${JSON.stringify(entry[0])} is not "name@resolution"`);
    const [name, resolution] = split;
    const source = sourceOf(resolution, entry[1]);
    if (source === 'workspace' || resolution.startsWith('root:')) {
      out.push({ name, version: '0.0.0', workspace: true, source: 'workspace' });
      continue;
    }
    const info = obj(source === 'registry' ? entry[2] : entry[1]);
    const integrity = source === 'registry' ? entry[3] : undefined;
    const facts: LockedPackage = {
      name,
      version: resolution,
      source,
      ...(source !== 'registry' ? { resolved: resolution } : {}),
      dependencies: stringMap(info.optionalDependencies, info.dependencies),
      ...(info.hasInstallScript === true ? { hasInstallScript: true } : {}),
      ...(typeof integrity === 'string' && integrity !== '' ? { integrity } : {}),
      // Bun downloads a registry entry's own URL when it has one ("" means the configured registry):
      // a forged URL under a trusted name must agree with the name, the version and a registry.
      ...(source === 'registry' ? { lockfile: { key: entry[0], ...(typeof entry[1] === 'string' && entry[1] !== '' ? { tarball: entry[1] } : {}), registries } } : {}),
    };
    byPath.set(path, facts);
  }
  // "Pulled in by" (for messages): the workspaces are the roots; a dependency resolves to the nested
  // copy `parent/dep` when there is one, else to the hoisted `dep`.
  const edges = new Map<string, string[]>();
  const resolve = (from: string, dep: string): string | undefined =>
    byPath.has(`${from}/${dep}`) ? `${from}/${dep}` : byPath.has(dep) ? dep : undefined;
  for (const [path, facts] of byPath) edges.set(path, Object.keys(facts.dependencies ?? {}).flatMap((d) => resolve(path, d) ?? []));
  const roots: string[] = [];
  for (const [wsPath, ws] of Object.entries(obj(doc.workspaces))) {
    const deps = Object.keys(stringMap(obj(ws).dependencies, obj(ws).devDependencies, obj(ws).optionalDependencies));
    const root = `workspace:${wsPath}`;
    edges.set(root, deps.flatMap((d) => (byPath.has(d) ? [d] : [])));
    roots.push(root);
  }
  const chains = shortestParents(roots, edges);
  for (const [path, facts] of byPath) {
    const chain = (chains.get(path) ?? []).map((p) => byPath.get(p)).filter((p) => p !== undefined);
    out.push({ ...facts, requiredBy: chain.map((p) => p.name), via: chain.map((p) => `${p.name}@${p.version}`) });
  }
  return { kind: 'bun', packages: out, scriptsRecorded: true };
}
