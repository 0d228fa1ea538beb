import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { installLifecycle } from '@lifeguard/core';
import { parse } from 'yaml';
import { readInstalled, type InstalledManifest } from './installed';
import { LockfileError } from './lockfiles/index';
import { readProjectFile } from './project-file';

/**
 * What the package manager recorded about the last install's builds: `name@version` keys of the
 * dependencies whose install scripts ran and of those that did not. Packages it cannot tell
 * about are in neither set. npm keeps no such record (undefined).
 */
export interface InstallState {
  readonly manager: 'pnpm' | 'yarn';
  /** The file the evidence comes from, relative to the project. */
  readonly file: string;
  readonly ran: Set<string>;
  readonly notRun: Set<string>;
  /**
   * pnpm 10 only: built unless an `ignoredBuiltDependencies` entry stopped it (pnpm 10 records
   * neither that list nor the builds that ran).
   */
  readonly unsure?: Set<string>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const PNPM_STATE = join('node_modules', '.modules.yaml');
const YARN_STATE = join('.yarn', 'install-state.gz');
/** install-state.gz of a large monorepo is a few MB; a bigger one is not Yarn's. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** The install state of the project in `dir`: pnpm's `node_modules/.modules.yaml` or Yarn's `.yarn/install-state.gz`. */
export function readInstallState(dir: string, installed?: ReadonlyMap<string, InstalledManifest>): InstallState | undefined {
  const pnpmState = readProjectFile(join(dir, PNPM_STATE));
  if (pnpmState) return readPnpmState(dir, pnpmState, installed ?? readInstalled(dir));
  const yarnState = readProjectFile(join(dir, YARN_STATE));
  if (yarnState) return readYarnState(dir, yarnState);
  return undefined;
}

/**
 * pnpm records the builds it skipped (`ignoredBuilds`, `pendingBuilds`) and, from pnpm 11, the
 * `allowBuilds` in force; not the builds that ran. So a dependency whose installed package.json has
 * install scripts ran unless it is listed as skipped or was set to `false` in that `allowBuilds`.
 * pnpm 10 records no allowBuilds, and its `ignoredBuiltDependencies` (where the Lifeguard hook puts
 * `scripts.deny` entries) leave no trace: such a package is `unknown` unless it is listed.
 */
function readPnpmState(dir: string, bytes: Buffer, installed: ReadonlyMap<string, InstalledManifest>): InstallState {
  const file = join(dir, PNPM_STATE);
  let doc: Obj;
  try {
    doc = obj(parse(bytes.toString('utf8')));
  } catch (e) {
    throw new LockfileError(file, `cannot read pnpm's install state (${(e as Error).message})`);
  }
  const notRun = new Set([...strings(doc.ignoredBuilds), ...strings(doc.pendingBuilds)]);
  const recorded = 'allowBuilds' in doc;
  const allow = obj(doc.allowBuilds);
  const denied = (name: string, version: string): boolean =>
    allow[name] === false || Object.entries(allow).some(([k, v]) => v === false && k.startsWith(`${name}@`) && k.slice(name.length + 1).split('||').map((s) => s.trim()).includes(version));
  const ran = new Set<string>();
  const unsure = new Set<string>();
  for (const [key, m] of installed) {
    const at = key.lastIndexOf('@');
    if (at <= 0 || notRun.has(key)) continue;
    const [name, version] = [key.slice(0, at), key.slice(at + 1)];
    if (installLifecycle({ name, version, scripts: m.scripts, hasBindingGyp: m.hasBindingGyp }).length === 0) continue;
    if (recorded && denied(name, version)) notRun.add(key);
    else if (recorded) ran.add(key);
    else unsure.add(key);
  }
  return { manager: 'pnpm', file: PNPM_STATE, ran, notRun, ...(recorded ? {} : { unsure }) };
}

/** Yarn: gzip of v8.serialize(state); `storedBuildState` has the locators built, `skippedBuilds` those not. */
function readYarnState(dir: string, bytes: Buffer): InstallState {
  const file = join(dir, YARN_STATE);
  let state: Obj;
  try {
    state = obj(deserialize(gunzipSync(bytes, { maxOutputLength: MAX_STATE_BYTES })));
  } catch (e) {
    throw new LockfileError(file, `cannot read Yarn's install state (${(e as Error).message})`);
  }
  const packages = state.storedPackages instanceof Map ? (state.storedPackages as Map<unknown, unknown>) : new Map<unknown, unknown>();
  const keyOf = (hash: unknown): string | undefined => {
    const p = obj(packages.get(hash));
    if (typeof p.name !== 'string' || typeof p.version !== 'string') return undefined;
    if (typeof p.reference === 'string' && p.reference.startsWith('workspace:')) return undefined;
    return `${typeof p.scope === 'string' && p.scope !== '' ? `@${p.scope}/` : ''}${p.name}@${p.version}`;
  };
  const collect = (hashes: Iterable<unknown>): Set<string> => {
    const out = new Set<string>();
    for (const h of hashes) {
      const k = keyOf(h);
      if (k !== undefined) out.add(k);
    }
    return out;
  };
  const built = state.storedBuildState instanceof Map ? (state.storedBuildState as Map<unknown, unknown>).keys() : [];
  const skipped = state.skippedBuilds instanceof Set ? (state.skippedBuilds as Set<unknown>) : [];
  return { manager: 'yarn', file: YARN_STATE, ran: collect(built), notRun: collect(skipped) };
}
