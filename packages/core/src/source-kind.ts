import type { SourceKind } from './types';

// Hosted-git shorthands npm, pnpm and Yarn all accept.
const GIT = /^(?:git\+|git:|git@|github:|gitlab:|bitbucket:|gist:)/i;
const GITHUB_SHORTHAND = /^[a-z0-9][\w.-]*\/[\w.-]+(?:#.*)?$/i;
const URL = /^https?:\/\//i;
// npm and Yarn clone a repository page URL (`https://github.com/a/b#commit`); only archive URLs are tarballs.
const HOSTED_GIT_URL = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/#]+\/[^/#]+\/?(?:#.*)?$/i;
const PATH = /^(?:file:|link:|portal:|\.{1,2}\/|\/|~\/|[a-z]:\\)/i;

/**
 * Where a dependency spec (`"^1.2.0"`, `"github:a/b"`, `"https://…/x.tgz"`, `"file:../x"`) fetches from.
 * Yarn's `exec:` runs a script to produce the package: the most exotic source of all. A `patch:`
 * is judged by who wrote the patch (see `patchOwner`): the project's and Yarn's own patches are
 * judged by what they patch, a patch shipped inside a published package is a source of its own.
 */
export function classifySpec(spec: string): SourceKind {
  if (plainRange(spec)) return 'registry';
  const s = spec.trim();
  if (s.startsWith('npm:')) {
    const target = s.slice(4);
    const at = target.lastIndexOf('@');
    return at > 0 ? classifySpec(target.slice(at + 1)) : 'registry';
  }
  if (s.startsWith('patch:')) {
    const patch = parsePatch(s);
    if (!patch) return 'patch';
    return patchOwner(patch) === 'package' ? 'patch' : classifySpec(patch.range);
  }
  if (s.startsWith('workspace:')) return 'workspace';
  if (s.startsWith('exec:')) return 'exec';
  if (GIT.test(s)) return 'git';
  if (URL.test(s)) return /\.git(?:#.*)?$/i.test(s) || HOSTED_GIT_URL.test(s) ? 'git' : 'tarball';
  if (PATH.test(s)) return s.startsWith('link:') || s.startsWith('portal:') ? 'link' : 'file';
  if (GITHUB_SHORTHAND.test(s)) return 'git';
  return 'registry';
}

/**
 * `^1.2.0`, `~2.3.0`, `>=1 <2`, `1.x`: what nearly every dependency says, answered before the
 * patterns. Every other kind starts with a letter or holds a `/` or a `:` (`~/x` is a path).
 */
function plainRange(spec: string): boolean {
  const c = spec.charCodeAt(0);
  const rangeStart = (c >= 48 && c <= 57) || c === 94 /* ^ */ || c === 126 /* ~ */ || c === 60 /* < */ || c === 62 /* > */ || c === 61 /* = */ || c === 42; /* * */
  return rangeStart && !spec.includes('/') && !spec.includes(':');
}

/** A Yarn `patch:<name>@<range>#<path>&<path>::<params>` spec or locator reference, taken apart. */
export interface YarnPatch {
  /** The patched range, decoded (`npm:1.0.0`). */
  readonly range: string;
  /** The patch files (`./evil.patch`, `~/.yarn/patches/x.patch`, `optional!builtin<compat/typescript>`). */
  readonly paths: readonly string[];
  /** The `locator=` parameter Yarn binds relative patches with: the package whose files they are. */
  readonly locator: string | undefined;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function parsePatch(spec: string): YarnPatch | undefined {
  if (!spec.startsWith('patch:')) return undefined;
  let body = spec.slice('patch:'.length);
  let params = '';
  const colons = body.indexOf('::');
  if (colons !== -1) {
    params = body.slice(colons + 2);
    body = body.slice(0, colons);
  }
  const hash = body.indexOf('#');
  const source = hash === -1 ? body : body.slice(0, hash);
  const at = source.indexOf('@', source.startsWith('@') ? 1 : 0);
  if (at === -1) return undefined;
  const paths = hash === -1 ? [] : body.slice(hash + 1).split('&').map(decode).filter((p) => p !== '');
  const locator = new URLSearchParams(params).get('locator') ?? undefined;
  return { range: decode(source.slice(at + 1)), paths, locator };
}

/**
 * Who wrote a patch: `yarn` for its built-in compat patches (typescript, fsevents, resolve), `project`
 * when the patch is bound to a workspace or lives at the project root (`~/`, what `yarn patch-commit`
 * writes), else `package`: the patch file came inside a published package, which can rewrite any
 * dependency's code, scripts included, under that dependency's own name and version.
 */
export function patchOwner(patch: YarnPatch): 'yarn' | 'project' | 'package' {
  // `optional!builtin<compat/x>` (Yarn 4), `~builtin<compat/x>` (Yarn 3 lockfiles).
  const builtin = (p: string) => /^(?:optional!)?~?builtin<[^>]*>$/.test(p);
  const files = patch.paths;
  if (files.length > 0 && files.every(builtin)) return 'yarn';
  if (patch.locator !== undefined) return /@workspace:/.test(patch.locator) ? 'project' : 'package';
  if (files.length > 0 && files.every((p) => p.replace(/^optional!/, '').startsWith('~/') || builtin(p))) return 'project';
  return 'package';
}

/** `patch:name@npm%3A1.0.0#./p.patch::…` → `npm:1.0.0`: the range a Yarn patch applies to. */
export function patchedRange(range: string): string | undefined {
  return parsePatch(range)?.range;
}

/** A dependency spec as its manifest declared it: Yarn's `::locator=…` binding of a patch dropped. */
export function declaredSpec(spec: string): string {
  if (!spec.startsWith('patch:')) return spec;
  const colons = spec.indexOf('::');
  return colons === -1 ? spec : spec.slice(0, colons);
}

/**
 * Where Yarn Berry fetched a package from, judged on its locator reference (`npm:1.0.0`,
 * `https://…#commit=…`, `patch:…`, `workspace:.`): the yarn.lock reader and the plugin agree.
 */
export function classifyYarnReference(reference: string): SourceKind {
  const patch = parsePatch(reference);
  if (patch) return patchOwner(patch) === 'package' ? 'patch' : classifyYarnReference(patch.range);
  if (reference.startsWith('patch:')) return 'patch';
  if (reference.startsWith('npm:')) return 'registry';
  if (reference.startsWith('workspace:')) return 'workspace';
  if (reference.startsWith('exec:')) return 'exec';
  if (/^(?:https?:\/\/.*#commit=|git\+|git:|ssh:)/.test(reference)) return 'git';
  return classifySpec(reference);
}

/**
 * The locator a Yarn Berry `file:`/`link:`/`portal:` reference is bound to (`x@link:./x::locator=app%40workspace%3A.`):
 * the package whose directory the path is relative to, i.e. the one that named it.
 */
export function yarnBinding(reference: string): string | undefined {
  const i = reference.indexOf('::');
  if (i < 0) return undefined;
  const m = /(?:^|&)locator=([^&]*)/.exec(reference.slice(i + 2));
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] as string);
  } catch {
    return undefined;
  }
}
