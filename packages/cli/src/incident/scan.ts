import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { installLifecycle } from '@lifeguard/core';
import { readRegularFile, UnsafeFileError } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstallState, type ScriptsRan } from '../install-state';
import { readInstalled, type InstalledManifest } from '../installed';
import { LOCKFILES, LockfileError, parseLockfile, type LockedPackage, type LockfileKind } from '../lockfiles/index';
import type { Affects } from './affects';

/** Lockfiles this build cannot read: found and reported, never skipped in silence. */
const UNREADABLE_LOCKFILES: Readonly<Record<string, string>> = {
  'bun.lockb': 'bun.lockb (binary) is not readable by lifeguard; run `bun install --save-text-lockfile`',
};
const NAMES = new Set<string>([...LOCKFILES, ...Object.keys(UNREADABLE_LOCKFILES)]);
/** Never descended into: installed packages (their own lockfiles are not the project's) and git internals. */
const SKIP = new Set(['node_modules', '.git']);

export interface AffectedRelease {
  readonly project: string;
  readonly lockfile: string;
  readonly package: string;
  readonly version: string;
  readonly via: readonly string[];
  readonly scripts: ScriptsRan;
  /** Which record the `scripts` answer comes from (for the text and SARIF outputs). */
  readonly evidence: string;
  /** Advisory ids (or the range given) that cover this release. */
  readonly matched: readonly string[];
}

export interface Unreadable {
  readonly project: string;
  readonly lockfile: string;
  readonly error: string;
}

export interface ScanResult {
  readonly lockfiles: number;
  readonly affected: AffectedRelease[];
  readonly unreadable: Unreadable[];
}

/**
 * Every lockfile under `roots`, depth first. Symbolic links are not followed (a link loop or a link to `/`
 * cannot make the walk endless), and a folder reached twice through overlapping roots is read once.
 */
export function* lockfilesUnder(roots: readonly string[], unreadable: Unreadable[]): Generator<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  const files: string[] = [];
  // Paths stay as given (relative output stays readable); a root reached twice (a symlink to another) is walked once.
  const seenRoots = new Set<string>();
  for (const r of roots) {
    try {
      const st = statSync(r);
      // A lockfile given by path (a fleet job's shard of a list) is searched as it is.
      if (!st.isDirectory() && NAMES.has(basename(r))) files.push(r);
      else if (!st.isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      else {
        const real = realpathSync(r);
        if (!seenRoots.has(real)) stack.push(r);
        seenRoots.add(real);
      }
    } catch (e) {
      unreadable.push({ project: r, lockfile: r, error: `not a readable folder or lockfile (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  yield* files;
  stack.reverse();
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      unreadable.push({ project: dir, lockfile: dir, error: `folder not readable (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) subdirs.push(join(dir, e.name));
      } else if (NAMES.has(e.name)) yield join(dir, e.name); // FIFOs and links too: reported, never read blindly
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
  }
}

/** The biggest lockfile the scan reads; a bigger one is reported as unreadable, not read. */
const MAX_LOCKFILE = 256 << 20;

/** Every affected release in every lockfile under `roots`. */
export function scan(roots: readonly string[], affects: Affects): ScanResult {
  const affected: AffectedRelease[] = [];
  const unreadable: Unreadable[] = [];
  let lockfiles = 0;
  for (const file of lockfilesUnder(roots, unreadable)) {
    lockfiles++;
    const project = dirname(file);
    const why = UNREADABLE_LOCKFILES[basename(file)];
    if (why) {
      unreadable.push({ project, lockfile: file, error: why });
      continue;
    }
    let text: string;
    try {
      // The loader's reader: a FIFO or device named like a lockfile must not block the scan.
      text = readRegularFile(file, MAX_LOCKFILE).toString('utf8');
    } catch (e) {
      unreadable.push({ project, lockfile: file, error: e instanceof UnsafeFileError ? `cannot read (expected ${e.expected}, found ${e.found})` : `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    if (!affects.mayMention(text)) continue;
    let packages: LockedPackage[];
    let kind: LockfileKind;
    let scriptsRecorded: boolean;
    try {
      ({ packages, kind, scriptsRecorded } = parseLockfile(file, text));
    } catch (e) {
      unreadable.push({ project, lockfile: file, error: e instanceof LockfileError ? e.message.slice(file.length + 2) : String(e) });
      continue;
    }
    const hits = packages.filter((p) => !p.workspace && affects.match(p.name, p.version).length > 0);
    if (hits.length === 0) continue;
    const state = readInstallState(project, kind);
    let installed: Map<string, InstalledManifest> | undefined;
    const seenRelease = new Set<string>();
    for (const p of hits) {
      // npm lists a release once per install path; one row per release and path is what users act on.
      const via = p.via ?? p.requiredBy ?? [];
      const id = `${p.name}@${p.version}\0${via.join('>')}`;
      if (seenRelease.has(id)) continue;
      seenRelease.add(id);
      installed ??= readInstalled(project);
      const hasScripts = scriptsKnown(p, scriptsRecorded, installed);
      const scripts = state.scripts(p.name, p.version, hasScripts);
      affected.push({
        project,
        lockfile: file,
        package: p.name,
        version: p.version,
        via,
        scripts,
        evidence: evidenceOf(scripts, state.file, kind, scriptsRecorded),
        matched: affects.match(p.name, p.version),
      });
    }
  }
  return { lockfiles, affected, unreadable };
}

/**
 * Whether the release has install scripts: the lockfile's flag first (written from registry metadata, before
 * any script ran), then the installed package.json, then npm's rule that a lockfile without the flag has none.
 */
function scriptsKnown(p: LockedPackage, scriptsRecorded: boolean, installed: ReadonlyMap<string, InstalledManifest>): boolean | undefined {
  if (p.hasInstallScript === true) return true;
  const inPackageJson = installed.has(`${p.name}@${p.version}`) ? installLifecycle(withInstalled(p, installed)).length > 0 : undefined;
  // npm (v2/v3) writes the flag for every package with install scripts: its absence is a record that there are none.
  if (scriptsRecorded) return inPackageJson === true;
  return inPackageJson;
}

function evidenceOf(scripts: ScriptsRan, stateFile: string | undefined, kind: LockfileKind, scriptsRecorded: boolean): string {
  if (scripts === 'none') return kind === 'npm' && scriptsRecorded ? 'no install scripts in package-lock.json' : 'no install scripts in its installed package.json, which a dropper can rewrite';
  if (stateFile) return basename(dirname(stateFile)) === '.yarn' ? '.yarn/install-state.gz' : stateFile.endsWith('.npmrc') ? 'ignore-scripts in .npmrc' : 'node_modules/.modules.yaml';
  return kind === 'npm' ? 'npm keeps no record of the scripts it ran' : 'no install state (not installed here)';
}
