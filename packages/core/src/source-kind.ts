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
 * Yarn's `exec:` runs a script to produce the package: the most exotic source of all.
 */
export function classifySpec(spec: string): SourceKind {
  const s = spec.trim();
  if (s.startsWith('npm:')) {
    const target = s.slice(4);
    const at = target.lastIndexOf('@');
    return at > 0 ? classifySpec(target.slice(at + 1)) : 'registry';
  }
  if (s.startsWith('workspace:')) return 'workspace';
  if (s.startsWith('exec:')) return 'file';
  if (GIT.test(s)) return 'git';
  if (URL.test(s)) return /\.git(?:#.*)?$/i.test(s) || HOSTED_GIT_URL.test(s) ? 'git' : 'tarball';
  if (PATH.test(s)) return s.startsWith('link:') || s.startsWith('portal:') ? 'link' : 'file';
  if (GITHUB_SHORTHAND.test(s)) return 'git';
  return 'registry';
}

/** `patch:name@npm%3A1.0.0#./p.patch::…` → `npm:1.0.0`: the range a Yarn patch applies to. */
export function patchedRange(range: string): string | undefined {
  if (!range.startsWith('patch:')) return undefined;
  const body = range.slice('patch:'.length);
  const hash = body.indexOf('#');
  const source = hash === -1 ? body : body.slice(0, hash);
  const at = source.indexOf('@', source.startsWith('@') ? 1 : 0);
  if (at === -1) return undefined;
  try {
    return decodeURIComponent(source.slice(at + 1));
  } catch {
    return source.slice(at + 1);
  }
}

/**
 * Where Yarn Berry fetched a package from, judged on its locator reference (`npm:1.0.0`,
 * `https://…#commit=…`, `patch:…`, `workspace:.`): the yarn.lock reader and the plugin agree.
 */
export function classifyYarnReference(reference: string): SourceKind {
  const inner = patchedRange(reference);
  if (inner !== undefined) return classifyYarnReference(inner);
  if (reference.startsWith('npm:')) return 'registry';
  if (reference.startsWith('workspace:')) return 'workspace';
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
