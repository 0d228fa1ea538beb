/**
 * What pnpm loads: a small entry (node builtins, the memo and the later-hooks check) in front of
 * the engine (pnpmfile.ts), which is carried in the same file and compiled only when a hook must
 * judge something new (engine-code.ts). pnpm 12 loads the pnpmfile in fresh node workers on every
 * command, so what runs on an unchanged project is this file's few kilobytes and a few reads.
 *
 * - updateConfig / preResolution: answered from a remembered result (memo.ts) when every input is
 *   the same as when the engine last answered, refused nothing and found nothing in the lockfile;
 *   the notices it said then (the default policy applies, ignore-scripts is on) are said again. updateConfig's remembered answer
 *   is what the engine set in `config` (build gate, release age); the check that refuses a later
 *   pnpmfile widening the gate (pnpm 10) is installed again on every hit.
 * - readPackage of the root project manifest without link:/file: dependencies: nothing to judge
 *   (the engine only records it), so it is kept for the engine, in case one is loaded later.
 * - everything else goes to the engine. Once the engine is loaded in a process, it answers every
 *   later hook, after being told what the entry answered before (`replay`).
 *
 * Nothing is written to stdout: in pnpm 12 it is the hook worker's protocol channel.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultCacheDir } from '@lifeguard/loader/paths';
import { POLICY_MAX_BYTES, readRegularFile } from '@lifeguard/loader/safe-read';
import { compileEngine } from './engine-code';
import { failure } from './failure';
import { parseUserAgent } from './gate';
import { changedSettings, gateSnapshot, laterHookMessage, laterPnpmfiles, runLast } from './later-hooks';
import { changedField, fieldValue, pnpmCommandLine, fileInputs, inputs, memoDir, memoFile, readMemo, writeMemo, type Memo, type MemoKind } from './memo';
import { ignoredBuilds } from './modules-yaml';

type Engine = typeof import('./pnpmfile');
type Config = Record<string, unknown>;

declare const LIFEGUARD_BUILD_ID: string | undefined;
const BUILD = typeof LIFEGUARD_BUILD_ID === 'string' ? LIFEGUARD_BUILD_ID : 'dev';

let engine: Engine | undefined;
let saveCodeCache: (() => void) | undefined;
/** What the entry answered before the engine was loaded, told to the engine when it is. */
const replay: Array<(e: Engine) => void> = [];
/** Environment variables the engine read in this process (all of them are in every key it leaves). */
const envRead = new Set<string>();
/** The files as they were when the engine was loaded: an answer is remembered only if they did not change since. */
let filesAtLoad: Buffer | undefined;
/** Something the engine said or threw in this process, or the entry said again: later answers may rest on it (notices are said once per process). */
let tainted = false;
const kindsJudged = new Set<MemoKind>();
let userAgent: unknown;

