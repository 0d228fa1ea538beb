/**
 * pnpm-plugin-lifeguard: the pnpmfile. Bundled into one self-contained CommonJS file.
 *
 * - updateConfig: the build gate (allowBuilds / onlyBuiltDependencies from lifeguard.json),
 *   the release-age gate, and policy loading (an invalid policy fails every install here);
 *   judges config dependencies; refuses switches that would widen the gate (switches.ts) and, on
 *   pnpm 10, a later pnpmfile that widens it (later-hooks.ts).
 * - readPackage: refuses denied / malicious / typosquatted / exotic-source packages (and the
 *   packages of a project's link:/file: folders) before pnpm fetches or writes anything; records
 *   skipped builds for the summary.
 * - preResolution: the same refusals over the wanted lockfile (frozen installs run no readPackage).
 *   pnpm 11/12 skip it when lockfile and node_modules are up to date, so updateConfig checks
 *   pnpm-lock.yaml itself on `pnpm install` there.
 * - afterAllResolved (pnpm 12: after builds) or process exit (pnpm 10/11 run hooks in process):
 *   prints the summary of skipped builds, frozen installs included on 10/11.
 *
 * Nothing is written to stdout: in pnpm 12 it is the hook worker's protocol channel.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { classifySpec, evaluate, pnpmApprovals, pnpmBuildGate, uncarriedApprovals, warningLine, type Finding, type PackageFacts, type PnpmBuildGate, type Policy, type Verdict } from '@lifeguard/core';
import { loadPolicy, userPolicyPath } from '@lifeguard/loader';
import { pnpmArgs } from './cli';
import { commandOf } from './command';
import { configDependencies, configDependencyFindings, configDependencyMessage } from './config-deps';
import { dlxLine, dlxPackages } from './dlx';
import { failure } from './failure';
import { applyBuildGate, applyReleaseAge, parseUserAgent, type PnpmVersion } from './gate';
import { changedSettings, gateSnapshot, laterHookMessage, laterPnpmfiles, runLast } from './later-hooks';
import { localDependencies } from './local-links';
import { lockfileFacts, parseLockfileText, readLockfileObject, readLockfileText, registryList, wantedKeys, type LockedPackage } from './lockfile';
import { installedScripts } from './installed';
import { pendingLine, refusalMessage, skippedSummary } from './messages';
import { ignoredBuilds } from './modules-yaml';
import { readStamp, stampFile, stampKey, writeStamp } from './stamp';
import { switchRefusal } from './switches';
import { localDependencyNames, workspacePackages } from './workspace';

interface State {
  dir: string;
  policy: Policy;
  file: string | undefined;
  /** The policy's fingerprint (path + bytes), for the lockfile stamp. */
  fingerprint: string;
  version: PnpmVersion | undefined;
  /** The project's own packages: name -> folder. */
  workspaces: Map<string, string>;
  /** Names the project's own manifests (or its file:/link: directories) give a file:/link: spec. */
  localNames: Set<string>;
  /** dependency name -> packages that declared it (for "pulled in by"). */
  parents: Map<string, Set<string>>;
  skipped: Map<string, Finding>;
  warned: Set<string>;
  summaryPrinted: boolean;
  exitHooked?: boolean;
  /** pnpm-lock.yaml as it is before this install, read once. */
  lockfileText?: string;
  /** Its packages, read once (by the lockfile check when it runs, else without edges: the gate needs none). */
  locked?: LockedPackage[];
  /** Names and `name@version`s the build gate lets build in this install. */
  gate?: PnpmBuildGate;
  gated?: Set<string>;
  /** Approved packages first resolved in this install, so not in the gate yet. */
  pending: Set<string>;
  /** Whether any registry package of this install came with `hasInstallScript` (npmjs sends it; some registries never do). */
  sawInstallFlag?: boolean;
  /** The first refusal of readPackage: pnpm 11 swallows it for an optional dependency. */
  refusal?: string;
  /** pnpm's registries (config / preResolution ctx), where locked tarball URLs may point. */
  registries: string[];
}

