import { classifySpec, classifyYarnReference, type SourceKind } from '@lifeguard/core';
import { parseSyml } from '@yarnpkg/parsers';
import { LockfileError, type LockedPackage, type LockedTree, shortestParents, splitNameVersion } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

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
  const classicSpec = new Map<string, string>();
  const descriptors = new Map<string, string[]>();
  for (const [keys, value] of Object.entries(doc)) {
    if (keys === '__metadata') continue;
    const e = obj(value);
    const id = berry ? String(e.resolution ?? keys) : `${splitNameVersion(keys.split(',')[0]?.trim() ?? keys)[0]}@${String(e.version)}`;
    for (const k of keys.split(',')) byDescriptor.set(k.trim(), id);
    descriptors.set(id, [...(descriptors.get(id) ?? []), ...keys.split(',').map((k) => k.trim())]);
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

  const out: LockedPackage[] = [];
  for (const [id, e] of entries) {
    const [keyName, reference] = splitNameVersion(id);
    const identity = berry ? berryIdentity(reference, descriptors.get(id) ?? []) : classicIdentity(keyName, classicSpec.get(id) ?? '', e);
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
  return { kind: 'yarn', packages: out };
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

/** Classic v1: the key is `name@range` (or `alias@npm:real@range`), `resolved` the URL fetched. */
function classicIdentity(keyName: string, spec: string, e: Obj): Identity {
  const source = classifySpec(spec);
  const resolved = typeof e.resolved === 'string' && /^https?:/i.test(e.resolved) ? e.resolved : undefined;
  const alias = spec.startsWith('npm:') ? splitNameVersion(spec.slice(4))[0] : undefined;
  return {
    source,
    ...(alias && alias !== keyName ? { name: alias } : {}),
    ...(resolved !== undefined && source === 'registry' ? { tarball: resolved } : {}),
  };
}
