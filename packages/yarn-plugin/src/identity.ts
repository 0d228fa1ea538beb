import { evaluate, refusalLines, warningLine, type LockfileEntry, type PackageFacts } from '@lifeguard/core';
import type { Configuration, FetchOptions, Locator, Project, YarnCore } from './yarn';
import { stateFor } from './plugin';
import { registries } from './registries';

/** The ranges of the descriptors that resolved to each locator, computed once per project. */
const rangesByLocator = new WeakMap<Project, Map<string, string[]>>();
function rangesOf(project: Project, locatorHash: string): readonly string[] {
  let map = rangesByLocator.get(project);
  if (!map) {
    map = new Map();
    for (const [descriptorHash, target] of project.storedResolutions) {
      const range = project.storedDescriptors?.get(descriptorHash)?.range;
      if (typeof range === 'string') map.set(target, [...(map.get(target) ?? []), range]);
    }
    rangesByLocator.set(project, map);
  }
  return map.get(locatorHash) ?? [];
}

/**
 * An http(s) locator that only `npm:` descriptors resolved to (yarn.lock edited so that
 * `innocent@npm:1.0.0` resolves to another package's tarball URL): a registry package, whose URL
 * must be a registry's. Yarn fetches it on `--immutable` installs.
 */
export function urlForRange(core: YarnCore, locator: Locator, version: string | null | undefined, ranges: readonly string[], configuration: Configuration): PackageFacts | undefined {
  if (!/^https?:/.test(locator.reference) || ranges.length === 0 || !ranges.every((r) => r.startsWith('npm:'))) return undefined;
  const name = core.structUtils.stringifyIdent(locator);
  return {
    name,
    version: version ?? '0.0.0',
    source: 'registry',
    lockfile: { key: `${name}@${locator.reference}`, tarball: locator.reference, registries: registries(configuration) },
  };
}

/**
 * An `npm:` locator as the lockfile gave it: Yarn fetches the version in the reference (and the
 * `__archiveUrl` when there is one), while the package's `version` is read back from the
 * `version:` field, which is what every other check sees. Undefined when the two cannot differ.
 */
export function lockedIdentity(core: YarnCore, locator: Locator, version: string | null | undefined, configuration: Configuration): PackageFacts | undefined {
  if (!locator.reference.startsWith('npm:')) return undefined;
  const [refVersion = '', params] = locator.reference.slice(4).split('::');
  const archive = params === undefined ? null : new URLSearchParams(params).get('__archiveUrl');
  if (archive === null && (version === null || version === undefined || version === refVersion)) return undefined;
  const lockfile: LockfileEntry = {
    key: `${core.structUtils.stringifyIdent(locator)}@${locator.reference}`,
    ...(typeof version === 'string' ? { version } : {}),
    ...(archive !== null ? { tarball: archive } : {}),
    registries: registries(configuration),
  };
  return { name: core.structUtils.stringifyIdent(locator), version: refVersion, source: 'registry', lockfile };
}

/**
 * Before each fetch (`--immutable` installs included): a yarn.lock entry whose `version:` field or
 * `__archiveUrl` disagrees with its locator, or an `npm:` range resolved to a URL that is not the
 * registry's tarball of that release, is refused: every other check would judge another package
 * than the one Yarn downloads.
 */
export function identityGate(core: YarnCore, locator: Locator, opts: FetchOptions): void {
  const project = opts.project;
  if (!project || core.structUtils.isVirtualLocator(locator)) return;
  const pkg = project.storedPackages.get(locator.locatorHash) ?? project.originalPackages.get(locator.locatorHash);
  const facts =
    lockedIdentity(core, locator, pkg?.version, project.configuration) ??
    urlForRange(core, locator, pkg?.version, /^https?:/.test(locator.reference) ? rangesOf(project, locator.locatorHash) : [], project.configuration);
  if (!facts) return;
  const st = stateFor(project);
  const verdict = evaluate(st.policy, facts);
  const UNNAMED = core.MessageName.UNNAMED ?? 0;
  for (const f of verdict.findings) {
    if (f.action !== 'warn') continue;
    st.warned = true;
    opts.report.reportWarningOnce(UNNAMED, warningLine(f), { key: `lifeguard:${f.code}:${f.package}@${f.version}` });
  }
  if (verdict.decision === 'refuse' && !st.collect) throw new core.ReportError(UNNAMED, refusalLines(verdict.findings.filter((f) => f.action === 'refuse'), st.file, 'in yarn.lock').join('\n'));
}