let state: State | undefined;
let saidDefault = false;

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** The project root when a hook gets no directory: nearest pnpm-workspace.yaml, else pnpm-lock.yaml. */
function findRoot(from: string): string {
  for (const marker of ['pnpm-workspace.yaml', 'pnpm-lock.yaml']) {
    let d = from;
    for (;;) {
      if (existsSync(join(d, marker))) return d;
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return from;
}

function load(dir: string, version: PnpmVersion | undefined): State {
  if (state && state.dir === dir) {
    if (version && !state.version) state.version = version;
    return state;
  }
  let loaded;
  try {
    loaded = loadPolicy(dir, process.env);
  } catch (e) {
    // PolicyError: names the file, the JSON path and what was expected. Fail closed.
    if (e instanceof Error && e.name === 'PolicyError') throw failure(e.message);
    throw e;
  }
  const { policy, file, fingerprint } = loaded;
  const workspaces = workspacePackages(dir);
  state = {
    dir, policy, file, fingerprint, version, workspaces, localNames: localDependencyNames(workspaces.values()), parents: new Map(), skipped: new Map(), warned: new Set(), summaryPrinted: false,
    pending: new Set(), registries: [],
  };
  return state;
}

function current(): State {
  // pnpm 12 may run hooks in another worker than updateConfig: find the project again.
  return state ?? load(findRoot(process.cwd()), undefined);
}

/** The build gate from the policy and the lockfile as it is before this install; once per process. */
function gateOf(s: State): PnpmBuildGate {
  s.gate ??= pnpmBuildGate(s.policy, lockedOf(s));
  return s.gate;
}

/** Names and `name@version`s the gate lets build. */
function gatedKeys(s: State): Set<string> {
  if (s.gated) return s.gated;
  const keys = new Set<string>();
  for (const [key, allowed] of Object.entries(gateOf(s).allowBuilds)) {
    if (!allowed) continue;
    const at = key.indexOf('@', 1);
    if (at < 0) keys.add(key);
    else for (const v of key.slice(at + 1).split('||')) keys.add(`${key.slice(0, at)}@${v.trim()}`);
  }
  s.gated = keys;
  return keys;
}

function lockfileText(s: State): string {
  if (s.lockfileText === undefined) {
    try {
      s.lockfileText = readFileSync(join(s.dir, 'pnpm-lock.yaml'), 'utf8');
    } catch {
      s.lockfileText = ''; // no lockfile yet: a first install
    }
  }
  return s.lockfileText;
}

function lockedOf(s: State): LockedPackage[] {
  s.locked ??= readLockfileText(lockfileText(s));
  return s.locked;
}

/** Prints warn-level findings once per package and remembers skipped builds. */
function note(s: State, verdict: Verdict): void {
  for (const f of verdict.findings) {
    const id = `${f.code}:${f.package}@${f.version}`;
    if (f.action === 'skip-scripts') {
      s.skipped.set(`${f.package}@${f.version}`, f);
      continue;
    }
    if (f.action === 'warn' && !s.warned.has(id)) {
      s.warned.add(id);
      say(warningLine(f));
    }
  }
}


function refuse(s: State, verdict: Verdict, where: string): never {
  const refused = verdict.findings.filter((f) => f.action === 'refuse');
  s.refusal ??= refusalMessage(refused, s.file, where);
  throw refusalError(s, refused, s.refusal);
}

let refusalSaid = false;

/**
 * pnpm 12 prints a hook's error inside its ERR_PNPM_PNPMFILE_FAIL box, wrapped at 80 columns (mid
 * path, mid name) and, for a refusal while resolving, twice (measured on 12.21). So there the whole
 * message is said once on stderr, unwrapped, and the box gets one short line. pnpm 10/11 print the
 * message as it is. A process with no version known is a pnpm 12 hook worker: pnpm 10/11 run
 * updateConfig, which records the version, in the same process before any other hook.
 */
function refusalError(s: State, findings: readonly Finding[], message: string): Error {
  if (s.version && s.version.major < 12) return failure(message);
  if (!refusalSaid) {
    refusalSaid = true;
    say(message);
  }
  const first = findings[0];
  return failure(`Lifeguard refused ${first ? `${first.package}@${first.version} [${first.code}]` : 'the install'}: why and how to allow it are printed above.`);
}

type Config = Record<string, unknown>;

function updateConfig(config: Config): Config {
  const version = parseUserAgent(config.userAgent);
  const dir = typeof config.lockfileDir === 'string' ? config.lockfileDir : typeof config.dir === 'string' ? config.dir : process.cwd();
  const s = load(dir, version);
  const args = pnpmArgs(version);
  const command = commandName(config, args);
  judgeConfigDependencies(s, config);
  s.registries = registryList(config.registries);
  // warn: leave pnpm's own build and age settings alone; findings are printed by the other hooks.
  if (s.policy.mode === 'warn') return config;
  const refusal = gateOf(s).allowAll ? undefined : switchRefusal({ dir: s.dir, policy: s.policy, file: s.file, version: s.version, args, command }, config);
  if (refusal) throw failure(refusal);
  if (version && version.major >= 11 && checksLockfileHere(command, version)) checkUpToDate(s);
  if (command !== undefined && INSTALLING.has(command)) {
    sayOverridden(s, config);
    sayIgnoreScripts(s, config);
  }
  applyBuildGate(config, gateOf(s), s.policy, version);
  applyReleaseAge(config, s.policy);
  const set = gateSnapshot(config);
  runLast(config, (final) => {
    const changed = changedSettings(set, gateSnapshot(final));
    if (changed.length > 0) throw failure(laterHookMessage(changed, laterPnpmfiles(config, __filename), s.file));
    return final;
  });
  return config;
}

/** pnpm commands that install: where the notices about pnpm's own settings belong (not `pnpm run`, `ls`, ...). */
const INSTALLING = new Set(['install', 'i', 'add', 'update', 'up', 'upgrade', 'install-test', 'it']);

let overriddenSaid = false;

/**
 * pnpm's own build approvals (allowBuilds, onlyBuiltDependencies from pnpm-workspace.yaml,
 * package.json or .npmrc) are replaced by the gate: the ones lifeguard.json does not carry stop
 * building, so say it, once, before pnpm's own "Ignored build scripts" line.
 */
function sayOverridden(s: State, config: Config): void {
  if (overriddenSaid) return;
  overriddenSaid = true;
  const missing = uncarriedApprovals(s.policy, pnpmApprovals(config, "pnpm's settings").approvals);
  if (missing.length === 0) return;
  say(
    `Lifeguard: pnpm's own build approvals for ${missing.map((a) => a.spec).join(', ')} are not in ${s.file ?? 'lifeguard.json'}, so Lifeguard's gate ` +
      'does not build them. Add them to "scripts.allow" in lifeguard.json to keep them building.',
  );
}

/**
 * `ignore-scripts=true` (often left in .npmrc from an npm set-up): pnpm 10 then runs no
 * dependency build at all, so the approvals in lifeguard.json silently do nothing (measured on
 * 10.34; pnpm 12 does not read it from .npmrc). Said, not changed: it is the project's choice.
 */
function sayIgnoreScripts(s: State, config: Config): void {
  if (config.ignoreScripts !== true && config.ignoreDepScripts !== true) return;
  if (s.policy.scripts.allow.size === 0 && s.policy.scripts.unapproved !== 'run') return;
  const which = config.ignoreScripts === true ? 'ignore-scripts' : 'ignore-dep-scripts';
  say(`Lifeguard: ${which} is on (.npmrc, pnpm-workspace.yaml or the command line): pnpm runs no dependency build at all, not even the ones ${s.file ?? 'lifeguard.json'} approves. Remove it; Lifeguard's gate decides which builds run.`);
}

/** The pnpm command: pnpm 12.16+ name it in `extraEnv`, else the command line tells. */
function commandName(config: Config, args: readonly string[] | undefined): string | undefined {
  const extra = config.extraEnv;
  if (typeof extra === 'object' && extra !== null && typeof (extra as { npm_command?: unknown }).npm_command === 'string') return (extra as { npm_command: string }).npm_command;
  return args ? commandOf(args) : undefined;
}

/** Config dependencies are installed and loaded before Lifeguard: judge them on every command. */
function judgeConfigDependencies(s: State, config: Config): void {
  const findings = configDependencyFindings(s.policy, configDependencies(config, lockfileText(s)));
  const refused = findings.filter((f) => f.action === 'refuse');
  if (refused.length > 0) throw failure(configDependencyMessage(refused, s.file));
  for (const f of findings) if (!s.warned.has(`config:${f.code}:${f.package}@${f.version}`)) {
    s.warned.add(`config:${f.code}:${f.package}@${f.version}`);
    say(warningLine(f));
  }
}

/**
 * Whether updateConfig must check pnpm-lock.yaml: on `pnpm install` and `pnpm install-test`
 * (pnpm 12.16+ name the command in `extraEnv`; pnpm 10/11 run hooks in their own process, so their
 * argv tells), and on every command of older pnpm 12, which says neither and whose frozen installs
 * call no other hook that could.
 */
const INSTALLS = new Set(['install', 'i', 'install-test', 'it']);
function checksLockfileHere(command: string | undefined, version: PnpmVersion): boolean {
  if (command !== undefined) return INSTALLS.has(command);
  return version.major >= 12;
}

/**
 * A `pnpm install` whose lockfile and node_modules are up to date resolves nothing on pnpm 11/12:
 * no readPackage, no preResolution. A package the policy came to refuse after it was installed
 * (a new advisory, a new deny entry) would then stay installed without a word, so the lockfile is
 * checked here, as preResolution would.
 */
function checkUpToDate(s: State): void {
  // The full read serves the build gate too: the file is parsed once.
  s.locked = checkLockfile(s, parseLockfileText(lockfileText(s)));
}

interface Manifest {
  name?: string;
  version?: string;
  dist?: { tarball?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  hasInstallScript?: boolean;
  _resolved?: string;
}

function readPackage(pkg: Manifest): Manifest {
  const s = current();
  const name = pkg.name;
  const version = pkg.version ?? '0.0.0';
  const workspace = !pkg.dist && (name === undefined || s.workspaces.has(name));
  // A directory the project (or another of its directories) names with file:/link: is the project's code.
  const local = !workspace && !pkg.dist && name !== undefined && s.localNames.has(name);
  const id = `${name ?? '(project)'}@${version}`;
  const deps = { ...(pkg.dependencies ?? {}), ...(pkg.optionalDependencies ?? {}) };
  for (const dep of Object.keys(deps)) {
    const set = s.parents.get(dep) ?? new Set<string>();
    set.add(workspace ? name ?? 'the project' : id);
    s.parents.set(dep, set);
    const kind = classifySpec(deps[dep] ?? '');
    if ((workspace || local) && (kind === 'file' || kind === 'link')) s.localNames.add(dep);
  }
  if (name === undefined || workspace) {
    refuseLocalDependencies(s, name === undefined ? s.dir : s.workspaces.get(name), [pkg.dependencies ?? {}, pkg.optionalDependencies ?? {}, pkg.devDependencies ?? {}]);
    return pkg;
  }
  const via = s.parents.get(name);
  const facts: PackageFacts = {
    name,
    version,
    source: 'registry',
    dependencies: deps,
    ...(local ? { local: true } : {}),
    // Registry packages arrive as abbreviated metadata: no scripts, maybe hasInstallScript.
    scripts: pkg.dist ? undefined : pkg.scripts,
    ...(pkg.hasInstallScript !== undefined ? { hasInstallScript: pkg.hasInstallScript } : {}),
    ...(via ? { requiredBy: [[...via].slice(0, 3).join(', ')] } : {}),
  };
  if (pkg.hasInstallScript !== undefined) s.sawInstallFlag = true;
  const verdict = evaluate(s.policy, facts);
  if (verdict.decision === 'refuse') refuse(s, verdict, 'while resolving');
  note(s, verdict);
  if (verdict.runScripts && s.policy.mode !== 'warn') {
    // pnpm 12 may run readPackage in another worker than updateConfig: compute the same gate here.
    const gated = gatedKeys(s);
    if (!gateOf(s).allowAll && !gated.has(name) && !gated.has(`${name}@${version}`)) s.pending.add(`${name}@${version}`);
  }
  return pkg;
}

/** A project manifest's `link:` / `file:` folders: judged by name and version (deny, advisories, typosquat). */
function refuseLocalDependencies(s: State, projectDir: string | undefined, fields: Array<Record<string, string>>): void {
  if (projectDir === undefined) return;
  for (const facts of localDependencies(projectDir, fields)) {
    if (s.workspaces.get(facts.name) !== undefined) continue; // a workspace package linked by path
    const verdict = evaluate(s.policy, facts);
    if (verdict.decision === 'refuse') refuse(s, verdict, `linked from ${facts.resolved}`);
    note(s, verdict);
  }
}

interface PreResolutionContext {
  wantedLockfile?: unknown;
  lockfileDir?: string;
  registries?: unknown;
}

/** pnpm 10/11 run hooks in the pnpm process: their exit is the end of the install. */
const inProcess = (s: State): boolean => s.version !== undefined && s.version.major < 12;

/**
 * At exit of a successful pnpm 10/11 install: list the builds pnpm skipped (node_modules/.modules.yaml
 * `ignoredBuilds`, JSON in practice), with what the policy says about each. Frozen installs included.
 */
function summaryAtExit(s: State): void {
  process.once('exit', (code) => exitSummary(s, code));
}

function exitSummary(s: State, code: number): void {
  if (code !== 0 || s.summaryPrinted || s.policy.mode === 'warn') return;
  const pending: string[] = [];
  for (const entry of ignoredBuilds(s.dir) ?? []) {
    const at = entry.lastIndexOf('@');
    const v = evaluate(s.policy, { name: entry.slice(0, at), version: entry.slice(at + 1), hasInstallScript: true });
    const f = v.findings.find((x) => x.code === 'LIFEGUARD_SCRIPTS' && x.action === 'skip-scripts');
    if (f) s.skipped.set(entry, f);
    else if (v.runScripts) pending.push(entry);
  }
  // Judged again on the unpacked scripts: the exact lifecycle, and a risky script flagged.
  const found = skippedAfterInstall(s, []);
  const args = pnpmArgs(s.version);
  const dlx = args && commandOf(args) === 'dlx' ? dlxPackages(args) : new Set<string>();
  const ranInDlx = [...found.keys()].filter((id) => dlx.has(id.slice(0, id.lastIndexOf('@'))));
  for (const id of ranInDlx) found.delete(id);
  s.summaryPrinted = true;
  if (ranInDlx.length > 0) say(dlxLine(ranInDlx));
  if (found.size > 0) say(skippedSummary([...found.values()], s.file));
  if (pending.length > 0) say(pendingLine(pending));
}

/**
 * Said once per install, from preResolution: updateConfig also runs for `pnpm run`, `pnpm ls`, ...
 * (twice on pnpm 11/12 with verifyDepsBeforeRun), where the notice would be noise.
 */
function announce(s: State): void {
  if (saidDefault) return;
  saidDefault = true;
  if (s.file !== undefined && s.file === userPolicyPath(process.env)) say(`Lifeguard: no lifeguard.json in ${s.dir}; your user-level policy ${s.file} applies.`);
  if (!s.file) {
    say(`Lifeguard: no lifeguard.json in ${s.dir}; the built-in default policy applies (dependency scripts skipped; typosquats, exotic sources and known-malicious releases refused).`);
  }
  if (s.policy.mode === 'warn') say(`Lifeguard: ${s.file ?? 'the policy'} is in "warn" mode: nothing is refused or stripped; findings are printed.`);
}

/** An importer's declared `name -> specifier`, or undefined when its package.json cannot be read. */
function declaredDeps(manifestFile: string): Record<string, string> | undefined {
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const deps = m[field];
      if (typeof deps === 'object' && deps !== null) for (const [n, v] of Object.entries(deps)) if (typeof v === 'string') out[n] = v;
    }
    return out;
  } catch {
    return undefined;
  }
}

function preResolution(ctx: PreResolutionContext): void {
  const s = ctx.lockfileDir ? load(ctx.lockfileDir, state?.version) : current();
  if (ctx.registries !== undefined) s.registries = registryList(ctx.registries);
  announce(s);
  if (inProcess(s) && !s.exitHooked) {
    s.exitHooked = true;
    summaryAtExit(s);
  }
  checkLockfile(s, ctx.wantedLockfile);
}

/**
 * Refuses the install when a package the project still asks for in `lockfile` (pnpm's shape) is
 * refused. A lockfile whose every package passed without a warning (wanted or not) is remembered
 * (stamp.ts), so the same packages under the same policy and feeds are not judged again.
 * Returns the packages read.
 */
function checkLockfile(s: State, lockfile: unknown): LockedPackage[] {
  const locked = readLockfileObject(lockfile);
  const key = stampKey(s.policy, s.fingerprint, locked);
  const stamp = stampFile(s.dir);
  if (key !== undefined && readStamp(stamp) === key) return locked;
  const refused: Finding[] = [];
  const wanted = wantedKeys(lockfile, locked, (id) => declaredDeps(join(s.dir, id, 'package.json')));
  let clean = true;
  for (const p of locked) {
    const verdict = evaluate(s.policy, {
      name: p.name,
      version: p.version,
      source: p.source,
      ...(p.resolved ? { resolved: p.resolved } : {}),
      ...(p.dependencies ? { dependencies: p.dependencies } : {}),
      ...(p.local ? { local: true } : {}),
      ...(p.projectChosen ? { projectChosen: p.projectChosen } : {}),
      ...lockfileFacts(p, s.registries),
    });
    // Only a lockfile with nothing to refuse or warn about is remembered: warnings are said each time.
    if (verdict.findings.some((f) => f.action !== 'skip-scripts')) clean = false;
    if (wanted && !wanted.has(p.key)) continue;
    // Scripts are unknown from the lockfile: only refusals (and warnings) apply here.
    if (verdict.decision === 'refuse') refused.push(...verdict.findings.filter((f) => f.action === 'refuse' && f.code !== 'LIFEGUARD_SCRIPTS'));
    else for (const f of verdict.findings) if (f.action === 'warn') note(s, { ...verdict, findings: [f] });
  }
  if (refused.length > 0) {
    uncleanChecks++;
    // `pnpm remove` reads the old package.json here, so say how to drop the package instead.
    const drop = '  To drop it instead: delete the dependency that pulls it in from package.json, then run `pnpm install`.';
    throw refusalError(s, refused, `${refusalMessage(refused, s.file, 'in pnpm-lock.yaml')}\n${drop}`);
  }
  if (!clean) uncleanChecks++;
  if (clean && key !== undefined) writeStamp(stamp, key);
  return locked;
}

/**
 * The builds that did not run, judged on the scripts pnpm unpacked (so the list does not depend
 * on the registry sending `hasInstallScript`, and a dropper's script text is flagged): `ids` are
 * the packages to look at besides those readPackage already found.
 */
function skippedAfterInstall(s: State, ids: Iterable<string>): Map<string, Finding> {
  const found = new Map(s.skipped);
  const wanted = new Set([...ids, ...s.skipped.keys()]);
  for (const [id, installed] of installedScripts(s.dir, wanted)) {
    const at = id.lastIndexOf('@');
    const verdict = evaluate(s.policy, { name: id.slice(0, at), version: id.slice(at + 1), scripts: installed.scripts, hasBindingGyp: installed.hasBindingGyp });
    const f = verdict.findings.find((x) => x.code === 'LIFEGUARD_SCRIPTS' && x.action === 'skip-scripts');
    if (f) found.set(id, f);
    else found.delete(id);
  }
  return found;
}

/** Registry packages of a pnpm lockfile object (`packages` keys `name@version`; workspaces and links are not there). */
function lockfileIds(lockfile: unknown): string[] {
  const packages = typeof lockfile === 'object' && lockfile !== null ? (lockfile as { packages?: unknown }).packages : undefined;
  return typeof packages === 'object' && packages !== null ? Object.keys(packages).filter((k) => /^(@[^/]+\/)?[^@]+@\d/.test(k)) : [];
}

function afterAllResolved<T>(lockfile: T): T {
  const s = state;
  // pnpm 11 drops an optional dependency whose readPackage threw ("could not be resolved") and goes
  // on: the refusal is said again here, where pnpm 10/11 stop before writing anything.
  if (s?.refusal !== undefined && inProcess(s)) throw failure(s.refusal);
  if (s && !inProcess(s) && !s.summaryPrinted && s.policy.mode !== 'warn') {
    s.summaryPrinted = true;
    // pnpm 12 calls this after linking and builds, before it writes node_modules/.modules.yaml
    // (measured on 12.21), so pnpm's ignored list is not there yet: the unpacked manifests tell.
    // Every package is read only when the registry sent no `hasInstallScript` at all (≈ 35–50 ms
    // for 540 packages); otherwise only the skipped ones, for their exact scripts and risk.
    const skipped = skippedAfterInstall(s, s.sawInstallFlag ? [] : lockfileIds(lockfile));
    if (skipped.size > 0) say(skippedSummary([...skipped.values()], s.file));
    if (s.pending.size > 0) say(pendingLine([...s.pending]));
  }
  return lockfile;
}

/** Lockfile checks that found anything at all (the entry remembers no answer that depended on one). */
let uncleanChecks = 0;

/**
 * For the entry (entry.ts), which answered earlier hooks of this process from remembered results:
 * `prime` sets up what its updateConfig would have (project, pnpm version, registries);
 * `exitSummary` prints pnpm 10/11's end-of-install summary; `uncleanChecks` counts lockfile checks
 * that refused or warned; `policyFile` is the policy file of the project (for the later-hooks message).
 */
export const internal = {
  prime(dir: string, userAgent: unknown, registries: unknown): void {
    load(dir, parseUserAgent(userAgent)).registries = registryList(registries);
  },
  exitSummary(code: number): void {
    exitSummary(current(), code);
  },
  uncleanChecks: (): number => uncleanChecks,
  policyFile: (dir: string): string | undefined => load(dir, undefined).file,
};

export const hooks = { updateConfig, readPackage, preResolution, afterAllResolved };
