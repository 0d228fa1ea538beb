/**
 * yarn-plugin-lifeguard: Lifeguard inside Yarn Berry 4 (both linkers).
 * - refusals that need no archive (deny, advisories, typosquats, sources, lockfile identity) happen
 *   when resolution has ended, before the fetch step fetches anything (Project.prototype.fetchEverything);
 *   those that need the archive (its scripts, its manifest) in the fetch step (MultiFetcher.prototype.fetch),
 *   before the lockfile is written and before anything is linked, `--immutable` installs included;
 * - the script gate is Project.prototype.getDependencyMeta (`built: false` for unapproved packages);
 * - the policy is loaded and validated in `validateProject` (fail closed) and sets the age gate.
 * See PLATFORM.md (Yarn section) for why these are the hooks.
 */
import { makeCommands } from './commands';
import { checkInternals } from './internals';
import { tamperMessage } from './guard';
import { afterAllInstalled, patchDependencyMeta, patchFetchEverything, patchFetcher, shared, validateProject } from './plugin';
import type { Project, Report, YarnCore, YarnRequire } from './yarn';

declare const require: YarnRequire;

const KEY = Symbol.for('lifeguard.yarn-plugin');

function init(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[KEY]) return;
  const core = require('@yarnpkg/core') as YarnCore;
  const broken = checkInternals(core);
  g[KEY] = { core, broken, states: new WeakMap() };
  if (broken) return;
  patchFetchEverything(core);
  patchFetcher(core);
  patchDependencyMeta(core);
}

init();

const plugin = {
  hooks: {
    validateProject: async (project: Project, report: { reportWarning(n: number, t: string): void; reportError(n: number, t: string): void }) => {
      validateProject(project, report);
    },
    // The last check before a build script runs: a plugin that re-patched Lifeguard's methods in a
    // hook that ran after validateProject is caught here, and the script does not run.
    wrapScriptExecution: async (executor: () => Promise<number>, project: Project) => {
      const tampered = tamperMessage(project);
      if (!tampered) return executor;
      const { core } = shared();
      return async () => {
        throw new core.ReportError(core.MessageName.UNNAMED ?? 0, tampered);
      };
    },
    afterAllInstalled: async (project: Project, options: { report: Report }) => {
      await afterAllInstalled(project, options.report);
    },
  },
  commands: makeCommands(require),
};

export default plugin;
