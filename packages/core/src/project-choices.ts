import { classifySpec } from './source-kind';

/**
 * Where a project itself decided its dependencies come from. A spec is exotic only when a package
 * from a registry declared it in its published manifest; the project's own choices are not: its
 * overrides / `pnpm.overrides` / `resolutions` (which rewrite published packages' specs, e.g. to
 * `link:./stubs/empty`) and links to its own packages (pnpm resolves a published package's peer
 * to the workspace package of that name, and writes it as `link:packages/vite`).
 */
export interface ProjectChoices {
  /** Dependency name -> the specs the project's overrides give it, normalized. */
  readonly overrides: ReadonlyMap<string, ReadonlySet<string>>;
  /** The project's own package directories (workspaces, importers), relative to its root, normalized. */
  readonly dirs: ReadonlySet<string>;
}

export interface ProjectChoicesInput {
  /**
   * Overrides as the project wrote them: pnpm (`a`, `a@1`, `p>a`), Yarn resolutions (`a`, `p/a`,
   * `**\/a`, `a@npm:^1`) or npm's nested objects (`{ "p": { "a": "1", ".": "2" } }`).
   */
  readonly overrides?: unknown;
  /** The project's package directories relative to its root (`.`, `packages/*` expanded). */
  readonly dirs?: Iterable<string>;
}

/** `./a//b/../c/` -> `a/c`; `.` and `` -> `.`. Relative paths only: an absolute or `..`-escaping path stays as written. */
export function normalizeDir(path: string): string {
  const p = path.trim().replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-z]:\//i.test(p)) return p;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.length === 0 ? '.' : out.join('/');
}

const LOCAL = /^(link|file|portal):(.*)$/;
const LOCAL_PREFIX = /^\s*(?:link|file|portal):/;

/** A spec in a comparable form: local paths normalized (`link:./x` and `link:x` are the same choice). */
function normalizeSpec(spec: string): string {
  const s = spec.trim();
  const m = LOCAL.exec(s);
  return m ? `${m[1]}:${normalizeDir(m[2] as string)}` : s;
}

/** The package an override selector rewrites: the last name of `p>a@1`, `p/a`, `**\/@s/a@npm:^1`. */
export function overrideTarget(selector: string): string | undefined {
  const last = selector.slice(selector.lastIndexOf('>') + 1).trim();
  return /(?:^|\/)((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?$/.exec(last)?.[1];
}

function collect(overrides: unknown, into: Map<string, Set<string>>, parent?: string, depth = 0): void {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides) || depth > 16) return;
  for (const [selector, value] of Object.entries(overrides)) {
    const target = selector === '.' ? parent : overrideTarget(selector);
    if (target === undefined) continue;
    if (typeof value === 'string') {
      const set = into.get(target) ?? new Set<string>();
      set.add(normalizeSpec(value));
      into.set(target, set);
    } else collect(value, into, target, depth + 1); // npm: `{ "parent": { "child": "spec", ".": "spec" } }`
  }
}

export function projectChoices(input: ProjectChoicesInput): ProjectChoices {
  const overrides = new Map<string, Set<string>>();
  collect(input.overrides, overrides);
  return { overrides, dirs: new Set([...(input.dirs ?? [])].map(normalizeDir)) };
}

/**
 * Names in `dependencies` whose spec the project chose: the value its overrides give that name,
 * or a `link:`/`file:`/`portal:` path to one of its own package directories (the project's code,
 * whoever names it). Paths are compared relative to the project root, as lockfiles write them.
 */
export function chosenByProject(choices: ProjectChoices, dependencies: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(dependencies)) {
    const spec = dependencies[name];
    if (typeof spec !== 'string') continue;
    const overridden = choices.overrides.get(name);
    // The common case, a registry version nobody overrode, costs one map lookup and one prefix test.
    if (overridden === undefined && !LOCAL_PREFIX.test(spec)) continue;
    if (classifySpec(spec) === 'registry') continue;
    const normal = normalizeSpec(spec);
    const local = LOCAL.exec(normal);
    if (overridden?.has(normal) || (local && choices.dirs.has(local[2] as string))) out.push(name);
  }
  return out;
}
