import { classifySpec, classifyYarnReference, PUBLIC_REGISTRIES, type SourceKind, urlHost, yarnBinding } from '@lifeguard/core';
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
export function readYarnLock(text: string, file: string, registries: readonly string[] = []): LockedTree {
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
  const descriptors = new Map<string, string[]>();
  const blockIds = new Map<Obj, string>();
  for (const [keys, value] of Object.entries(doc)) {
    if (keys === '__metadata') continue;
    const e = obj(value);
    // Classic: the parser hands every descriptor of a block the same object; the block is one package.
    const id = berry ? String(e.resolution ?? keys) : (blockIds.get(e) ?? `${classicName(keys.split(',')[0]?.trim() ?? keys)}@${String(e.version)}`);
    blockIds.set(e, id);
    for (const k of keys.split(',')) byDescriptor.set(k.trim(), id);
    descriptors.set(id, [...(descriptors.get(id) ?? []), ...keys.split(',').map((k) => k.trim())]);
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
    const [keyName, reference] = splitNameVersion(id);
    const identity = berry ? berryIdentity(reference, descriptors.get(id) ?? []) : classicIdentity(keyName, (descriptors.get(id) ?? []).map((d) => splitNameVersion(d)[1]), e, registries);
    const name = identity.name ?? keyName;
    const source = identity.source;
    const dependencies = Object.create(null) as Record<string, string>; // `__proto__` is a name here, not a setter
    for (const [n, range] of Object.entries({ ...obj(e.optionalDependencies), ...obj(e.dependencies) })) dependencies[n] = String(range);
    // Yarn fetches what the locator says: its npm version wins over the `version:` field.
    const version = identity.version ?? String(e.version ?? reference);
    out.push({
      name,
      version,
      source,
      ...(source !== 'registry' && source !== 'workspace' ? { resolved: reference } : {}),
      dependencies,
      ...(source === 'workspace' ? { workspace: true } : {}),
      ...(local.has(id) ? { local: true } : {}),
      // Classic records the tarball's SRI; Berry only a checksum of its own cache archive.
      ...(typeof e.integrity === 'string' ? { integrity: e.integrity } : {}),
      requiredBy: (parents.get(id) ?? []).filter((p) => !p.includes('@workspace:')).map((p) => p.replace(/@npm:/, '@')),
      ...(source === 'workspace'
        ? {}
        : {
            lockfile: {
              key: id,
              ...(identity.version !== undefined && e.version !== undefined ? { version: String(e.version) } : {}),
              ...(identity.tarball !== undefined ? { tarball: identity.tarball } : {}),
              registries,
            },
          }),
    });
  }
  return { kind: 'yarn', packages: out, scriptsRecorded: false };
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

interface Identity {
  readonly source: SourceKind;
  /** The package's name when the key's is an alias (classic `alias@npm:real@^1`). */
  readonly name?: string;
  /** The version the reference fixes (Berry `npm:1.0.0`). */
  readonly version?: string;
  readonly tarball?: string;
}

/**
 * Berry: `npm:1.0.0`, `npm:1.0.0::__archiveUrl=<encoded URL>` (the URL Yarn downloads), or a URL
 * reference. A URL that only `npm:` descriptors resolved to is a registry package's tarball: a
 * semver range never resolves to an arbitrary URL.
 */
function berryIdentity(reference: string, keys: readonly string[]): Identity {
  if (reference.startsWith('npm:')) {
    const [version = '', params = ''] = reference.slice(4).split('::');
    const archive = new URLSearchParams(params).get('__archiveUrl');
    return { source: 'registry', version, ...(archive !== null ? { tarball: archive } : {}) };
  }
  const source = classifyYarnReference(reference);
  const askedFromRegistry = keys.length > 0 && keys.every((k) => splitNameVersion(k)[1].startsWith('npm:'));
  if (source === 'tarball' && askedFromRegistry) return { source: 'registry', tarball: reference };
  return { source };
}

/**
 * Classic v1: a block lists every descriptor that resolved to one package (`name@range` or
 * `alias@npm:real@range`), `resolved` the URL fetched. The descriptor that asked for exactly that
 * URL (a project's `resolutions` to a git repository) or for an `npm:` alias says what the package
 * is; otherwise the first one does. A URL on one of the registries is always checked against the
 * name and version: a descriptor naming it cannot turn a registry tarball into a "URL package".
 */
function classicIdentity(keyName: string, specs: readonly string[], e: Obj, registries: readonly string[]): Identity {
  const resolved = typeof e.resolved === 'string' && /^https?:/i.test(e.resolved) ? e.resolved : undefined;
  const registryHosts = new Set([...PUBLIC_REGISTRIES, ...registries].map(urlHost));
  const asksForResolved = (s: string): boolean =>
    resolved !== undefined && !registryHosts.has(urlHost(resolved)) && classifySpec(s) !== 'registry' && (s === resolved || s === resolved.split('#')[0]);
  const spec = specs.find(asksForResolved) ?? specs.find((s) => s.startsWith('npm:')) ?? specs[0] ?? '';
  const source = classifySpec(spec);
  const alias = spec.startsWith('npm:') ? splitNameVersion(spec.slice(4))[0] : undefined;
  return {
    source,
    ...(alias && alias !== keyName ? { name: alias } : {}),
    ...(resolved !== undefined && source === 'registry' ? { tarball: resolved } : {}),
  };
}
