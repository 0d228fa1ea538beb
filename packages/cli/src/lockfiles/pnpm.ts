import { chosenByProject, classifySpec, projectChoices, type SourceKind } from '@lifeguard/core';
// js-yaml, not `yaml`: ~20x faster on a 1,000-package lockfile (400 -> 20 ms), which `lifeguard incident` reads by the thousand.
import { loadAll } from 'js-yaml';
import { upgradeV6 } from './pnpm-v6';
import { LockfileError, localPackages, type LockedPackage, type LockedTree, shortestParents, splitNameVersion } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
/** `foo@1.0.0(react@18.0.0)` -> `foo@1.0.0`: peer suffixes are not part of the package identity. */
const stripPeers = (key: string): string => key.replace(/\(.*$/, '');

/**
 * What pnpm fetches: the key's version says registry (a semver), URL or path; git and directory
 * resolutions say so themselves. A registry key with a `tarball` resolution is still a registry
 * package: its URL must then be a registry's (the identity check).
 */
function sourceOf(resolution: Obj, keyVersion: string): SourceKind {
  if (resolution.type === 'git' || resolution.repo !== undefined) return 'git';
  if (resolution.type === 'directory') return 'file';
  if (/^https?:/.test(keyVersion)) return 'tarball';
  if (/^file:/.test(keyVersion) || (typeof resolution.tarball === 'string' && resolution.tarball.startsWith('file:'))) return 'file';
  return 'registry';
}

/** Importer fields whose packages pnpm installs: config and package-manager dependencies are judged like any other. */
const IMPORTER_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'configDependencies', 'packageManagerDependencies'];

/**
 * The documents of a pnpm-lock.yaml: pnpm 11/12 write config (and package-manager) dependencies as a
 * first document of their own. Every document must be a v9 lockfile, or a v6 one (pnpm 8), read as v9.
 */
function documents(text: string, file: string): Obj[] {
  const docs: Obj[] = [];
  for (const d of loadAll(text)) {
    if (d === null || d === undefined) continue; // an empty document (a stray `---`)
    const doc = obj(d);
    const version = String(doc.lockfileVersion ?? '');
    if (/^6\./.test(version)) docs.push(upgradeV6(doc));
    else if (/^9\./.test(version)) docs.push(doc);
    else throw new LockfileError(file, `lockfileVersion ${JSON.stringify(version)} is not supported (expected 6.x or 9.x, written by pnpm 8 and later)`);
  }
  if (docs.length === 0) throw new LockfileError(file, 'lockfileVersion "" is not supported (expected 6.x or 9.x, written by pnpm 8 and later)');
  return docs;
}

/** Entries of one section across documents (a key in two documents: the later one's fields win). */
function merged(docs: Obj[], section: string): Obj {
  const out = Object.create(null) as Obj; // lockfile keys such as `__proto__` are data
  for (const d of docs) for (const [k, v] of Object.entries(obj(d[section]))) out[k] = { ...obj(out[k]), ...obj(v) };
  return out;
}

