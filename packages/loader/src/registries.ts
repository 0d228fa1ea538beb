import { parse as parseToml } from 'smol-toml';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/**
 * Where a package manager may fetch registry tarballs from, as its config files declare it: the
 * lockfile identity check refuses a locked URL on any other host (a forged lockfile's way to swap a
 * trusted name's code). Parsers only: callers read the files.
 */

/** `registry=` and `@scope:registry=` of an .npmrc text (ini; `${VAR}` taken from `env`). */
export function npmrcRegistries(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    if (key !== 'registry' && !/^@[^:]+:registry$/.test(key)) continue;
    const value = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2').replace(/\$\{([^}]+)\}/g, (_m, v: string) => env[v] ?? '');
    if (value !== '') out.push(value);
  }
  return out;
}

/** bunfig.toml's `[install] registry` and `[install.scopes]`: a URL string or `{ url = ... }` each; a broken file has none (Bun reports it). */
export function bunfigRegistries(text: string): string[] {
  let doc: Obj;
  try {
    doc = obj(parseToml(text));
  } catch {
    return [];
  }
  const install = obj(doc.install);
  const url = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof obj(v).url === 'string' ? (obj(v).url as string) : undefined);
  return [install.registry, ...Object.values(obj(install.scopes))].map(url).filter((u): u is string => u !== undefined && u !== '');
}
