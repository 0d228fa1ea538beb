import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { load } from 'js-yaml';
import type { LockfileKind } from './lockfiles/types';
import { readProjectFile } from './project-file';

/** What the package manager's own records say about one release's install scripts in one project. */
export type ScriptsRan = 'ran' | 'not-run' | 'unknown' | 'none';

export interface InstallState {
  /** The file the answer comes from, or undefined when the package manager keeps no record. */
  readonly file: string | undefined;
  /**
   * `hasScripts`: whether the release has install scripts, when the lockfile or its installed package.json
   * says so. A record of the package manager wins over it: a dropper can rewrite its own package.json.
   */
  scripts(name: string, version: string, hasScripts: boolean | undefined): ScriptsRan;
}

const unrecorded = (hasScripts: boolean | undefined): ScriptsRan => (hasScripts === false ? 'none' : 'unknown');
const NO_RECORD = (file?: string): InstallState => ({ file, scripts: (_n, _v, hasScripts) => unrecorded(hasScripts) });
type Obj = Record<string, unknown>;

/**
 * The install state of a project, as `lifeguard incident` needs it: did this release's install scripts run?
 * - pnpm: `node_modules/.modules.yaml` lists builds it skipped (`ignoredBuilds`, and `pendingBuilds` after
 *   `--ignore-scripts`) and, from pnpm 11, the `allowBuilds` in force (`false`: not built); a package with
 *   scripts that is in none of them was built. pnpm 10 records no `ignoredBuiltDependencies`.
 * - Yarn Berry: `.yarn/install-state.gz` (gzip of v8.serialize) keeps `storedBuildState` (builds that ran)
 *   and `skippedBuilds`, keyed by locator hash, with `storedPackages` to map hashes to name and version.
 * - npm keeps no record; `ignore-scripts=true` in the project's `.npmrc` means nothing ran.
 */
export function readInstallState(projectDir: string, kind: LockfileKind): InstallState {
  switch (kind) {
    case 'pnpm':
      return pnpmState(join(projectDir, 'node_modules', '.modules.yaml'));
    case 'yarn':
      return yarnState(join(projectDir, '.yarn', 'install-state.gz'));
    case 'npm':
      return npmState(join(projectDir, '.npmrc'));
  }
}

/** Opened without blocking (a FIFO planted as the state file must not hang a scan): anything unreadable is no record. */
function read(file: string): Buffer | undefined {
  try {
    return readProjectFile(file);
  } catch {
    return undefined;
  }
}

/** `@scope/a@1.0.0(peer@2)` or `/@scope/a@1.0.0` -> `@scope/a@1.0.0`; a bare name stays a name. */
const pnpmKey = (entry: string): string => entry.replace(/^\//, '').replace(/\(.*$/, '');

function pnpmState(file: string): InstallState {
  const buf = read(file);
  if (!buf) return NO_RECORD();
  let doc: Obj;
  try {
    doc = (load(buf.toString('utf8')) ?? {}) as Obj;
  } catch {
    return NO_RECORD(file);
  }
  const skipped = new Set<string>();
  for (const field of ['ignoredBuilds', 'pendingBuilds']) {
    const list = doc[field];
    if (Array.isArray(list)) for (const e of list) if (typeof e === 'string') skipped.add(pnpmKey(e).toLowerCase());
  }
  // `allowBuilds` keys are a name or `name@1.0.0 || 1.0.1`; false means pnpm did not build them.
  const allow = doc.allowBuilds;
  if (typeof allow === 'object' && allow !== null) {
    for (const [key, value] of Object.entries(allow)) {
      if (value !== false) continue;
      const at = key.indexOf('@', 1);
      if (at < 0) skipped.add(key.toLowerCase());
      else for (const v of key.slice(at + 1).split('||')) skipped.add(`${key.slice(0, at).toLowerCase()}@${v.trim()}`);
    }
  }
  return {
    file,
    scripts(name, version, hasScripts) {
      const n = name.toLowerCase();
      if (skipped.has(`${n}@${version}`) || skipped.has(n)) return 'not-run';
      return hasScripts === true ? 'ran' : unrecorded(hasScripts);
    },
  };
}

interface YarnPackage {
  readonly scope?: string | null;
  readonly name?: string;
  readonly version?: string | null;
  readonly reference?: string;
}

function yarnState(file: string): InstallState {
  const buf = read(file);
  if (!buf) return NO_RECORD();
  let state: Obj;
  try {
    state = deserialize(gunzipSync(buf, { maxOutputLength: 256 << 20 })) as Obj;
  } catch {
    return NO_RECORD(file);
  }
  const packages = state.storedPackages instanceof Map ? (state.storedPackages as Map<string, YarnPackage>) : new Map<string, YarnPackage>();
  const built = state.storedBuildState instanceof Map ? (state.storedBuildState as Map<string, unknown>) : new Map<string, unknown>();
  const skipped = state.skippedBuilds instanceof Set ? (state.skippedBuilds as Set<string>) : new Set<string>();
  const byRelease = new Map<string, string[]>();
  for (const [hash, pkg] of packages) {
    if (typeof pkg?.name !== 'string') continue;
    const name = (pkg.scope ? `@${pkg.scope}/${pkg.name}` : pkg.name).toLowerCase();
    const version = typeof pkg.version === 'string' ? pkg.version : String(pkg.reference ?? '').replace(/^npm:/, '');
    const key = `${name}@${version}`;
    byRelease.set(key, [...(byRelease.get(key) ?? []), hash]);
  }
  return {
    file,
    scripts(name, version, hasScripts) {
      const hashes = byRelease.get(`${name.toLowerCase()}@${version}`);
      if (hashes?.some((h) => built.has(h))) return 'ran';
      if (hashes?.some((h) => skipped.has(h))) return 'not-run';
      if (!hashes || hasScripts === false) return unrecorded(hasScripts);
      // Yarn stores a build state for every build it ran: a known package without one did not run.
      return 'not-run';
    },
  };
}

function npmState(file: string): InstallState {
  const buf = read(file);
  if (!buf) return NO_RECORD();
  // The last assignment wins, as in npm's ini parser; `ignore-scripts` alone means true.
  let ignore: boolean | undefined;
  for (const line of buf.toString('utf8').split(/\r?\n/)) {
    const m = /^\s*ignore[-_]scripts\s*(?:=\s*(.*?))?\s*$/i.exec(line);
    if (m) ignore = m[1] === undefined || /^(?:true|"true"|'true')$/i.test(m[1]);
  }
  return ignore ? { file, scripts: (_n, _v, hasScripts) => (hasScripts === false ? 'none' : 'not-run') } : NO_RECORD();
}