/** pnpm-lock.yaml v9 (pnpm 9-12): `packages` holds resolutions, `snapshots` the dependency edges. */
export function readPnpmLock(text: string, file: string, registries: readonly string[] = []): LockedTree {
  let docs: Obj[];
  try {
    docs = documents(text, file);
  } catch (e) {
    if (e instanceof LockfileError) throw e;
    throw new LockfileError(file, `not valid YAML (${(e as Error).message})`);
  }
  const packages = merged(docs, 'packages');
  const snapshots = merged(docs, 'snapshots');
  const importers = merged(docs, 'importers');
  // The project's overrides and its importers' directories: specs it chose, not a publisher.
  const choices = projectChoices({ overrides: docs.map((d) => d.overrides).find((o) => o !== undefined), dirs: Object.keys(importers) });

  const edges = new Map<string, string[]>();
  const depsOf = (deps: unknown): [string, string][] => Object.entries(obj(deps)).map(([n, v]) => [n, String(typeof v === 'object' ? obj(v).version : v)]);
  const edgeTarget = (name: string, version: string): string => (version.startsWith('link:') ? `link:${name}` : `${name}@${stripPeers(version)}`);
  const roots: string[] = [];
  // Keys a project asks for with a semver range: a range never resolves to an arbitrary URL.
  const askedFromRegistry = new Set<string>();
  for (const [path, imp] of Object.entries(importers)) {
    const id = `importer:${path}`;
    roots.push(id);
    const kids: string[] = [];
    for (const field of IMPORTER_FIELDS) {
      for (const [n, v] of depsOf(obj(imp)[field])) kids.push(edgeTarget(n, v));
      for (const [n, v] of Object.entries(obj(obj(imp)[field]))) {
        const { specifier, version: locked } = obj(v);
        if (typeof specifier === 'string' && typeof locked === 'string' && /^https?:/.test(locked) && classifySpec(specifier) === 'registry') askedFromRegistry.add(`${n}@${stripPeers(locked)}`);
      }
    }
    edges.set(id, kids);
  }
  const snapshotDeps = new Map<string, Record<string, string>>();
  for (const [key, snap] of Object.entries(snapshots)) {
    const pkgKey = stripPeers(key);
    const deps = Object.create(null) as Record<string, string>; // `__proto__` is a name here, not a setter
    const kids = edges.get(pkgKey) ?? [];
    for (const field of ['dependencies', 'optionalDependencies']) {
      for (const [n, v] of depsOf(obj(snap)[field])) {
        deps[n] = stripPeers(v);
        kids.push(edgeTarget(n, v));
      }
    }
    edges.set(pkgKey, kids);
    snapshotDeps.set(pkgKey, { ...snapshotDeps.get(pkgKey), ...deps });
  }
  const parents = shortestParents(roots, edges);
  const sources = new Map<string, SourceKind>();
  for (const [key, meta] of Object.entries(packages)) sources.set(key, sourceOf(obj(obj(meta).resolution), splitNameVersion(key)[1]));
  // `file:` directories the project names (and theirs): their manifests are the project's code.
  const local = localPackages(roots, edges, (key) => sources.get(key) === 'file');
  const out: LockedPackage[] = [];
  for (const [key, meta] of Object.entries(packages)) {
    const m = obj(meta);
    const [name, keyVersion] = splitNameVersion(key);
    const resolution = obj(m.resolution);
    const keySource = sources.get(key) as SourceKind;
    // An importer's semver specifier locked to a URL: a registry package whose URL must be a registry's.
    const source = keySource === 'tarball' && askedFromRegistry.has(key) ? 'registry' : keySource;
    // A registry key names what pnpm fetches; `version:` and `name:` fields are only read back.
    // (A protocol key such as `node@runtime:26.7.0` carries no registry version to compare.)
    const versionedKey = keySource === 'registry' && !keyVersion.includes(':');
    const version = versionedKey || typeof m.version !== 'string' ? keyVersion : m.version;
    // Snapshot values are resolved versions; an exotic one (URL, git, path) is its own spec.
    const dependencies = snapshotDeps.get(key) ?? {};
    const chosen = chosenByProject(choices, dependencies);
    out.push({
      name,
      version,
      source,
      // A tarball key's own URL, so that a `resolution.tarball` pointing elsewhere shows.
      ...(source !== 'registry' ? { resolved: source === 'tarball' ? keyVersion : String(resolution.tarball ?? resolution.repo ?? resolution.directory ?? keyVersion) } : {}),
      dependencies,
      ...(local.has(key) ? { local: true } : {}),
      ...(chosen.length > 0 ? { projectChosen: chosen } : {}),
      ...(m.requiresBuild === true ? { hasInstallScript: true } : {}),
      ...(typeof resolution.integrity === 'string' ? { integrity: resolution.integrity } : {}),
      lockfile: {
        key,
        ...(typeof m.name === 'string' ? { name: m.name } : {}),
        ...(versionedKey && typeof m.version === 'string' ? { version: m.version } : {}),
        ...(typeof resolution.tarball === 'string' ? { tarball: resolution.tarball } : keySource !== source ? { tarball: keyVersion } : {}),
        registries,
      },
      requiredBy: parents.get(key)?.filter((p) => !p.startsWith('importer:')) ?? [],
    });
  }
  return { kind: 'pnpm', packages: out, scriptsRecorded: false };
}
