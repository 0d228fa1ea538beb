import { classifySpec, classifyYarnReference, type SourceKind, yarnBinding } from '@lifeguard/core';
import { parseSyml } from '@yarnpkg/parsers';
import { LockfileError, localPackages, type LockedPackage, type LockedTree, shortestParents, splitNameVersion } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/**
 * The package a classic entry installs: an alias (`prettier-2@npm:prettier@^2`) installs the
 * package after `npm:`, which is what the checks must see (Berry's `resolution` already names it).
 */
function classicName(descriptor: string): string {
  const [name, spec] = splitNameVersion(descriptor);
  return spec.startsWith('npm:') ? splitNameVersion(spec.slice(4))[0] || name : name;
}

/** yarn.lock: Berry (`__metadata`, locators with protocols) and classic v1. */
export function readYarnLock(text: string, file: string): LockedTree {
  let doc: Obj;
  try {
    doc = obj(parseSyml(text));
  } catch (e) {
    throw new LockfileError(file, `not a yarn.lock (${(e as Error).message})`);
  }
  const berry = doc.__metadata !== undefined;
  const byDescriptor = new Map<string, string>();
  const entries: [string, Obj][] = [];
  const ids = new Set<string>();
  const classicSpec = new Map<string, string>();
  for (const [keys, value] of Object.entries(doc)) {
    if (keys === '__metadata') continue;
    const e = obj(value);
    const id = berry ? String(e.resolution ?? keys) : `${classicName(keys.split(',')[0]?.trim() ?? keys)}@${String(e.version)}`;
    for (const k of keys.split(',')) byDescriptor.set(k.trim(), id);
    // The classic parser gives each descriptor of a `"a@1", "a@^1":` block its own key: one package.
    if (ids.has(id)) continue;
    ids.add(id);
    if (!berry) classicSpec.set(id, splitNameVersion(keys.split(',')[0]?.trim() ?? '')[1]);
    entries.push([id, e]);
  }
  // Edges go from a package to the locator its descriptor resolved to.
  const edges = new Map<string, string[]>();
  const roots: string[] = [];
  for (const [id, e] of entries) {
    const kids: string[] = [];
    for (const [n, range] of Object.entries({ ...obj(e.dependencies), ...obj(e.optionalDependencies) })) {
      const target = byDescriptor.get(`${n}@${String(range)}`);
      if (target) kids.push(target);
    }
    edges.set(id, kids);
    if (berry && id.includes('@workspace:')) roots.push(id);
  }
  const parents = shortestParents(roots, edges);
  const sources = new Map<string, SourceKind>();
  for (const [id] of entries) {
    const reference = splitNameVersion(id)[1];
    sources.set(id, berry ? classifyYarnReference(reference) : classifySpec(classicSpec.get(id) ?? ''));
  }
  const local = berry ? berryLocal(sources) : classicLocal(entries, edges, sources);
  const out: LockedPackage[] = [];
  for (const [id, e] of entries) {
    const [name, reference] = splitNameVersion(id);
    const source = sources.get(id) as SourceKind;
    const dependencies = Object.create(null) as Record<string, string>; // `__proto__` is a name here, not a setter
    for (const [n, range] of Object.entries({ ...obj(e.optionalDependencies), ...obj(e.dependencies) })) dependencies[n] = String(range);
    out.push({
      name,
      version: String(e.version ?? reference),
      source,
      ...(source !== 'registry' && source !== 'workspace' ? { resolved: reference } : {}),
      dependencies,
      ...(source === 'workspace' ? { workspace: true } : {}),
      ...(local.has(id) ? { local: true } : {}),
      // Classic records the tarball's SRI; Berry only a checksum of its own cache archive.
      ...(typeof e.integrity === 'string' ? { integrity: e.integrity } : {}),
      requiredBy: (parents.get(id) ?? []).filter((p) => !p.includes('@workspace:')).map((p) => p.replace(/@npm:/, '@')),
    });
  }
  return { kind: 'yarn', packages: out };
}

const isDirectory = (source: SourceKind | undefined): boolean => source === 'file' || source === 'link';

/**
 * Berry: a `file:`/`link:`/`portal:` package is the project's when the locator it is bound to (who
 * named it) is a workspace or another such package of the project.
 */
function berryLocal(sources: ReadonlyMap<string, SourceKind>): Set<string> {
  const local = new Set<string>();
  const judge = (id: string, depth: number): boolean => {
    if (!isDirectory(sources.get(id)) || depth > 32) return false;
    const parent = yarnBinding(splitNameVersion(id)[1]);
    if (parent === undefined) return false;
    const ok = splitNameVersion(parent)[1].startsWith('workspace:') || local.has(parent) || judge(parent, depth + 1);
    if (ok) local.add(id);
    return ok;
  };
  for (const id of sources.keys()) judge(id, 0);
  return local;
}

/**
 * Classic lists no workspaces: a `file:`/`link:` entry nothing else in the lockfile depends on was named by
 * the project's own manifests; so were the directories it names in turn.
 */
function classicLocal(entries: readonly [string, unknown][], edges: ReadonlyMap<string, readonly string[]>, sources: ReadonlyMap<string, SourceKind>): Set<string> {
  const named = new Set([...edges.values()].flat());
  const project = '(project)';
  const withProject = new Map(edges);
  withProject.set(project, entries.map(([id]) => id).filter((id) => !named.has(id)));
  return localPackages([project], withProject, (id) => isDirectory(sources.get(id)));
}
