import type { PackageFacts } from '@lifeguard/core';

export type LockfileKind = 'pnpm' | 'yarn' | 'npm' | 'bun';

/** Core facts plus what only the lockfile knows. */
export interface LockedPackage extends PackageFacts {
  /** The registry tarball's Subresource Integrity hash (`sha512-…`), where the lockfile records one. */
  readonly integrity?: string;
  /**
   * The dependency chain that pulled it in (`name@version`, outermost first) where `requiredBy` is something
   * else: npm's `requiredBy` is the install path (what `rebuild` needs), which hoisting flattens.
   */
  readonly via?: readonly string[];
}

/** Everything a lockfile says about the installed tree, as core facts. */
export interface LockedTree {
  readonly kind: LockfileKind;
  readonly packages: LockedPackage[];
  /**
   * The lockfile flags every package that has install scripts (npm v2/v3 and Bun `hasInstallScript`),
   * so no flag means none. pnpm, Yarn and npm v1 lockfiles do not say.
   */
  readonly scriptsRecorded: boolean;
}

export class LockfileError extends Error {
  override readonly name = 'LockfileError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

/** Splits `name@version` where the name may be scoped and the version may contain `@` (git+ssh). */
export function splitNameVersion(key: string): [string, string] {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  return at <= 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

/**
 * Shortest chain of parents from the project to each package (for "pulled in by" in messages).
 * `edges` maps a node to its children; roots are the project's own packages.
 */
export function shortestParents(roots: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const chain = new Map<string, string[]>();
  const queue: string[] = [];
  for (const r of roots) {
    for (const child of edges.get(r) ?? []) {
      if (!chain.has(child)) {
        chain.set(child, []);
        queue.push(child);
      }
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    const path = chain.get(node) as string[];
    for (const child of edges.get(node) ?? []) {
      if (!chain.has(child)) {
        chain.set(child, [...path, node]);
        queue.push(child);
      }
    }
  }
  return chain;
}

/**
 * Packages the project pulls in from its own directories: `isLocal` ones reached from a root through
 * other such packages only. One a published package named is not among them (its publisher chose it).
 */
export function localPackages(roots: readonly string[], edges: ReadonlyMap<string, readonly string[]>, isLocal: (node: string) => boolean): Set<string> {
  const local = new Set<string>();
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    for (const child of edges.get(queue[i] as string) ?? []) {
      if (local.has(child) || !isLocal(child)) continue;
      local.add(child);
      queue.push(child);
    }
  }
  return local;
}
