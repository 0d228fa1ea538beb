type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const stripPeers = (key: string): string => key.replace(/\(.*$/, '');
/** A prototype-free map: lockfile keys such as `__proto__` are data. */
const table = (): Obj => Object.create(null) as Obj;

/**
 * pnpm-lock.yaml v6 (pnpm 8, still committed by many projects; pnpm 9-12 read it) in the v9 shape the
 * reader judges. v6 keys registry packages `/name@version(peers)` and everything else by a path-like
 * key (`github.com/user/repo/sha`, `file:packages/x`) with `name:` and `version:` fields; one entry
 * holds both the resolution (v9 `packages`) and the dependency edges (v9 `snapshots`). A project
 * that is no workspace has its dependencies at the top level instead of under `importers`.
 */
export function upgradeV6(doc: Obj): Obj {
  const rename = new Map<string, string>();
  for (const [key, meta] of Object.entries(obj(doc.packages))) rename.set(key, v9Key(key, obj(meta)));
  // A dependency value is a version (`1.0.0(peer@1)`), `link:`, an aliased registry key
  // (`/string-width@4.2.3`, v9: `string-width@4.2.3`) or a path-like key (v9: what follows `name@`).
  const value = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    if (v.startsWith('/')) return v.slice(1);
    const renamed = rename.get(v);
    return renamed === undefined ? v : renamed.slice(renamed.indexOf('@', 1) + 1);
  };
  const deps = (m: unknown): Obj => {
    const out = table();
    for (const [n, v] of Object.entries(obj(m))) out[n] = typeof v === 'object' && v !== null ? { ...obj(v), version: value(obj(v).version) } : value(v);
    return out;
  };
  const packages = table();
  const snapshots = table();
  for (const [key, meta] of Object.entries(obj(doc.packages))) {
    const m = obj(meta);
    const v9 = rename.get(key) as string;
    const { dependencies, optionalDependencies, ...rest } = m;
    packages[stripPeers(v9)] = { ...obj(packages[stripPeers(v9)]), ...rest };
    snapshots[v9] = { dependencies: deps(dependencies), optionalDependencies: deps(optionalDependencies) };
  }
  const fields = ['dependencies', 'devDependencies', 'optionalDependencies'];
  const importers = table();
  const rootImporter = doc.importers === undefined ? { '.': Object.fromEntries(fields.map((f) => [f, doc[f]])) } : obj(doc.importers);
  for (const [path, imp] of Object.entries(rootImporter)) importers[path] = Object.fromEntries(fields.map((f) => [f, deps(obj(imp)[f])]));
  return { ...doc, lockfileVersion: '9.0', importers, packages, snapshots };
}

/** `/name@1.0.0(peer@1)` -> `name@1.0.0(peer@1)`; a path-like key -> `name@<what pnpm fetches>` as v9 writes it. */
function v9Key(key: string, m: Obj): string {
  if (key.startsWith('/')) return key.slice(1);
  const name = typeof m.name === 'string' ? m.name : key;
  const r = obj(m.resolution);
  if (typeof r.repo === 'string') return `${name}@${r.repo}#${String(r.commit ?? '')}`;
  if (typeof r.tarball === 'string') return `${name}@${r.tarball}`;
  if (r.type === 'directory' && typeof r.directory === 'string') return `${name}@file:${r.directory}`;
  return `${name}@${key}`;
}