/** LIFEGUARD_TRACE=<file>: one JSON line per hook (answered from memory or judged, milliseconds), for tests and benchmarks. */
function trace(hook: string, answer: string, since: number, extra: Record<string, unknown> = {}): void {
  const file = process.env.LIFEGUARD_TRACE;
  if (!file) return;
  try {
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, hook, answer, ms: performance.now() - since, ...extra })}\n`);
  } catch {
    /* tracing never fails an install */
  }
}

/** The project root when pnpm names none: nearest pnpm-workspace.yaml, else pnpm-lock.yaml (as the engine finds it). */
function findRoot(from: string): string {
  for (const marker of ['pnpm-workspace.yaml', 'pnpm-lock.yaml']) {
    for (let d = from; ; d = dirname(d)) {
      if (existsSync(join(d, marker))) return d;
      if (dirname(d) === d) break;
    }
  }
  return from;
}

/**
 * Runs `fn` on the engine with process.env and stderr watched: which variables it read, what it
 * said (`quiet`: said nothing, for replays of what the entry already answered).
 */
function watched<R>(fn: () => R, quiet = false): { value: R; said: string[] | undefined } {
  const env = process.env;
  const write = process.stderr.write;
  /** Everything written to stderr, in order; undefined once something that is not text was written. */
  let said: string[] | undefined = [];
  const read = (k: string | symbol) => {
    if (typeof k === 'string') envRead.add(k);
  };
  process.env = new Proxy(env, {
    get: (t, k) => (read(k), Reflect.get(t, k)),
    has: (t, k) => (read(k), Reflect.has(t, k)),
    getOwnPropertyDescriptor: (t, k) => (read(k), Reflect.getOwnPropertyDescriptor(t, k)),
    ownKeys: (t) => {
      const keys = Reflect.ownKeys(t);
      keys.forEach(read);
      return keys;
    },
  });
  process.stderr.write = function (this: unknown, ...args: unknown[]) {
    if (said !== undefined && typeof args[0] === 'string') said.push(args[0]);
    else said = undefined;
    if (quiet) return true;
    return (write as (...a: unknown[]) => boolean).apply(process.stderr, args);
  } as typeof write;
  try {
    const value = fn();
    if (said === undefined || said.length > 0) tainted = true;
    return { value, said };
  } catch (e) {
    tainted = true;
    throw e;
  } finally {
    process.env = env;
    process.stderr.write = write;
  }
}

/** Lines the entry said again from remembered answers in this process: each once, as the engine says its notices. */
const replayed = new Set<string>();

/** Says again what the engine said when it gave a remembered answer. */
function sayAgain(lines: readonly string[]): void {
  for (const line of lines) {
    if (replayed.has(line)) continue;
    replayed.add(line);
    process.stderr.write(line);
  }
  // The engine's own "said once" flags do not know: nothing said after this is remembered.
  if (lines.length > 0) tainted = true;
}

function loadEngine(dir: string): Engine {
  if (engine) return engine;
  const t = performance.now();
  filesAtLoad = fileInputs(dir);
  const folder = memoDir(dir);
  const compiled = watched(() => compileEngine<Engine>(__filename, BUILD, folder === undefined ? undefined : join(defaultCacheDir(process.env), 'pnpm-engine'), require)).value;
  engine = compiled.exports;
  saveCodeCache = compiled.saveCodeCache;
  trace('engine', compiled.fromCodeCache ? 'code cache' : 'compiled', t);
  const e = engine;
  // Quiet: what these calls had to say was said when the entry answered them.
  for (const r of replay.splice(0)) watched(() => r(e), true);
  return e;
}

/** The fields of `given` the engine reads and writes, recorded by a proxy while it runs. */
function recorder<T extends object>(given: T): { proxy: T; read: Record<string, string>; written: Set<string>; stop: () => void; opaque: () => boolean } {
  const read: Record<string, string> = {};
  const written = new Set<string>();
  let on = true;
  let opaque = false;
  const note = (k: string | symbol) => {
    if (!on || typeof k !== 'string' || written.has(k) || k in read) return;
    const v = fieldValue(given, k);
    if (v === undefined) opaque = true; // a value that cannot be written down cannot be compared
    else read[k] = v;
  };
  const proxy = new Proxy(given, {
    get: (t, k) => (note(k), Reflect.get(t, k)),
    has: (t, k) => (note(k), Reflect.has(t, k)),
    getOwnPropertyDescriptor: (t, k) => (note(k), Reflect.getOwnPropertyDescriptor(t, k)),
    ownKeys: (t) => {
      const keys = Reflect.ownKeys(t);
      keys.forEach(note);
      return keys;
    },
    set: (t, k, v) => (typeof k === 'string' && on && written.add(k), Reflect.set(t, k, v)),
    deleteProperty: (t, k) => (typeof k === 'string' && on && written.add(k), Reflect.deleteProperty(t, k)),
    defineProperty: (t, k, d) => (typeof k === 'string' && on && written.add(k), Reflect.defineProperty(t, k, d)),
  });
  return { proxy, read, written, stop: () => (on = false), opaque: () => opaque };
}

interface Call {
  readonly kind: MemoKind;
  readonly dir: string;
  readonly given: object;
}

/** A remembered answer for this call, or why there is none (for the trace). */
function recall(call: Call): Memo | string {
  if (BUILD === 'dev') return 'unbuilt';
  const folder = memoDir(call.dir);
  if (folder === undefined) return 'cache folder inside the project';
  const memo = readMemo(memoFile(folder, call.kind, call.dir), BUILD, call.kind);
  if (!memo) return 'no entry';
  const changed = changedField(memo, call.given);
  if (changed !== undefined) return `${changed} changed`;
  const files = fileInputs(call.dir);
  if (files === undefined) return 'a feed folder';
  const now = inputs({ build: BUILD, kind: call.kind, dir: call.dir, env: memo.header.env, version: versionOf() }, files);
  if (now.equals(memo.inputs)) return memo;
  let at = 0;
  while (at < now.length && now[at] === memo.inputs[at]) at++;
  return `inputs changed at ${JSON.stringify(now.toString('latin1', Math.max(0, at - 60), at + 20))}`;
}

/**
 * Remembers the engine's answer to its first call of this kind in this process, if nothing was
 * said and nothing can have changed. Returns why not, for the trace.
 */
function remember(call: Call, rec: ReturnType<typeof recorder>, answer: unknown, uncleanBefore: number, taintedBefore: boolean, said: string[] | undefined): string {
  const e = engine!;
  const first = !kindsJudged.has(call.kind);
  kindsJudged.add(call.kind);
  if (BUILD === 'dev') return 'unbuilt';
  if (taintedBefore) return 'something was said or thrown before in this process';
  if (said === undefined) return 'something that is not text was written';
  if (rec.opaque()) return 'a field that cannot be written down';
  if (!first) return 'not the first call of its kind';
  if (e.internal.uncleanChecks() !== uncleanBefore) return 'the lockfile check found something';
  if (answer === undefined) return 'config changed beyond what is remembered';
  const folder = memoDir(call.dir);
  const files = fileInputs(call.dir);
  if (folder === undefined) return 'cache folder inside the project';
  if (files === undefined) return 'a feed folder';
  if (filesAtLoad === undefined || !files.equals(filesAtLoad)) return 'files changed while judging';
  const env = [...envRead].sort();
  writeMemo(memoFile(folder, call.kind, call.dir), { build: BUILD, kind: call.kind, env, said, answer }, inputs({ build: BUILD, kind: call.kind, dir: call.dir, env, version: versionOf() }, files), rec.read);
  return 'remembered';
}

const versionOf = (): string | undefined => parseUserAgent(userAgent)?.raw;

/** The project directory as the engine's updateConfig takes it. */
const configDir = (config: Config): string =>
  typeof config.lockfileDir === 'string' ? config.lockfileDir : typeof config.dir === 'string' ? config.dir : process.cwd();

/** `pnpm approve-builds` depends on node_modules/.modules.yaml, which is not in the key: always judged. */
function approvingBuilds(config: Config): boolean {
  const extra = config.extraEnv as { npm_command?: unknown } | undefined;
  if (extra?.npm_command === 'approve-builds') return true;
  const cmdline = pnpmCommandLine().toString('latin1');
  return cmdline.includes('approve-builds') || process.argv.includes('approve-builds');
}

/** What updateConfig remembers: the fields it set (JSON) and removed, and whether it appended the later-hooks check. */
interface ConfigAnswer {
  readonly set: Record<string, string>;
  readonly unset: string[];
  readonly checkLast: boolean;
  readonly file: string | null;
}

function isConfigAnswer(a: unknown): a is ConfigAnswer {
  if (typeof a !== 'object' || a === null) return false;
  const x = a as Partial<ConfigAnswer>;
  return typeof x.set === 'object' && x.set !== null && Object.values(x.set).every((v) => typeof v === 'string') && Array.isArray(x.unset) && x.unset.every((k) => typeof k === 'string') && typeof x.checkLast === 'boolean' && (x.file === null || typeof x.file === 'string');
}

const chainLength = (config: Config): number | undefined => {
  const chain = (config.hooks as { updateConfig?: unknown } | undefined)?.updateConfig;
  return Array.isArray(chain) ? chain.length : undefined;
};

/** The same check the engine appends (later-hooks.ts): a pnpmfile after Lifeguard's must not change the gate. */
function checkLast(config: Config, file: string | null): void {
  const set = gateSnapshot(config);
  runLast(config, (final) => {
    const changed = changedSettings(set, gateSnapshot(final));
    if (changed.length > 0) throw failure(laterHookMessage(changed, laterPnpmfiles(config, __filename), file ?? undefined));
    return final;
  });
}

function applyAnswer(config: Config, a: ConfigAnswer): void {
  for (const k of a.unset) delete config[k];
  for (const [k, v] of Object.entries(a.set)) config[k] = JSON.parse(v) as unknown;
  if (a.checkLast) checkLast(config, a.file);
}

function updateConfig(config: Config): Config {
  const t = performance.now();
  userAgent = config.userAgent;
  const call: Call = { kind: 'updateConfig', dir: configDir(config), given: config };
  projectDir = call.dir;
  let why = engine ? 'engine loaded' : 'approve-builds';
  if (!engine && !approvingBuilds(config)) {
    const memo = recall(call);
    if (typeof memo === 'string') why = memo;
    else if (!isConfigAnswer(memo.header.answer)) why = 'not an answer';
    else {
      // Parse every value before touching config: a bad entry is a miss, never half an answer.
      try {
        const a = memo.header.answer;
        for (const v of Object.values(a.set)) JSON.parse(v);
        applyAnswer(config, a);
        sayAgain(memo.header.said);
        replay.push((e) => e.internal.prime(call.dir, config.userAgent, config.registries));
        trace('updateConfig', 'remembered', t);
        return config;
      } catch {
        why = 'not an answer';
      }
    }
  }
  const e = loadEngine(call.dir);
  const rec = recorder(config);
  const before = chainLength(config);
  const unclean = e.internal.uncleanChecks();
  const taintedBefore = tainted;
  const { value, said } = watched(() => e.hooks.updateConfig(rec.proxy));
  rec.stop();
  saveCodeCache?.();
  if (value !== rec.proxy) return value;
  const after = chainLength(config);
  const appended = before !== undefined && after === before + 1;
  let answer: ConfigAnswer | undefined;
  if (approvingBuilds(config) || (after !== before && !appended) || Object.keys(rec.read).some((k) => k !== 'hooks' && !rec.written.has(k) && fieldValue(config, k) !== rec.read[k])) {
    answer = undefined; // changed pnpm's config in a way a remembered answer does not carry
  } else {
    const set: Record<string, string> = {};
    const unset: string[] = [];
    let plain = true;
    for (const k of rec.written) {
      if (!(k in config)) unset.push(k);
      else {
        const json = JSON.stringify(config[k]);
        if (json === undefined || fieldValue(config, k) !== json) plain = false;
        else set[k] = json;
      }
    }
    const policyFile = e.internal.policyFile(call.dir);
    if (plain) answer = { set, unset, checkLast: appended, file: policyFile ?? null };
  }
  trace('updateConfig', 'judged', t, { why, memo: remember(call, rec, answer, unclean, taintedBefore, said) });
  return config;
}

interface Manifest {
  name?: string;
  dist?: unknown;
  dependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

let projectDir: string | undefined;
let rootName: string | null | undefined;

/** The project as the engine finds it: updateConfig's directory in this process, else the nearest root. */
const projectRoot = (): string => (projectDir ??= findRoot(process.cwd()));

/** The root package.json's name, or null (the engine takes that name for the project's own manifest). */
function rootManifestName(): string | null {
  if (rootName === undefined) {
    try {
      const name = (JSON.parse(readRegularFile(join(projectRoot(), 'package.json'), POLICY_MAX_BYTES).toString('utf8')) as { name?: unknown }).name;
      rootName = typeof name === 'string' ? name : null;
    } catch {
      rootName = null;
    }
  }
  return rootName;
}

/** The root project's manifest with no link:/file: folder to judge: the engine would only record it. */
function onlyRecorded(pkg: Manifest): boolean {
  if (pkg.dist !== undefined || (pkg.name !== undefined && pkg.name !== rootManifestName())) return false;
  for (const deps of [pkg.dependencies, pkg.optionalDependencies, pkg.devDependencies]) {
    if (deps === undefined) continue;
    if (typeof deps !== 'object' || deps === null) return false;
    for (const spec of Object.values(deps)) if (typeof spec !== 'string' || /^\s*(link|file|portal):|^\s*[./~]/.test(spec)) return false;
  }
  return true;
}

function readPackage(pkg: Manifest): Manifest {
  if (!engine && onlyRecorded(pkg)) {
    replay.push((e) => e.hooks.readPackage(pkg as never));
    return pkg;
  }
  const e = loadEngine(projectRoot());
  return watched(() => e.hooks.readPackage(pkg as never)).value as Manifest;
}

interface PreResolutionContext {
  lockfileDir?: string;
}

function preResolution(ctx: PreResolutionContext): void {
  const t = performance.now();
  const dir = typeof ctx.lockfileDir === 'string' ? ctx.lockfileDir : projectRoot();
  const call: Call = { kind: 'preResolution', dir, given: ctx };
  const version = parseUserAgent(userAgent);
  const memo = engine ? 'engine loaded' : recall(call);
  const why = typeof memo === 'string' ? memo : memo.header.answer === 'clean' ? undefined : 'not an answer';
  if (typeof memo !== 'string' && why === undefined) {
    sayAgain(memo.header.said);
    replay.push((e) => e.hooks.preResolution(ctx as never));
    // pnpm 10/11 (hooks in process): the end-of-install summary of skipped builds, which needs the engine only if pnpm skipped any.
    if (version && version.major < 12) {
      process.once('exit', (code) => {
        if (engine || code !== 0 || (ignoredBuilds(dir) ?? []).length === 0) return;
        loadEngine(dir).internal.exitSummary(code);
      });
    }
    trace('preResolution', 'remembered', t);
    return;
  }
  const e = loadEngine(dir);
  const rec = recorder(ctx);
  const unclean = e.internal.uncleanChecks();
  const taintedBefore = tainted;
  const { said } = watched(() => e.hooks.preResolution(rec.proxy as never));
  rec.stop();
  saveCodeCache?.();
  trace('preResolution', 'judged', t, { why, memo: remember(call, rec, 'clean', unclean, taintedBefore, said) });
}

function afterAllResolved<T>(lockfile: T): T {
  // pnpm 10/11: only a refusal of the engine's readPackage is said again here, and then the engine is loaded.
  const version = parseUserAgent(userAgent);
  if (!engine && version && version.major < 12) return lockfile;
  const e = loadEngine(projectRoot());
  return watched(() => e.hooks.afterAllResolved(lockfile)).value;
}

export const hooks = { updateConfig, readPackage, preResolution, afterAllResolved };
