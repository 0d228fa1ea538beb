import { TESTED_YARN } from './version';
import type { YarnCore } from './yarn';

/** Why this Yarn cannot be enforced on, or null: the plugin fails installs rather than enforce nothing. */
export function checkInternals(core: YarnCore): string | null {
  const problems: string[] = [];
  const version = core.YarnVersion;
  if (typeof version !== 'string' || !version.startsWith('4.')) problems.push(`Yarn ${String(version)} is not Yarn 4`);
  if (typeof core.MultiFetcher?.prototype?.fetch !== 'function' || core.MultiFetcher.prototype.fetch.length !== 2) {
    problems.push('MultiFetcher.prototype.fetch(locator, opts) is missing');
  }
  const meta = core.Project?.prototype?.getDependencyMeta as unknown;
  if (typeof meta !== 'function' || (meta as (...a: unknown[]) => unknown).length !== 2) problems.push('Project.prototype.getDependencyMeta(ident, version) is missing');
  const fetchAll = core.Project?.prototype?.fetchEverything as unknown;
  if (typeof fetchAll !== 'function' || (fetchAll as (...a: unknown[]) => unknown).length !== 1) problems.push('Project.prototype.fetchEverything(options) is missing');
  if (typeof core.ReportError !== 'function' || typeof core.structUtils?.stringifyIdent !== 'function') problems.push('ReportError/structUtils are missing');
  if (problems.length === 0) return null;
  return `Lifeguard cannot enforce its policy on this Yarn (${problems.join('; ')}). It was built for Yarn ${TESTED_YARN}: pin \`yarnPath\` to Yarn ${TESTED_YARN}, or remove the plugin knowingly (\`yarn plugin remove @yarnpkg/plugin-lifeguard\`).`;
}

