/**
 * yarn-plugin-lifeguard: Lifeguard inside Yarn Berry 4 (both linkers). This is the entry Yarn
 * loads on every command; it stays small, and compiles the engine (engine.ts: core, the loader,
 * every judgment) only when it cannot answer from a remembered clean install (remember.ts).
 * - refusals that need no archive (deny, advisories, typosquats, sources, lockfile identity) happen
 *   when resolution has ended, before the fetch step fetches anything (Project.prototype.fetchEverything);
 *   those that need the archive (its scripts, its manifest) in the fetch step (MultiFetcher.prototype.fetch),
 *   before the lockfile is written and before anything is linked, `--immutable` installs included;
 * - the script gate is Project.prototype.getDependencyMeta (`built: false` for unapproved packages);
 * - the policy is loaded and validated in `validateProject` (fail closed) and sets the age gate.
 * See PLATFORM.md (Yarn section) for why these are the hooks.
 */
import { makeCommands } from './command-shells';
import { guardMethod, tamperMessage } from './guard';
import { checkInternals } from './internals';
import { applyReleaseAge } from './release-age';
import { builtMeta, graphKey, metaKey, readRemembered, startKey, type Remembered } from './remember';
import { hasShared, initShared, shared } from './shared';
import type { FetchEverythingOptions, FetchOptions, Ident, Locator, Project, Report, YarnCore, YarnRequire } from './yarn';

declare const require: YarnRequire;
/** The engine's source, one function expression `(function (require, module, exports) {…})` (build.mjs). */
declare const LIFEGUARD_ENGINE: string;

type Engine = typeof import('./engine');
const ENGINE = Symbol.for('lifeguard.yarn-plugin.engine');

/** The engine, compiled on first use (once per process). */
function engine(): Engine {
  const g = globalThis as Record<symbol, Engine | undefined>;
  const loaded = g[ENGINE];
  if (loaded) return loaded;
  const vm = require('vm') as typeof import('node:vm');
  const module = { exports: {} as Engine };
  const run = new vm.Script(LIFEGUARD_ENGINE, { filename: 'yarn-plugin-lifeguard-engine.cjs' }).runInThisContext() as (r: YarnRequire, m: { exports: Engine }, e: Engine) => void;
  run(require, module, module.exports);
  return (g[ENGINE] = module.exports);
}

/** A project whose start key matched a remembered clean install; `hit` once its resolution matched too. */
interface Lite {
  readonly remembered: Remembered;
  hit: boolean;
}
const lites = new WeakMap<Project, Lite>();

/** The remembered answers apply: the install's inputs and resolution are those of a clean install. */
const hit = (project: Project | undefined): Lite | undefined => {
  const lite = project ? lites.get(project) : undefined;
  return lite?.hit ? lite : undefined;
};

const fail = (core: YarnCore, message: string): Error => new core.ReportError(core.MessageName.UNNAMED ?? 0, message);

/**
 * Lifeguard's three methods, installed as guarded accessors (guard.ts) when the plugin loads, so
 * a plugin loaded later cannot replace them.
 */
function install(core: YarnCore): void {
  const project = core.Project.prototype;
  const fetchAll = project.fetchEverything;
  guardMethod(project, 'fetchEverything', 'Project.prototype.fetchEverything', async function lifeguardFetchEverything(this: Project, opts: FetchEverythingOptions) {
    const tampered = tamperMessage(this);
    if (tampered) throw fail(core, tampered);
    const lite = lites.get(this);
    if (lite && graphKey(core.structUtils, this) === lite.remembered.graph) {
      lite.hit = true;
      return fetchAll.call(this, opts);
    }
    lites.delete(this);
    return engine().fetchEverything(core, this, opts, fetchAll);
  });
  const fetcher = core.MultiFetcher.prototype;
  const fetchOne = fetcher.fetch;
  guardMethod(fetcher, 'fetch', 'MultiFetcher.prototype.fetch', async function lifeguardFetch(this: unknown, locator: Locator, opts: FetchOptions) {
    const tampered = tamperMessage(opts.project);
    if (tampered) throw fail(core, tampered);
    if (hit(opts.project)) return fetchOne.call(this, locator, opts);
    return engine().fetch(core, this, locator, opts, fetchOne);
  });
  const getMeta = project.getDependencyMeta;
  guardMethod(project, 'getDependencyMeta', 'Project.prototype.getDependencyMeta', function lifeguardDependencyMeta(this: Project, ident: Ident, version: string | null) {
    const tampered = tamperMessage(this);
    if (tampered) throw fail(core, tampered);
    const meta = getMeta.call(this, ident, version);
    const lite = hit(this);
    if (lite) {
      if (this.tryWorkspaceByIdent(ident)) return meta;
      const reference = typeof (ident as Partial<Locator>).reference === 'string' ? (ident as Locator).reference : undefined;
      const built = lite.remembered.built[metaKey(core.structUtils.stringifyIdent(ident), version, reference)];
      if (built !== undefined) return builtMeta(meta, built);
    }
    return engine().dependencyMeta(core, this, ident, version, meta);
  });
}

function init(): void {
  if (hasShared()) return;
  const core = require('@yarnpkg/core') as YarnCore;
  const broken = checkInternals(core);
  initShared({ core, broken, states: new WeakMap(), tamperMessage });
  if (!broken) install(core);
}

init();

type ValidationReport = { reportWarning(n: number, t: string): void; reportError(n: number, t: string): void };

const plugin = {
  hooks: {
    validateProject: async (project: Project, report: ValidationReport) => {
      const { core, broken } = shared();
      const tampered = tamperMessage(project);
      if (tampered) {
        report.reportError(core.MessageName.UNNAMED ?? 0, tampered);
        return;
      }
      const remembered = broken ? undefined : readRemembered(project);
      if (remembered && remembered.start === startKey(project, core.YarnVersion)) {
        lites.set(project, { remembered, hit: false });
        if (remembered.releaseAge) applyReleaseAge(project, 'lifeguard.json', remembered.releaseAge);
        return;
      }
      lites.delete(project);
      engine().validateProject(project, report);
    },
    // The last check before a build script runs: a plugin that re-patched Lifeguard's methods in a
    // hook that ran after validateProject is caught here, and the script does not run.
    wrapScriptExecution: async (executor: () => Promise<number>, project: Project) => {
      const tampered = tamperMessage(project);
      if (!tampered) return executor;
      const { core } = shared();
      return async () => {
        throw fail(core, tampered);
      };
    },
    afterAllInstalled: async (project: Project, options: { report: Report }) => {
      const lite = hit(project);
      if (lite) {
        const { core } = shared();
        for (const line of lite.remembered.summary) options.report.reportInfo(core.MessageName.UNNAMED ?? 0, line);
        return;
      }
      // Without the engine loaded, nothing of this install was judged by it: nothing to say or save.
      if ((globalThis as Record<symbol, unknown>)[ENGINE] !== undefined) await engine().afterAllInstalled(project, options.report);
    },
  },
  commands: makeCommands(require, engine),
};

export default plugin;
