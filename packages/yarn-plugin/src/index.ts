/**
 * yarn-plugin-lifeguard: Lifeguard inside Yarn Berry 4 (both linkers).
 * - refusals happen in the fetch step (MultiFetcher.prototype.fetch), before the lockfile is
 *   written and before anything is linked, `--immutable` installs included;
 * - the script gate is Project.prototype.getDependencyMeta (`built: false` for unapproved packages);
 * - the policy is loaded and validated in `validateProject` (fail closed) and sets the age gate.
 * See PLATFORM.md (Yarn section) for why these are the hooks.
 */
import { makeCommands } from './commands';
import { afterAllInstalled, patchDependencyMeta, patchFetcher, TESTED_YARN, validateProject } from './plugin';
import type { Project, Report, YarnCore, YarnRequire } from './yarn';

declare const require: YarnRequire;

const KEY = Symbol.for('lifeguard.yarn-plugin');

/** Why this Yarn cannot be enforced on, or null: the plugin fails installs rather than enforce nothing. */
function checkInternals(core: YarnCore): string | null {
  const problems: string[] = [];
  const version = core.YarnVersion;
  if (typeof version !== 'string' || !version.startsWith('4.')) problems.push(`Yarn ${String(version)} is not Yarn 4`);
  if (typeof core.MultiFetcher?.prototype?.fetch !== 'function' || core.MultiFetcher.prototype.fetch.length !== 2) {
    problems.push('MultiFetcher.prototype.fetch(locator, opts) is missing');
  }
  const meta = core.Project?.prototype?.getDependencyMeta as unknown;
  if (typeof meta !== 'function' || (meta as (...a: unknown[]) => unknown).length !== 2) problems.push('Project.prototype.getDependencyMeta(ident, version) is missing');
  if (typeof core.ReportError !== 'function' || typeof core.structUtils?.stringifyIdent !== 'function') problems.push('ReportError/structUtils are missing');
  if (problems.length === 0) return null;
  return `Lifeguard cannot enforce its policy on this Yarn (${problems.join('; ')}). It was built for Yarn ${TESTED_YARN}: pin \`yarnPath\` to Yarn ${TESTED_YARN}, or remove the plugin knowingly (\`yarn plugin remove @yarnpkg/plugin-lifeguard\`).`;
}

function init(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[KEY]) return;
  const core = require('@yarnpkg/core') as YarnCore;
  const broken = checkInternals(core);
  g[KEY] = { core, broken, states: new WeakMap() };
  if (broken) return;
  patchFetcher(core);
  patchDependencyMeta(core);
}

init();

const plugin = {
  hooks: {
    validateProject: async (project: Project, report: { reportWarning(n: number, t: string): void; reportError(n: number, t: string): void }) => {
      validateProject(project, report);
    },
    afterAllInstalled: async (project: Project, options: { report: Report }) => {
      await afterAllInstalled(project, options.report);
    },
  },
  commands: makeCommands(require),
};

export default plugin;
