/**
 * Registry tarball URLs: `<registry>/<name>/-/<basename>-<version>.tgz` (scoped:
 * `<registry>/@scope/name/-/name-1.0.0.tgz`, sometimes written `@scope%2fname`). A lockfile's URL
 * is what the package manager downloads, so it must name the package and version the entry's key
 * says, from one of the project's registries.
 */

/**
 * Always among a project's registries: the public npm registry under both of its names, and
 * npmmirror, the public read-only mirror of it that lockfiles written in China point at (apache/echarts'
 * package-lock.json has such entries; npm downloads them from there). A mirror serves the registry's
 * packages only, so its URL must still name the entry's package and version.
 */
export const PUBLIC_REGISTRIES: readonly string[] = ['https://registry.npmjs.org/', 'https://registry.yarnpkg.com/', 'https://registry.npmmirror.com/'];

export interface TarballUrl {
  /** `host[:port]`, lower case. */
  readonly host: string;
  /** The package the path names, when it has the registry layout (`/-/`). */
  readonly name?: string;
  /** The file name after `/-/`, e.g. `name-1.0.0.tgz`. */
  readonly file?: string;
}

/** `host[:port]` of an http(s) URL, lower case; undefined for anything else. */
export function urlHost(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : undefined;
}

// The URLs lockfiles hold are nearly all this plain: lower-case host, no dot segments, no
// backslashes, no userinfo. For them the WHATWG parse (≈10 µs here, per entry) changes nothing.
const PLAIN = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?(\/[\w@.~%+!$&'()*,;=:-]*(?:\/[\w@.~%+!$&'()*,;=:-]*)*)(?:[?#]\S*)?$/;
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

function hostAndPath(url: string): { host: string; pathname: string } | undefined {
  const m = PLAIN.exec(url);
  if (m && !DOT_SEGMENT.test(m[4]!)) {
    const defaultPort = m[1] === 'https' ? '443' : '80';
    return { host: m[3] !== undefined && m[3] !== defaultPort ? `${m[2]}:${Number(m[3])}` : m[2]!, pathname: m[4]! };
  }
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return { host: u.host.toLowerCase(), pathname: u.pathname };
}

/** Reads an http(s) tarball URL; undefined when it is not one. Query and fragment are ignored, `%2f` and `%40` decoded. */
export function parseTarballUrl(url: string): TarballUrl | undefined {
  const parts = hostAndPath(url);
  if (!parts) return undefined;
  let path: string;
  try {
    path = parts.pathname.includes('%') ? decodeURIComponent(parts.pathname) : parts.pathname;
  } catch {
    return undefined;
  }
  const host = parts.host;
  const dash = path.lastIndexOf('/-/');
  if (dash < 0) return { host };
  const segments = path.slice(0, dash).split('/');
  const last = segments[segments.length - 1] ?? '';
  const scope = segments[segments.length - 2] ?? '';
  const name = scope.startsWith('@') ? `${scope}/${last}` : last;
  return { host, name, file: path.slice(dash + 3) };
}

/** The file name a registry serves `name@version` as: `<basename>-<version>.tgz`. */
export function tarballFile(name: string, version: string): string {
  const slash = name.indexOf('/');
  return `${slash >= 0 ? name.slice(slash + 1) : name}-${version}.tgz`;
}
