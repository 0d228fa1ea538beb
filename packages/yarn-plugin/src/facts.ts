import { classifySpec, classifyYarnReference, type Finding, type PackageFacts } from '@lifeguard/core';
import type { ArchiveFacts } from './cache';
import type { Descriptor, FetchResult, Locator, Package, Project, StructUtils } from './yarn';

const INSTALL_RELEVANT = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

/** Reads the part of the fetched archive that matters: scripts, binding.gyp, dependencies. */
export async function readArchive(result: FetchResult): Promise<{ facts: ArchiveFacts; version: string | undefined }> {
  const at = (f: string): string => (result.prefixPath === '.' || result.prefixPath === '' ? f : `${result.prefixPath.replace(/\/$/, '')}/${f}`);
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(await result.packageFs.readFilePromise(at('package.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const scripts: Record<string, string> = {};
  const raw = manifest.scripts;
  if (raw && typeof raw === 'object') {
    for (const k of INSTALL_RELEVANT) {
      const v = (raw as Record<string, unknown>)[k];
      if (typeof v === 'string') scripts[k] = v;
    }
  }
  const dependencies = Object.create(null) as Record<string, string>; // `__proto__` is a name here, not a setter
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    const deps = manifest[field];
    if (deps && typeof deps === 'object') {
      for (const [k, v] of Object.entries(deps as Record<string, unknown>)) if (typeof v === 'string') dependencies[k] = v;
    }
  }
  const hasBindingGyp = result.packageFs.existsSync(at('binding.gyp'));
  return { facts: { scripts, hasBindingGyp, dependencies }, version: typeof manifest.version === 'string' ? manifest.version : undefined };
}

export interface Derived {
  readonly facts: PackageFacts;
  /** Warning findings the adapter adds (registry metadata vs archive). */
  readonly extra: Finding[];
}

/**
 * PackageFacts for one fetched package. Dependencies are what Yarn resolved (the Package of
 * the resolution, i.e. registry metadata) plus anything only the archive declares; scripts and
 * binding.gyp come from the archive, which is what Yarn builds from.
 */
export function derive(
  structUtils: StructUtils,
  locator: Locator,
  pkg: Package | undefined,
  archive: ArchiveFacts,
  archiveVersion: string | undefined,
  mode: 'enforce' | 'warn',
): Derived {
  const name = structUtils.stringifyIdent(locator);
  const version = pkg?.version ?? archiveVersion ?? '0.0.0';
  const source = classifyYarnReference(locator.reference);
  const dependencies = Object.create(null) as Record<string, string>;
  const resolvedNames = new Set<string>();
  if (pkg) {
    for (const d of pkg.dependencies.values() as IterableIterator<Descriptor>) {
      const dep = structUtils.stringifyIdent(d);
      resolvedNames.add(dep);
      // As resolved: core judges a patch by who wrote it (Yarn, the project, or a published package).
      dependencies[dep] = d.range;
    }
  }
  for (const [dep, spec] of Object.entries(archive.dependencies)) if (!Object.hasOwn(dependencies, dep)) dependencies[dep] = spec;

  const extra: Finding[] = [];
  if (pkg && source === 'registry') {
    const onlyArchive = Object.keys(archive.dependencies).filter((d) => !resolvedNames.has(d));
    // Yarn injects node-gyp for packages that build with it; that is not a mismatch.
    const onlyMeta = [...resolvedNames].filter((d) => !Object.hasOwn(archive.dependencies, d) && d !== 'node-gyp');
    const kindDiffers = Object.keys(archive.dependencies).filter((d) => {
      const m = dependencies[d];
      const a = archive.dependencies[d];
      return resolvedNames.has(d) && m !== undefined && a !== undefined && classifySpec(m) !== classifySpec(a);
    });
    if (onlyArchive.length + onlyMeta.length + kindDiffers.length > 0) {
      const parts = [
        onlyArchive.length ? `only the archive lists ${onlyArchive.join(', ')}` : '',
        onlyMeta.length ? `only the registry metadata lists ${onlyMeta.join(', ')}` : '',
        kindDiffers.length ? `the two disagree on the source of ${kindDiffers.join(', ')}` : '',
      ].filter(Boolean);
      extra.push({
        code: 'LIFEGUARD_MANIFEST_MISMATCH',
        action: 'warn',
        severity: 'medium',
        package: name,
        version,
        rule: 'manifest',
        message: `${name}@${version}: the registry metadata and the published package.json disagree on dependencies (${parts.join('; ')}).${mode === 'warn' ? '' : ' Yarn installs what the metadata says.'}`,
        fix: `check the package on the registry before trusting it; to silence, add ${JSON.stringify(name)} to "packages.trust" in lifeguard.json`,
      });
    }
  }
  const facts: PackageFacts = {
    name,
    version,
    source,
    ...(source === 'registry' ? {} : { resolved: locator.reference }),
    dependencies,
    scripts: archive.scripts,
    hasBindingGyp: archive.hasBindingGyp,
    workspace: false,
  };
  return { facts, extra };
}

/** The chain of packages that pulled `locator` in, outermost (a workspace) first; [] if unknown. */
export function requiredBy(project: Project, structUtils: StructUtils, locator: Locator): string[] {
  const devirt = (l: Locator): Locator => (structUtils.isVirtualLocator(l) ? structUtils.devirtualizeLocator(l) : l);
  const parents = new Map<string, Locator[]>();
  for (const pkg of project.storedPackages.values()) {
    for (const d of pkg.dependencies.values()) {
      const res = project.storedResolutions.get(d.descriptorHash);
      if (res === undefined) continue;
      const target = project.storedPackages.get(res);
      if (!target) continue;
      const key = devirt(target).locatorHash;
      const list = parents.get(key);
      const parent = devirt(pkg);
      if (list) {
        if (!list.some((p) => p.locatorHash === parent.locatorHash)) list.push(parent);
      } else parents.set(key, [parent]);
    }
  }
  const label = (l: Locator): string => {
    const ws = project.tryWorkspaceByLocator(l);
    if (ws) return ws === project.topLevelWorkspace ? `${structUtils.stringifyIdent(l)} (package.json)` : `${structUtils.stringifyIdent(l)} (workspace)`;
    const p = project.storedPackages.get(l.locatorHash);
    return `${structUtils.stringifyIdent(l)}@${p?.version ?? l.reference}`;
  };
  // Breadth-first up the parents until a workspace: the shortest path that pulled it in.
  const start = devirt(locator);
  const prev = new Map<string, Locator | null>([[start.locatorHash, null]]);
  const queue: Locator[] = [start];
  while (queue.length > 0) {
    const cur = queue.shift() as Locator;
    if (cur !== start && project.tryWorkspaceByLocator(cur)) {
      const chain: string[] = [];
      let at: Locator | null | undefined = cur;
      while (at && at.locatorHash !== start.locatorHash) {
        chain.push(label(at));
        at = findNext(prev, at);
      }
      return chain;
    }
    for (const p of parents.get(cur.locatorHash) ?? []) {
      if (prev.has(p.locatorHash)) continue;
      prev.set(p.locatorHash, cur);
      queue.push(p);
    }
  }
  return [];
}

function findNext(prev: Map<string, Locator | null>, at: Locator): Locator | null {
  return prev.get(at.locatorHash) ?? null;
}
