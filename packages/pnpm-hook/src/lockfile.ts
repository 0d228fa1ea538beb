import { chosenByProject, classifySpec, projectChoices, type LockfileEntry, type SourceKind } from '@lifeguard/core';

/** One package of a pnpm lockfile. */
export interface LockedPackage {
  /** The lockfile key without peer suffix, e.g. `@a/b@1.0.0` or `x@https://host/x.tgz`. */
  readonly key: string;
  readonly name: string;
  /** Semver for registry packages; the URL / git ref otherwise (or the `version:` field when given). */
  readonly version: string;
  readonly source: SourceKind;
  readonly resolved?: string;
  /** Dependencies as locked (`name -> version or URL`), when known. */
  readonly dependencies?: Record<string, string>;
  /** A `file:` directory the project names (see PackageFacts.local). */
  readonly local?: boolean;
  /** Dependencies whose locked spec the project chose (see PackageFacts.projectChosen). */
  readonly projectChosen?: readonly string[];
  /** The entry's own `name:` / `version:` fields and `resolution.tarball`, for the identity check. */
  readonly entry?: { readonly name?: string; readonly version?: string; readonly tarball?: string };
}

/** Splits `name@version(peers)` (the first `@` after a possible scope). */
export function splitKey(raw: string): { name: string; version: string } | undefined {
  const key = stripPeers(raw.startsWith('/') ? raw.slice(1) : raw);
  const at = key.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

/** `1.0.0(react@18.0.0)` -> `1.0.0`; URLs never contain `(` in practice. */
export function stripPeers(v: string): string {
  const i = v.indexOf('(');
  return i > 0 ? v.slice(0, i) : v;
}

function sourceOf(version: string, resolution: { type?: unknown; tarball?: unknown; directory?: unknown } | undefined): SourceKind {
  if (resolution && typeof resolution === 'object') {
    if (resolution.type === 'git' || resolution.type === 'git-hosted') return 'git';
    if (resolution.type === 'directory' || typeof resolution.directory === 'string') return 'file';
  }
  if (/^(?:https?:|git\+|git:|github:|gitlab:|bitbucket:)/.test(version)) return /^https?:/.test(version) && !/\.git(#|$)/.test(version) ? 'tarball' : 'git';
  if (/^(?:file:|link:)/.test(version)) return version.startsWith('link:') ? 'link' : 'file';
  return 'registry';
}

/** A YAML scalar as pnpm writes it: plain, 'single-quoted' or "double-quoted" (a malformed one is kept as written). */
const unquote = (s: string): string => {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch {
      // not JSON-compatible escapes: keep the text between the quotes
    }
    return t.slice(1, -1);
  }
  return t;
};

/** `{integrity: sha512-x, tarball: https://...}` -> the keys Lifeguard reads (`type`, `tarball`, `directory`). */
function flowMapping(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const body = text.trim().replace(/^\{|\}$/g, '');
  for (const part of body.split(/,\s*(?=[A-Za-z]+:)/)) {
    const m = /^\s*([A-Za-z]+):\s*(.*)$/.exec(part);
    if (m && (m[1] === 'type' || m[1] === 'tarball' || m[1] === 'directory' || m[1] === 'repo' || m[1] === 'commit')) out[m[1]] = unquote(m[2]!);
  }
  return out;
}

/**
 * Reads a pnpm-lock.yaml text (v9: pnpm 9-12) into the shape pnpm hands to `preResolution`
 * (`importers` with `{ specifier, version }`, `packages` and `snapshots` apart), without a YAML
 * library: the file is machine-written with fixed indentation (two spaces per level), and a
 * bundled YAML parser adds ~3 ms to loading the pnpmfile, on every pnpm command. Every YAML document
 * is read (pnpm 11/12 put config dependencies in a document of their own). Only the fields
 * Lifeguard reads are kept; `packagesOnly` skips the importers and the dependency edges.
 */
export function parseLockfileText(text: string, packagesOnly = false): { importers: Obj; packages: Obj; snapshots: Obj; overrides: Obj } {
  // Objects without a prototype: a lockfile key such as `__proto__` is data, not a setter.
  const obj = (): Obj => Object.create(null) as Obj;
  const importers = obj();
  const packages = obj();
  const snapshots = obj();
  const overrides = obj();
  let section = '';
  let entry: Obj | undefined; // the importer, package or snapshot being read
  let field: Obj | undefined; // its dependency map being read
  let dep: Obj | undefined; // an importer dependency's { specifier, version }
  let reading = false; // inside a section this call reads
  for (const raw of text.split(/\r?\n/)) {
    if (raw.charCodeAt(0) !== 32) {
      if (raw === '' || raw.startsWith('#')) continue;
      section = raw === '---' ? '' : raw.replace(/:.*$/, '');
      reading = section === 'packages' || (!packagesOnly && (section === 'importers' || section === 'snapshots' || section === 'overrides'));
      entry = field = dep = undefined;
      continue;
    }
    if (!reading) continue;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    // Deeper lines matter only inside a dependency map being read (packages have none Lifeguard reads).
    if (indent > 4 && (section === 'packages' || !field)) continue;
    const m = /^(.+?):(?:\s+(.*))?$/.exec(line);
    if (!m) continue; // `- name` list items (transitivePeerDependencies)
    const key = unquote(m[1]!);
    const value = m[2];
    if (section === 'overrides') {
      if (indent === 2 && value !== undefined) overrides[key] = unquote(value);
      continue;
    }
    if (indent === 2) {
      const table = section === 'importers' ? importers : section === 'packages' ? packages : snapshots;
      entry = (table[key] as Obj | undefined) ?? obj();
      table[key] = entry;
      field = dep = undefined;
      if (section === 'packages' && value?.startsWith('{')) entry.resolution = flowMapping(value);
      continue;
    }
    if (!entry) continue;
    if (indent === 4) {
      field = dep = undefined;
      if (value === undefined && /^(?:dependencies|devDependencies|optionalDependencies)$/.test(key) && section !== 'packages') {
        field = (entry[key] as Obj | undefined) ?? obj();
        entry[key] = field;
      } else if (section === 'packages' && value !== undefined && (key === 'version' || key === 'name')) entry[key] = unquote(value);
      else if (section === 'packages' && key === 'resolution' && value !== undefined) entry.resolution = flowMapping(value);
      continue;
    }
    if (!field) continue;
    if (indent === 6) {
      if (section === 'snapshots') {
        if (value !== undefined) field[key] = unquote(value);
      } else {
        dep = obj();
        field[key] = dep;
      }
      continue;
    }
    if (indent === 8 && dep && value !== undefined && (key === 'specifier' || key === 'version')) dep[key] = unquote(value);
  }
  return { importers, packages, snapshots, overrides };
}

/** The packages of a pnpm-lock.yaml text, without their dependencies: the build gate's view, read on every pnpm command. */
export const readLockfileText = (text: string): LockedPackage[] => readLockfileObject(parseLockfileText(text, true));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function depsOf(snapshot: unknown): Record<string, string> | undefined {
  if (!isObj(snapshot)) return undefined;
  // No prototype: a dependency named `__proto__` is an edge to check, not a setter.
  const deps = Object.create(null) as Record<string, string>;
  for (const field of ['dependencies', 'optionalDependencies']) {
    const d = snapshot[field];
    if (!isObj(d)) continue;
    for (const [n, v] of Object.entries(d)) if (typeof v === 'string') deps[n] = stripPeers(v);
  }
  return deps;
}

/**
 * The packages of the in-memory lockfile pnpm hands to `preResolution` (`ctx.wantedLockfile`):
 * pnpm 12 keeps `packages` + `snapshots` apart, pnpm 10 merges them into `packages`.
 */
export function readLockfileObject(lockfile: unknown): LockedPackage[] {
  if (!isObj(lockfile)) return [];
  const packages = isObj(lockfile.packages) ? lockfile.packages : {};
  const snapshots = isObj(lockfile.snapshots) ? lockfile.snapshots : {};
  const depsByKey = new Map<string, Record<string, string>>();
  for (const [k, snap] of [...Object.entries(snapshots), ...Object.entries(packages)]) {
    const d = depsOf(snap);
    if (!d || Object.keys(d).length === 0) continue;
    const key = stripPeers(k.startsWith('/') ? k.slice(1) : k);
    depsByKey.set(key, { ...(depsByKey.get(key) ?? {}), ...d });
  }
  // The project's own choices: its overrides, its importers' directories, the file: directories it names.
  const importers = isObj(lockfile.importers) ? lockfile.importers : {};
  const choices = projectChoices({ overrides: lockfile.overrides, dirs: Object.keys(importers) });
  const local = localKeys(importers, packages, depsByKey);
  const out: LockedPackage[] = [];
  const seen = new Set<string>();
  const askedFromRegistry = semverLockedToUrl(lockfile);
  for (const [rawKey, info] of Object.entries(packages)) {
    const parts = splitKey(rawKey);
    if (!parts) continue;
    const key = stripPeers(rawKey.startsWith('/') ? rawKey.slice(1) : rawKey);
    if (seen.has(key)) continue;
    seen.add(key);
    const meta = isObj(info) ? info : {};
    const resolution = isObj(meta.resolution) ? (meta.resolution as { type?: unknown; tarball?: unknown; directory?: unknown }) : undefined;
    const keySource = sourceOf(parts.version, resolution);
    // A URL locked for a semver specifier is a registry package whose URL must be a registry's.
    const source = keySource === 'tarball' && askedFromRegistry.has(key) ? 'registry' : keySource;
    // pnpm fetches what a registry key names; a `version:` or `name:` field is only read back.
    // (A protocol key such as `node@runtime:26.7.0` carries no registry version to compare.)
    const versionedKey = keySource === 'registry' && !parts.version.includes(':');
    const explicit = typeof meta.version === 'string' && !versionedKey ? meta.version : undefined;
    const name = parts.name;
    const entry = {
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      ...(typeof meta.version === 'string' && versionedKey ? { version: meta.version } : {}),
      ...(typeof resolution?.tarball === 'string' ? { tarball: resolution.tarball } : source !== keySource ? { tarball: parts.version } : {}),
    };
    const deps = depsByKey.get(key);
    const chosen = deps ? chosenByProject(choices, deps) : [];
    // Locked dependency values are versions; for non-registry ones they are the URL or path,
    // which is what the sources check needs to see.
    out.push({
      key,
      name,
      version: explicit ?? parts.version,
      source,
      ...(source !== 'registry' ? { resolved: parts.version } : {}),
      ...(deps ? { dependencies: deps } : {}),
      ...(local.has(key) ? { local: true } : {}),
      ...(chosen.length > 0 ? { projectChosen: chosen } : {}),
      ...(Object.keys(entry).length > 0 ? { entry } : {}),
    });
  }
  return out;
}

/**
 * Keys an importer locks to an http(s) URL for a semver specifier (`specifier: 1.0.0`,
 * `version: https://…`): pnpm fetches the URL, but a range never resolves to an arbitrary one.
 */
function semverLockedToUrl(lockfile: Obj): Set<string> {
  const out = new Set<string>();
  if (!isObj(lockfile.importers)) return out;
  for (const importer of Object.values(lockfile.importers)) {
    if (!isObj(importer)) continue;
    for (const d of importerDeps(importer)) {
      if (d.specifier !== undefined && /^https?:/.test(d.version) && classifySpec(d.specifier) === 'registry') out.add(`${d.name}@${stripPeers(d.version)}`);
    }
  }
  return out;
}

/** The lockfile key a locked dependency value points at (`1.0.0`, a URL, or an alias `other@1.0.0`). */
function targetKey(name: string, value: string): string {
  const v = stripPeers(value);
  return !/^[a-z][a-z+]*:/i.test(v) && v.indexOf('@', 1) > 0 ? v : `${name}@${v}`;
}

/** `{ name: version }` or `{ name: { specifier, version } }` (pnpm 10 vs 12 in-memory shapes). */
function importerDeps(importer: Obj): { name: string; specifier: string | undefined; version: string }[] {
  const specifiers = isObj(importer.specifiers) ? importer.specifiers : {};
  const out: { name: string; specifier: string | undefined; version: string }[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = importer[field];
    if (!isObj(deps)) continue;
    for (const [name, v] of Object.entries(deps)) {
      const version = typeof v === 'string' ? v : isObj(v) && typeof v.version === 'string' ? v.version : undefined;
      const specifier = isObj(v) && typeof v.specifier === 'string' ? v.specifier : typeof specifiers[name] === 'string' ? (specifiers[name] as string) : undefined;
      if (version !== undefined) out.push({ name, specifier, version });
    }
  }
  return out;
}

/**
 * Keys of the lockfile packages the project still asks for: walked from each importer's
 * dependencies whose specifier its package.json still declares. A package being removed (or
 * re-resolved under a new specifier) is not refused for sitting in the old lockfile; whatever
 * replaces it is resolved, and checked, by readPackage. `manifestDeps(importerId)` returns the
 * importer's declared `name -> specifier`, or undefined when unknown (then all of its
 * dependencies count: fail closed). Undefined when the lockfile has no importers to walk.
 */
export function wantedKeys(
  lockfile: unknown,
  packages: readonly LockedPackage[],
  manifestDeps: (importerId: string) => Record<string, string> | undefined,
): Set<string> | undefined {
  if (!isObj(lockfile) || !isObj(lockfile.importers)) return undefined;
  const byKey = new Map(packages.map((p) => [p.key, p]));
  const wanted = new Set<string>();
  const queue: string[] = [];
  const visit = (key: string): void => {
    if (!wanted.has(key) && byKey.has(key)) {
      wanted.add(key);
      queue.push(key);
    }
  };
  for (const [id, importer] of Object.entries(lockfile.importers)) {
    if (!isObj(importer)) continue;
    const declared = manifestDeps(id);
    for (const d of importerDeps(importer)) {
      if (d.version.startsWith('link:')) continue;
      if (declared && (declared[d.name] === undefined || (d.specifier !== undefined && declared[d.name] !== d.specifier))) continue;
      visit(targetKey(d.name, d.version));
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const [n, v] of Object.entries(byKey.get(queue[i]!)?.dependencies ?? {})) visit(targetKey(n, v));
  }
  return wanted;
}

/** Keys of the `file:` directories the project names: from an importer, through other such directories only. */
function localKeys(importers: Obj, packages: Obj, depsByKey: ReadonlyMap<string, Record<string, string>>): Set<string> {
  const isDirectory = (key: string): boolean => {
    const info = packages[key] ?? packages[`/${key}`];
    const resolution = isObj(info) && isObj(info.resolution) ? info.resolution : undefined;
    return sourceOf(splitKey(key)?.version ?? '', resolution) === 'file';
  };
  const local = new Set<string>();
  const queue: string[] = [];
  const visit = (name: string, value: string): void => {
    const key = targetKey(name, value);
    if (local.has(key) || !isDirectory(key)) return;
    local.add(key);
    queue.push(key);
  };
  for (const importer of Object.values(importers)) if (isObj(importer)) for (const d of importerDeps(importer)) visit(d.name, d.version);
  for (let i = 0; i < queue.length; i++) for (const [n, v] of Object.entries(depsByKey.get(queue[i] as string) ?? {})) visit(n, v);
  return local;
}

/** pnpm's `registries` (`{ default: url, '@scope': url }`, in config and preResolution's ctx) as a list. */
export function registryList(registries: unknown): string[] {
  return isObj(registries) ? Object.values(registries).filter((r): r is string => typeof r === 'string') : [];
}

/** What core's lockfile identity check needs of a locked package, or nothing when it has no fields to compare. */
export function lockfileFacts(p: LockedPackage, registries: readonly string[]): { lockfile?: LockfileEntry } {
  return p.entry ? { lockfile: { key: p.key, ...p.entry, registries } } : {};
}
