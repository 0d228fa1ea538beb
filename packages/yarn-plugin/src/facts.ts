import { buildsBindingGyp, classifySpec, classifyYarnReference, yarnBinding, type Finding, type PackageFacts } from '@lifeguard/core';
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
  // Yarn 4 builds a binding.gyp even under `"gypfile": false` (measured on 4.18.1).
  const hasBindingGyp = result.packageFs.existsSync(at('binding.gyp')) && buildsBindingGyp('yarn', manifest.gypfile);
  return { facts: { scripts, hasBindingGyp, dependencies }, version: typeof manifest.version === 'string' ? manifest.version : undefined };
}

export interface Derived {
  readonly facts: PackageFacts;
  /** Warning findings the adapter adds (registry metadata vs archive). */
  readonly extra: Finding[];
}

/** What Yarn knows of a package beyond its archive. */
export interface YarnView {
  /** The package as resolved (registry metadata), before `packageExtensions` and `resolutions`: what the archive is compared with. */
  readonly original?: Package | undefined;
  /** False when Yarn did not fetch it (a platform package for another system: its archive is an empty mock). */
  readonly fetched: boolean;
  /** The package is one the project named from its own directories (see isLocal). */
  readonly local: boolean;
  /** Dependencies whose spec the project's resolutions chose (see projectChosen). */
  readonly chosen: readonly string[];
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
  view: YarnView = { fetched: true, local: false, chosen: [] },
): Derived {
  const resolved = resolvedFacts(structUtils, locator, pkg, view, archiveVersion);
  const { name, version, source } = resolved;
  const dependencies = Object.assign(Object.create(null) as Record<string, string>, resolved.dependencies);
  for (const [dep, spec] of Object.entries(archive.dependencies)) if (!Object.hasOwn(dependencies, dep)) dependencies[dep] = spec;

  const extra: Finding[] = [];
  // Like with like: the registry metadata as Yarn resolved it (before the project's packageExtensions
  // and resolutions rewrote it) against the package.json of an archive Yarn really fetched.
  const meta = view.original ?? pkg;
  if (meta && source === 'registry' && view.fetched) {
    const metaDeps = new Map<string, string>();
    for (const d of meta.dependencies.values() as IterableIterator<Descriptor>) metaDeps.set(structUtils.stringifyIdent(d), d.range);
    const onlyArchive = Object.keys(archive.dependencies).filter((d) => !metaDeps.has(d));
    // Yarn injects node-gyp for packages that build with it; that is not a mismatch.
    const onlyMeta = [...metaDeps.keys()].filter((d) => !Object.hasOwn(archive.dependencies, d) && d !== 'node-gyp');
    const kindDiffers = Object.keys(archive.dependencies).filter((d) => {
      const m = metaDeps.get(d);
      const a = archive.dependencies[d];
      return m !== undefined && a !== undefined && classifySpec(m) !== classifySpec(a);
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
        // Not packages.trust: that would also switch off the typosquat, source and advisory checks.
        fix: `no lifeguard.json setting; compare \`npm view ${name}@${version} dependencies\` with the package.json in its tarball and tell its maintainers if they differ`,
      });
    }
  }
  const facts: PackageFacts = { ...resolved, dependencies, scripts: archive.scripts, hasBindingGyp: archive.hasBindingGyp };
  return { facts, extra };
}

/**
 * PackageFacts from what resolution alone tells (no archive yet): name, version, source and the
 * dependencies as resolved (the registry metadata, or the lockfile). Scripts are unknown, so this
 * is enough for every name/version/source rule and for none that needs the archive.
 */
export function resolvedFacts(structUtils: StructUtils, locator: Locator, pkg: Package | undefined, view: Pick<YarnView, 'local' | 'chosen'>, archiveVersion?: string): PackageFacts {
  const source = classifyYarnReference(locator.reference);
  const dependencies = Object.create(null) as Record<string, string>; // `__proto__` is a name here, not a setter
  if (pkg) {
    // As resolved: core judges a patch by who wrote it (Yarn, the project, or a published package).
    for (const d of pkg.dependencies.values() as IterableIterator<Descriptor>) dependencies[structUtils.stringifyIdent(d)] = d.range;
  }
  return {
    name: structUtils.stringifyIdent(locator),
    version: pkg?.version ?? archiveVersion ?? '0.0.0',
    source,
    ...(source === 'registry' ? {} : { resolved: locator.reference }),
    dependencies,
    workspace: false,
    ...(view.local ? { local: true } : {}),
    ...(view.chosen.length > 0 ? { projectChosen: view.chosen } : {}),
  };
}

/**
 * Whether a path reference or range is bound (`…::locator=app%40workspace%3A.`) to a workspace or to a
 * package the project names from its own directories: Yarn binds a path to whoever named it, so a
 * `link:` from the project's `resolutions` is bound to the top-level workspace, and one a published
 * package declares is bound to that package (and stays the publisher's choice).
 */
function boundToProject(structUtils: StructUtils, project: Project, reference: string, depth: number): boolean {
  const binding = yarnBinding(reference);
  if (binding === undefined || depth > 32) return false;
  let parent: Locator;
  try {
    parent = structUtils.parseLocator(binding, true);
  } catch {
    return false;
  }
  if (parent.reference.startsWith('workspace:') || project.tryWorkspaceByLocator(parent)) return true;
  return isLocal(structUtils, project, parent, depth + 1);
}

/** A `file:`/`link:`/`portal:` package the project named: its manifest is the project's code. */
export function isLocal(structUtils: StructUtils, project: Project, locator: Locator, depth = 0): boolean {
  const kind = classifyYarnReference(locator.reference);
  return (kind === 'file' || kind === 'link') && boundToProject(structUtils, project, locator.reference, depth);
}

/**
 * Dependencies of a package whose range the project rewrote to a path bound to itself: Yarn applies
 * `resolutions` after resolution (the stored package), binding the new range to the top-level
 * workspace; the original package keeps what the publisher declared. A range that already arrives
 * bound (`link:x::locator=app%40workspace%3A.` in published metadata: Yarn keeps such a binding) is the
 * publisher's, however it is bound.
 */
export function projectChosen(structUtils: StructUtils, project: Project, locator: Locator): string[] {
  const stored = project.storedPackages.get(locator.locatorHash);
  if (!stored) return [];
  const original = project.originalPackages.get(locator.locatorHash);
  const out: string[] = [];
  for (const d of stored.dependencies.values() as IterableIterator<Descriptor>) {
    const declared = original?.dependencies.get(d.identHash)?.range;
    if (declared !== undefined && declared !== d.range && boundToProject(structUtils, project, d.range, 0)) out.push(structUtils.stringifyIdent(d));
  }
  return out;
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
