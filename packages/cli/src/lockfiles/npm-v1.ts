type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
/** A prototype-free map: a package named `__proto__` is data. */
const table = (): Obj => Object.create(null) as Obj;
/** A v1 `version` that is no version: what npm fetched (git, a URL, a path). */
const isSpec = (v: string): boolean => /^(?:git\+|git:|github:|https?:|file:)/.test(v);

/**
 * package-lock.json v1 (npm 5-6, still committed by some projects; npm 7+ read it) in the v2 shape
 * the reader judges. v1 nests `dependencies` by install folder; each entry's `requires` is what its
 * manifest asks for, and a git, URL or path entry has that source as its `version`. v1 records no
 * root manifest: a top-level entry nothing else requires is one the project asked for itself.
 */
export function upgradeV1(doc: Obj): Obj {
  const packages = table();
  const required = new Set<string>();
  const walk = (deps: unknown, base: string): void => {
    for (const [name, entry] of Object.entries(obj(deps))) {
      const e = obj(entry);
      const version = typeof e.version === 'string' ? e.version : '';
      const path = `${base}node_modules/${name}`;
      for (const dep of Object.keys(obj(e.requires))) required.add(dep);
      packages[path] = {
        version,
        ...(typeof e.resolved === 'string' ? { resolved: e.resolved } : isSpec(version) ? { resolved: version } : {}),
        ...(typeof e.integrity === 'string' ? { integrity: e.integrity } : {}),
        ...(e.dev === true ? { dev: true } : {}),
        ...(e.optional === true ? { optional: true } : {}),
        ...(e.bundled === true ? { inBundle: true } : {}),
        dependencies: { ...obj(e.requires) },
      };
      walk(e.dependencies, `${path}/`);
    }
  };
  walk(doc.dependencies, '');
  const root: Obj = { dependencies: table(), devDependencies: table() };
  for (const [name, entry] of Object.entries(obj(doc.dependencies))) {
    if (required.has(name)) continue;
    const e = obj(entry);
    (root[e.dev === true ? 'devDependencies' : 'dependencies'] as Obj)[name] = typeof e.from === 'string' ? e.from : e.version;
  }
  return { ...doc, lockfileVersion: 2, packages: { '': { name: doc.name, version: doc.version, ...root }, ...packages } };
}
