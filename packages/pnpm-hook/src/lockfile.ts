import type { SourceKind } from '@lifeguard/core';

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

const unquote = (s: string): string => {
  const t = s.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) {
    return t.startsWith("'") ? t.slice(1, -1).replace(/''/g, "'") : (JSON.parse(t) as string);
  }
  return t;
};

/**
 * Reads the `packages:` sections of a pnpm-lock.yaml text (every YAML document, so the
 * config-dependency document of pnpm 11/12 lockfiles is included) without a YAML library:
 * the lockfile format is regular enough (2-space keys under a top-level `packages:`, a
 * 4-space `version:` for non-registry packages). Fast enough for updateConfig on every install.
 */
export function readLockfileText(text: string): LockedPackage[] {
  const out: LockedPackage[] = [];
  let section = '';
  let current: { key: string; name: string; version: string; explicit?: string; resolution?: string } | undefined;
  const flush = () => {
    if (!current) return;
    const version = current.explicit ?? current.version;
    const source = sourceOf(current.version, current.resolution?.includes('type: git') ? { type: 'git' } : current.resolution?.includes('directory:') ? { type: 'directory' } : undefined);
    out.push({ key: current.key, name: current.name, version, source, ...(source !== 'registry' ? { resolved: current.version } : {}) });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    if (line === '---') {
      flush();
      section = '';
      continue;
    }
    if (!line.startsWith(' ')) {
      flush();
      section = line.replace(/:.*$/, '');
      continue;
    }
    if (section !== 'packages') continue;
    if (line.startsWith('  ') && !line.startsWith('   ')) {
      flush();
      const m = /^ {2}(.+?):(\s.*)?$/.exec(line);
      if (!m) continue;
      const key = unquote(m[1]!);
      const parts = splitKey(key);
      if (!parts) continue;
      current = { key: stripPeers(key), name: parts.name, version: parts.version };
      const inline = m[2]?.trim();
      if (inline && inline.startsWith('{')) current.resolution = inline;
      continue;
    }
    if (!current) continue;
    const v = /^ {4}version: (.+)$/.exec(line);
    if (v) current.explicit = unquote(v[1]!);
    const r = /^ {4}resolution: (.+)$/.exec(line);
    if (r) current.resolution = r[1];
  }
  flush();
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function depsOf(snapshot: unknown): Record<string, string> | undefined {
  if (!isObj(snapshot)) return undefined;
  const deps: Record<string, string> = {};
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
  const out: LockedPackage[] = [];
  const seen = new Set<string>();
  for (const [rawKey, info] of Object.entries(packages)) {
    const parts = splitKey(rawKey);
    if (!parts) continue;
    const key = stripPeers(rawKey.startsWith('/') ? rawKey.slice(1) : rawKey);
    if (seen.has(key)) continue;
    seen.add(key);
    const meta = isObj(info) ? info : {};
    const resolution = isObj(meta.resolution) ? (meta.resolution as { type?: unknown; tarball?: unknown; directory?: unknown }) : undefined;
    const explicit = typeof meta.version === 'string' ? meta.version : undefined;
    const name = typeof meta.name === 'string' ? meta.name : parts.name;
    const source = sourceOf(parts.version, resolution);
    const deps = depsByKey.get(key);
    // Locked dependency values are versions; for non-registry ones they are the URL or path,
    // which is what the sources check needs to see.
    out.push({
      key,
      name,
      version: explicit ?? parts.version,
      source,
      ...(source !== 'registry' ? { resolved: parts.version } : {}),
      ...(deps ? { dependencies: deps } : {}),
    });
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
