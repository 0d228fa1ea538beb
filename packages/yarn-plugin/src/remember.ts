import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { policyDir } from './policy-dir';
import { registries } from './registries';
import type { ReleaseAge } from './release-age';
import type { DependencyMeta, Descriptor, Package, Project, StructUtils } from './yarn';

declare const LIFEGUARD_BUILD_ID: string | undefined;
/** The built plugin's id (a hash of its engine: core's rules, name lists and built-in advisories); unbuilt code remembers nothing. */
const BUILD_ID = typeof LIFEGUARD_BUILD_ID === 'string' && LIFEGUARD_BUILD_ID !== 'dev' ? LIFEGUARD_BUILD_ID : undefined;

/**
 * Lifeguard's files for one project live outside it, in Yarn's global folder, one per project
 * directory: a file planted in the repository (a pull request) is never read, and a refused install
 * leaves the project as it was. `kind`: `clean` (the remembered clean install), `verdicts` (cache.ts).
 */
export function projectFile(project: Project, kind: 'clean' | 'verdicts'): string | undefined {
  // `yarn dlx` installs into a temporary project that is deleted afterwards: nothing to keep for it.
  if (basename(project.cwd) === `dlx-${process.pid}`) return undefined;
  const folder = project.configuration.get('globalFolder');
  if (typeof folder !== 'string' || !isAbsolute(folder)) return undefined;
  return join(folder, 'lifeguard', `${kind}-${sha(project.cwd).slice(0, 32)}.json`);
}

/** Written only by an install that succeeded. */
export const rememberedFile = (project: Project): string | undefined => projectFile(project, 'clean');
const FORMAT = 1;

/**
 * An install found clean (nothing refused, no warning at all), answered again without loading
 * the engine when nothing it depends on changed. Never written for a policy with advisory feeds
 * (feeds change on their own) or in warn mode.
 */
export interface Remembered {
  /** startKey of that install. */
  readonly start: string;
  /** graphKey of what it fetched and linked. */
  readonly graph: string;
  readonly releaseAge: ReleaseAge | null;
  /** Each getDependencyMeta question of that install (metaKey) and whether the build was allowed. */
  readonly built: Readonly<Record<string, boolean>>;
  /** The info lines of its end-of-install summary. */
  readonly summary: readonly string[];
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const MAX_BYTES = 1024 * 1024;

function linkAt(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file's bytes for a key: "-" when nothing is there, undefined when it is not a regular file of
 * at most 1 MiB (a FIFO, a device, a directory: the engine reports those). Opened non-blocking and
 * checked with fstat before a byte is read, so a FIFO never hangs the install.
 */
function bytesOf(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    // Nothing at all is "-"; a dangling symbolic link is somebody's policy that cannot be read.
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a path component is a file, nothing at the path either (as the loader reads it).
    return (code === 'ENOENT' || code === 'ENOTDIR') && !linkAt(file) ? '-' : undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) return undefined;
      at += n;
    }
    return `+${buf.toString('base64')}`;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * What is known before resolution: this build, the Yarn version, every input from which the
 * loader picks the policy (LIFEGUARD_POLICY, the project's lifeguard.json, the user-level one under
 * XDG_CONFIG_HOME or HOME: their paths and bytes, so that no choice between them is made twice)
 * and the root manifest's bytes (its dependenciesMeta). Undefined when any of it cannot be read:
 * the engine then loads and reports the problem.
 */
export function startKey(project: Project, yarnVersion: string | null, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (BUILD_ID === undefined) return undefined;
  const dir = policyDir(project);
  const override = env.LIFEGUARD_POLICY;
  const candidates = [override && isAbsolute(override) ? override : undefined, join(dir, 'lifeguard.json')];
  for (const base of [env.XDG_CONFIG_HOME, env.HOME && join(env.HOME, '.config')]) if (base && isAbsolute(base)) candidates.push(join(base, 'lifeguard', 'lifeguard.json'));
  const files: (string | undefined)[] = [];
  for (const f of [...candidates, join(project.cwd, 'package.json')]) {
    if (f === undefined) continue;
    const bytes = bytesOf(f);
    if (bytes === undefined) return undefined;
    files.push(f, bytes);
  }
  return sha(JSON.stringify([FORMAT, BUILD_ID, yarnVersion, override ?? null, env.XDG_CONFIG_HOME ?? null, env.HOME ?? null, files]));
}

const depsOf = (pkg: Package): string[][] => [...(pkg.dependencies.values() as IterableIterator<Descriptor>)].map((d) => [d.scope ?? '', d.name, d.range]);

/**
 * Everything a verdict reads from Yarn's resolution: every package (locator, version, resolved and
 * original dependencies, archive checksum, whether it is fetched, whether it is a workspace),
 * every descriptor and what it resolved to, and the project's registries. JSON rows, sorted: no
 * crafted range can make two graphs read the same.
 */
export function graphKey(structUtils: StructUtils, project: Project): string {
  const rows: string[] = [];
  for (const [hash, pkg] of project.storedPackages) {
    const original = project.originalPackages.get(hash);
    rows.push(JSON.stringify([
      hash, structUtils.stringifyIdent(pkg), pkg.reference, pkg.version, depsOf(pkg), original ? depsOf(original) : null,
      project.storedChecksums.get(hash) ?? null, project.disabledLocators.has(hash), project.tryWorkspaceByLocator(pkg)?.cwd ?? null,
    ]));
  }
  const resolutions = [...project.storedResolutions].map(([d, l]) => JSON.stringify([d, project.storedDescriptors.get(d)?.range ?? null, l]));
  return sha(JSON.stringify([rows.sort(), resolutions.sort(), registries(project.configuration)]));
}

/** What getDependencyMeta returns for an answer: an explicit `built: false` of the project's is kept. */
export const builtMeta = (meta: DependencyMeta, approved: boolean): DependencyMeta => ({ ...meta, built: approved && meta.built !== false });

/** The question getDependencyMeta is asked, as a key. */
export const metaKey = (name: string, version: string | null, reference: string | undefined): string => JSON.stringify([name, version, reference ?? null]);

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The remembered install, or undefined when there is none or it is not one this plugin wrote (corrupt, foreign, older format). */
export function readRemembered(project: Project): Remembered | undefined {
  const file = rememberedFile(project);
  if (file === undefined) return undefined;
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (j.format !== FORMAT || j.build !== BUILD_ID || j.project !== project.cwd || typeof j.start !== 'string' || typeof j.graph !== 'string' || !isStrings(j.summary)) return undefined;
    const built = j.built;
    if (!built || typeof built !== 'object' || Array.isArray(built) || !Object.values(built).every((b) => typeof b === 'boolean')) return undefined;
    const age = j.releaseAge as { minutes?: unknown; exclude?: unknown } | null;
    if (age !== null && !(age && typeof age.minutes === 'number' && Number.isFinite(age.minutes) && isStrings(age.exclude))) return undefined;
    return {
      start: j.start, graph: j.graph, summary: j.summary,
      built: Object.assign(Object.create(null) as Record<string, boolean>, built), // `__proto__` is a key here, not a setter
      releaseAge: age === null ? null : { minutes: age.minutes as number, exclude: age.exclude as string[] },
    };
  } catch {
    return undefined;
  }
}

/** Atomic (temp file + rename), best effort: a read-only checkout only costs the next install a full judgment. */
export function writeRemembered(project: Project, r: Remembered): void {
  const file = rememberedFile(project);
  if (BUILD_ID === undefined || file === undefined) return;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, build: BUILD_ID, project: project.cwd, ...r }));
    renameSync(tmp, file);
  } catch {
    // carry on without it
  }
}
