import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvesOrigin, classifyYarnReference, evaluate, manifestApprovals, PolicyError, refusalLines, scriptApproval, skippedBuild, skippedLines, uncarriedApprovals, warningLine, type BuildOrigin, type Finding, type Policy, type SkippedBuild, type Verdict } from '@lifeguard/core';
import { loadPolicy } from '@lifeguard/loader';
import { FactsCache, type ArchiveFacts } from './cache';
import { derive, isLocal, projectChosen, readArchive, requiredBy, resolvedFacts } from './facts';
import { builtMeta, graphKey, metaKey, projectFile, startKey, writeRemembered } from './remember';
import { shared } from './shared';
import type { FetchEverythingOptions, FetchMethod, FetchOptions, FetchResult, Ident, DependencyMeta, Locator, Package, Project, Report, YarnCore } from './yarn';
import { identityGate } from './identity';
import { policyDir } from './policy-dir';
import { TESTED_YARN } from './version';
import { applyReleaseAge, type ReleaseAge } from './release-age';

declare const LIFEGUARD_BUILD_ID: string | undefined;
/** Hash of the bundle (set by build.mjs): core's typosquat list and built-in advisories are in it. */
const BUILD_ID = typeof LIFEGUARD_BUILD_ID === 'string' ? LIFEGUARD_BUILD_ID : 'dev';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The file's bytes (base64), or null when it cannot be read. */
export interface Entry {
  readonly locator: Locator;
  readonly pretty: string;
  readonly verdict: Verdict;
  readonly extra: readonly Finding[];
}

export interface ProjectState {
  readonly policy: Policy;
  readonly file: string | undefined;
  readonly cache: FactsCache;
  /** Hash of plugin build + policy bytes. */
  readonly policyKey: string;
  /** Verdict per locator hash for this install (the link step fetches again). */
  readonly entries: Map<string, Promise<Entry | null>>;
  /** Cache keys seen by this install: the only ones kept when the cache is saved. */
  readonly used: Set<string>;
  /** Locators that passed the gates needing no archive, before the fetch step (see patchFetchEverything). */
  readonly judged: Set<string>;
  /** `yarn lifeguard check`: record refusals instead of throwing. */
  collect: boolean;
  reportedDefault: boolean;
  /** Lifeguard reported a warning in this install: it is not remembered as clean. */
  warned: boolean;
  /** getDependencyMeta's answers in this install (see remember.ts). */
  readonly built: Map<string, boolean>;
  /** startKey of the policy bytes judged (undefined: they changed while loading, or cannot be keyed). */
  readonly startKey: string | undefined;
}

/** Loads (once per Project object) and validates the policy; a PolicyError becomes a ReportError. */
export function stateFor(project: Project): ProjectState {
  const sh = shared();
  if (sh.broken) throw new sh.core.ReportError(sh.core.MessageName.UNNAMED ?? 0, sh.broken);
  let st = sh.states.get(project) as ProjectState | undefined;
  if (st) return st;
  const before = startKey(project, sh.core.YarnVersion);
  let loaded;
  try {
    loaded = loadPolicy(policyDir(project), process.env);
  } catch (e) {
    const msg = e instanceof PolicyError ? e.message : `Lifeguard: cannot load the policy: ${(e as Error).message}`;
    throw new sh.core.ReportError(sh.core.MessageName.UNNAMED ?? 0, msg);
  }
  st = {
    policy: loaded.policy,
    file: loaded.file,
    cache: new FactsCache(projectFile(project, 'verdicts')),
    policyKey: sha(`${BUILD_ID}\0${loaded.fingerprint}`),
    entries: new Map(),
    used: new Set(),
    judged: new Set(),
    collect: false,
    reportedDefault: false,
    warned: false,
    built: new Map(),
    startKey: before !== undefined && before === startKey(project, sh.core.YarnVersion) ? before : undefined,
  };
  sh.states.set(project, st);
  return st;
}

/**
 * A verdict is reused only under the same plugin build and policy bytes, the same archive
 * (locator + checksum), the same resolved version and dependencies, and the same advisory
 * matches (the feed index is consulted every time: it is cheap, and feeds change).
 */
function verdictKeyOf(core: YarnCore, st: ProjectState, archiveKey: string, pkg: Package): string | undefined {
  if (!pkg.version) return undefined;
  const deps = [...pkg.dependencies.values()].map((d) => [d.scope, d.name, d.range]);
  const advisories = st.policy.advisories.index.match(core.structUtils.stringifyIdent(pkg), pkg.version);
  // JSON: no crafted range can make two dependency lists read the same.
  return sha(JSON.stringify([st.policyKey, archiveKey, pkg.version, deps, advisories]));
}

/**
 * The verdict on one package from its archive's facts (read now, or cached under the archive's
 * checksum), kept in the verdict cache under `verdictKey`. A refusal names what pulled the package in.
 */
function judge(
  core: YarnCore, project: Project, st: ProjectState, locator: Locator, pkg: Package | undefined,
  archive: ArchiveFacts, archiveVersion: string | undefined, key: string | undefined, verdictKey: string | undefined,
): { verdict: Verdict; extra: readonly Finding[] } {
  const { structUtils } = core;
  const view = {
    original: project.originalPackages.get(locator.locatorHash),
    fetched: !project.disabledLocators.has(locator.locatorHash),
    local: isLocal(structUtils, project, locator),
    chosen: projectChosen(structUtils, project, locator),
  };
  const { facts, extra } = derive(structUtils, locator, pkg, archive, archiveVersion, st.policy.mode, view);
  let verdict = evaluate(st.policy, facts);
  if (key && pkg?.version) st.cache.set(key, { ...archive, ...(verdictKey ? { verdict: { key: verdictKey, verdict, extra } } : {}) });
  if (verdict.decision === 'refuse') {
    // Only now pay for the reverse walk: the refusal message names what pulled the package in.
    const chain = requiredBy(project, structUtils, locator);
    if (chain.length > 0) verdict = evaluate(st.policy, { ...facts, requiredBy: chain });
  }
  return { verdict, extra };
}

async function inspect(core: YarnCore, locator: Locator, opts: FetchOptions, result: FetchResult): Promise<Entry | null> {
  const { structUtils } = core;
  if (structUtils.isVirtualLocator(locator) || locator.reference.startsWith('workspace:')) return null;
  const project = opts.project;
  if (project.tryWorkspaceByLocator(locator)) return null;
  const st = stateFor(project);
  const pkg = project.storedPackages.get(locator.locatorHash) ?? project.originalPackages.get(locator.locatorHash);
  const key = result.checksum ? `${locator.locatorHash}:${result.checksum}` : undefined;
  const cached = key ? st.cache.get(key) : undefined;
  if (key) st.used.add(key);
  const entry = (verdict: Verdict, extra: readonly Finding[]): Entry => ({
    locator,
    get pretty() {
      return structUtils.prettyLocator(project.configuration, locator);
    },
    verdict,
    extra,
  });
  const verdictKey = key && pkg ? verdictKeyOf(core, st, key, pkg) : undefined;
  // The fast path of a no-op install: no zip opened, no policy evaluation.
  if (verdictKey && cached?.verdict?.key === verdictKey && cached.verdict.verdict.decision !== 'refuse') return entry(cached.verdict.verdict, cached.verdict.extra);
  let archive: ArchiveFacts;
  let archiveVersion: string | undefined;
  if (cached) archive = { scripts: cached.scripts, hasBindingGyp: cached.hasBindingGyp, dependencies: cached.dependencies };
  else {
    const read = await readArchive(result);
    archive = read.facts;
    archiveVersion = read.version;
  }
  const { verdict, extra } = judge(core, project, st, locator, pkg, archive, archiveVersion, key, verdictKey);
  return entry(verdict, extra);
}

/** The ReportError message of a refusal: Yarn prints it after the locator. */
const refusalMessage = (findings: readonly Finding[], file: string | undefined): string =>
  refusalLines(findings.filter((f) => f.action === 'refuse'), file, 'while fetching').join('\n');

/**
 * Git and `exec:` packages run code while Yarn *fetches* them (a git clone is packed with the
 * project's own package manager: install, prepare, prepack; `exec:` runs a generator script),
 * in the resolution step already, before any verdict on the archive is possible. So they are
 * judged before the fetch, on their name: only a `scripts.allow` entry naming that source lets Yarn fetch.
 */
const originOf = (reference: string | undefined): BuildOrigin => (reference === undefined ? {} : { source: classifyYarnReference(reference), resolved: reference });

/**
 * For packages whose version is not known yet (git, exec:, a fetch from disk): does any entry
 * approve this name built from `reference`? (A release approval never covers a git/exec/patch build.)
 */
function nameApproved(policy: Policy, name: string, reference: string | undefined): boolean {
  const { scripts } = policy;
  if (scripts.deny.forName(name).some((s) => s.range === undefined)) return false;
  const origin = originOf(reference);
  return scripts.unapproved === 'run' || scripts.allow.forName(name).some((s) => approvesOrigin(s, origin));
}

function preFetchGate(core: YarnCore, locator: Locator, opts: FetchOptions): void {
  const { structUtils } = core;
  if (structUtils.isVirtualLocator(locator)) return;
  const ref = locator.reference;
  if (ref.startsWith('npm:')) return; // a registry release (the common case, kept cheap)
  const kind = ref.startsWith('exec:') ? 'exec' : classifyYarnReference(ref) === 'git' ? 'git' : null;
  if (!kind || !opts.project) return;
  const st = stateFor(opts.project);
  const name = structUtils.stringifyIdent(locator);
  if (nameApproved(st.policy, name, ref)) return;
  const denied = st.policy.scripts.deny.forName(name).some((s) => s.range === undefined);
  const what = kind === 'git' ? 'a git repository' : 'an exec: generator';
  const message =
    `${name} comes from ${what} (${ref}): Yarn runs its scripts (install, prepare, prepack) while fetching it, ` +
    'before Lifeguard can strip anything.';
  const fix = denied
    ? `remove the "${name}" entry from "scripts.deny" in lifeguard.json`
    : `add ${JSON.stringify({ package: name, source: ref })} to "scripts.allow" in lifeguard.json (or depend on a registry release)`;
  const warn = st.policy.mode === 'warn';
  const finding: Finding = {
    code: 'LIFEGUARD_SCRIPTS', action: warn ? 'warn' : 'refuse', severity: 'high', package: name, version: ref,
    rule: denied ? 'scripts.deny' : 'scripts.unapproved', message, fix,
  };
  if (warn) {
    opts.report.reportWarningOnce(core.MessageName.UNNAMED ?? 0, warningLine(finding), { key: `lifeguard:prefetch:${name}` });
    return;
  }
  throw new core.ReportError(core.MessageName.UNNAMED ?? 0, refusalMessage([finding], st.file));
}

/**
 * Refusals that need only what resolution knows (packages.deny, advisories, typosquats, the
 * sources of the package and of its resolved dependencies) are made before the fetch, so the
 * archive of a refused release is not even downloaded into the cache. Undefined when there is
 * nothing to refuse, or when this exact archive was judged clean before under the same policy,
 * feeds and dependencies (its verdict key matches): a no-op install evaluates nothing here.
 */
function resolvedRefusal(core: YarnCore, project: Project, st: ProjectState, locator: Locator, checksum: string | undefined): string | undefined {
  const { structUtils } = core;
  if (st.collect || st.policy.mode === 'warn') return undefined;
  if (structUtils.isVirtualLocator(locator) || locator.reference.startsWith('workspace:') || project.tryWorkspaceByLocator(locator)) return undefined;
  const pkg = project.storedPackages.get(locator.locatorHash) ?? project.originalPackages.get(locator.locatorHash);
  if (!pkg?.version) return undefined;
  const key = checksum ? `${locator.locatorHash}:${checksum}` : undefined;
  const cached = key ? st.cache.get(key) : undefined;
  if (key && cached) {
    const verdictKey = verdictKeyOf(core, st, key, pkg);
    if (cached.verdict && cached.verdict.verdict.decision !== 'refuse' && cached.verdict.key === verdictKey) return undefined;
    // The archive was read before (same checksum): judge it in full now, once; the fetch step reuses this verdict.
    const archive = { scripts: cached.scripts, hasBindingGyp: cached.hasBindingGyp, dependencies: cached.dependencies };
    const { verdict } = judge(core, project, st, locator, pkg, archive, undefined, key, verdictKey);
    return verdict.decision === 'refuse' ? refusalMessage(verdict.findings, st.file) : undefined;
  }
  const view = { local: isLocal(structUtils, project, locator), chosen: projectChosen(structUtils, project, locator) };
  const facts = resolvedFacts(structUtils, locator, pkg, view);
  if (evaluate(st.policy, facts).decision !== 'refuse') return undefined;
  const chain = requiredBy(project, structUtils, locator);
  const verdict = evaluate(st.policy, chain.length > 0 ? { ...facts, requiredBy: chain } : facts);
  return refusalMessage(verdict.findings, st.file);
}

/** Every gate that needs no archive, for one locator: throws the refusal (a ReportError). */
function gateResolved(core: YarnCore, locator: Locator, opts: FetchOptions): void {
  identityGate(core, locator, opts);
  preFetchGate(core, locator, opts);
  const st = stateFor(opts.project);
  const checksums = opts.checksums;
  const message = resolvedRefusal(core, opts.project, st, locator, checksums instanceof Map ? (checksums.get(locator.locatorHash) as string | undefined) : undefined);
  if (message) throw new core.ReportError(core.MessageName.UNNAMED ?? 0, message);
}

/**
 * Project.prototype.fetchEverything, wrapped: when resolution has ended (`yarn add`, `yarn up`, a
 * changed package.json, `--immutable` from a lockfile) and before the first archive is fetched,
 * every package the fetch step would fetch passes the gates that need no archive. One refused
 * package fails the install before any of its allowed siblings is written to `.yarn/cache`.
 * Each refusal is reported the way Yarn reports a failed fetch (locator first); the first is thrown.
 */
export async function fetchEverything(core: YarnCore, project: Project, opts: FetchEverythingOptions, original: Project['fetchEverything']): Promise<void> {
  const st = stateFor(project);
  const { structUtils } = core;
  const gateOpts: FetchOptions = { project, report: opts.report, checksums: project.storedChecksums };
  let first: Error | undefined;
  const seen = new Set<string>();
  // What fetchEverything fetches: the resolved packages, devirtualized.
  for (const hash of project.storedResolutions.values()) {
    const pkg = project.storedPackages.get(hash);
    if (!pkg) continue;
    const locator = structUtils.isVirtualLocator(pkg) ? structUtils.devirtualizeLocator(pkg) : pkg;
    if (seen.has(locator.locatorHash)) continue;
    seen.add(locator.locatorHash);
    try {
      gateResolved(core, locator, gateOpts);
      st.judged.add(locator.locatorHash);
    } catch (e) {
      if (!(e instanceof core.ReportError)) throw e;
      e.message = `${structUtils.prettyLocator(project.configuration, locator)}: ${e.message}`;
      opts.report.reportExceptionOnce(e);
      first ??= e;
    }
  }
  if (first) throw first;
  return original.call(project, opts);
}

/** MultiFetcher.prototype.fetch, wrapped: every package, cached or not, `--immutable` too, passes here before linking. */
export async function fetch(core: YarnCore, fetcher: unknown, locator: Locator, opts: FetchOptions, original: FetchMethod): Promise<FetchResult> {
  // Fetches outside the fetch step (a patch's base package during resolution, other commands) are gated here.
  if (opts.project && !stateFor(opts.project).judged.has(locator.locatorHash)) gateResolved(core, locator, opts);
  const result = await original.call(fetcher, locator, opts);
  try {
    const st = opts.project ? stateFor(opts.project) : undefined;
    if (!st) return result;
    let pending = st.entries.get(locator.locatorHash);
    if (!pending) {
      pending = inspect(core, locator, opts, result);
      st.entries.set(locator.locatorHash, pending);
      pending.catch(() => st.entries.delete(locator.locatorHash));
    }
    const entry = await pending;
    if (entry && entry.verdict.decision === 'refuse' && !st.collect) {
      throw new core.ReportError(core.MessageName.UNNAMED ?? 0, refusalMessage(entry.verdict.findings, st.file));
    }
    if (entry && !st.collect) {
      for (const f of [...entry.verdict.findings, ...entry.extra]) {
        if (f.action !== 'warn') continue;
        st.warned = true;
        opts.report.reportWarningOnce(core.MessageName.UNNAMED ?? 0, warningLine(f), { key: `lifeguard:${f.code}:${f.package}@${f.version}` });
      }
    }
  } catch (e) {
    result.releaseFs?.();
    throw e;
  }
  return result;
}

/**
 * Project.prototype.getDependencyMeta, overridden: both linkers ask it before building a
 * package: unapproved packages get `built: false` (declared scripts and the implicit node-gyp
 * build alike), approved ones `built: true` whatever `enableScripts` says.
 */
export function dependencyMeta(core: YarnCore, project: Project, ident: Ident, version: string | null, meta: DependencyMeta): DependencyMeta {
  const st = stateFor(project);
  if (st.policy.mode === 'warn' || project.tryWorkspaceByIdent(ident)) return meta;
  const name = core.structUtils.stringifyIdent(ident);
  // Every linker passes the package's locator here: its reference says whether this is a patched/git/exec build.
  const reference = typeof (ident as Partial<Locator>).reference === 'string' ? (ident as Locator).reference : undefined;
  const approved = version === null ? nameApproved(st.policy, name, reference) : scriptApproval(st.policy, name, version, originOf(reference)).status === 'approved';
  st.built.set(metaKey(name, version, reference), approved);
  return builtMeta(meta, approved);
}

/**
 * Yarn's own approvals that lifeguard.json does not carry (`dependenciesMeta[…].built: true`):
 * the plugin overrides them, and a build the team had reviewed would stop without a word.
 * Said once per install (validateProject runs once per install).
 */
function overriddenNative(project: Project, policy: Policy): string[] {
  const lines: string[] = [];
  let pkg: { dependenciesMeta?: unknown } = {};
  try {
    pkg = JSON.parse(readFileSync(join(project.cwd, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    // Yarn itself reports an unreadable manifest.
  }
  const missing = uncarriedApprovals(policy, manifestApprovals({ dependenciesMeta: pkg?.dependenciesMeta }, 'package.json').approvals);
  if (missing.length > 0) {
    lines.push(
      `Lifeguard: package.json dependenciesMeta approves builds that lifeguard.json does not: ${missing.map((a) => a.spec).join(', ')}. ` +
        'Lifeguard skips them; add them to "scripts.allow" in lifeguard.json to keep them building.',
    );
  }
  return lines;
}

const releaseAgeOf = (policy: Policy): ReleaseAge | null =>
  policy.releaseAge ? { minutes: policy.releaseAge.minutes, exclude: policy.releaseAge.exclude.specs.map((s) => s.raw) } : null;

/** `validateProject`: load the policy before resolution, fail closed, apply the release-age gate. */
export function validateProject(project: Project, report: { reportWarning(n: number, t: string): void; reportError(n: number, t: string): void }): void {
  const sh = shared();
  const UNNAMED = sh.core.MessageName.UNNAMED ?? 0;
  let st: ProjectState;
  try {
    st = stateFor(project);
  } catch (e) {
    report.reportError(UNNAMED, (e as Error).message);
    return;
  }
  if (sh.core.YarnVersion !== TESTED_YARN) {
    st.warned = true;
    report.reportWarning(UNNAMED, `Lifeguard was verified on Yarn ${TESTED_YARN}; this is Yarn ${sh.core.YarnVersion ?? 'unknown'}. Its internals check passed; run \`yarn lifeguard check\` in CI as a backstop.`);
  }
  const { policy } = st;
  if (policy.mode === 'enforce') {
    for (const line of overriddenNative(project, policy)) {
      st.warned = true;
      report.reportWarning(UNNAMED, line);
    }
  }
  if (policy.mode === 'enforce' && policy.releaseAge) applyReleaseAge(project, st.file ?? 'lifeguard.json', releaseAgeOf(policy)!);
}

/** The skipped builds of this install, one per name@version, with the approval that would run them. */
export async function skippedBuilds(st: ProjectState): Promise<SkippedBuild[]> {
  const out = new Map<string, SkippedBuild>();
  for (const pending of st.entries.values()) {
    const entry = await pending.catch(() => null);
    if (!entry) continue;
    for (const f of entry.verdict.findings) {
      if (f.code !== 'LIFEGUARD_SCRIPTS' || f.action !== 'skip-scripts') continue;
      const id = `${f.package}@${f.version}`;
      if (!out.has(id)) out.set(id, { ...skippedBuild(f), lifecycle: entry.verdict.lifecycle.join(', ') });
    }
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** `afterAllInstalled`: the end-of-install summary, and the facts cache saved. */
export async function afterAllInstalled(project: Project, report: Report): Promise<void> {
  const sh = shared();
  const UNNAMED = sh.core.MessageName.UNNAMED ?? 0;
  const st = sh.states.get(project) as ProjectState | undefined;
  if (!st) return;
  const summary: string[] = [];
  if (!st.file && !st.reportedDefault) {
    st.reportedDefault = true;
    summary.push('Lifeguard: no lifeguard.json; the built-in default policy applies (dependency scripts skipped, typosquats, exotic sources and known-malicious releases refused).');
  }
  const skipped = await skippedBuilds(st);
  if (skipped.length > 0) summary.push(...skippedLines(skipped, st.file, 'yarn install'));
  for (const line of summary) report.reportInfo(UNNAMED, line);
  st.cache.save(st.used);
  if (await rememberable(st)) {
    const start = st.startKey as string;
    writeRemembered(project, { start, graph: graphKey(sh.core.structUtils, project), releaseAge: releaseAgeOf(st.policy), built: Object.fromEntries(st.built), summary });
  }
}

/**
 * Only an install with nothing to say but its summary is remembered: enforce mode, no advisory
 * feed (feeds change without the policy changing), no warning, no refusal, every package judged
 * in this install (a package set resolved without the fetch step is not).
 */
async function rememberable(st: ProjectState): Promise<boolean> {
  if (st.startKey === undefined || st.collect || st.warned || st.policy.mode !== 'enforce' || st.policy.advisories.feeds.length > 0) return false;
  // `--mode=update-lockfile` fetches only new packages: the others' archives were not judged.
  if (st.judged.size === 0 || [...st.judged].some((hash) => !st.entries.has(hash))) return false;
  for (const pending of st.entries.values()) {
    const entry = await pending.catch(() => undefined);
    if (entry === undefined || (entry && (entry.verdict.decision === 'refuse' || entry.extra.length > 0 || entry.verdict.findings.some((f) => f.action === 'warn' || f.action === 'refuse')))) return false;
  }
  return true;
}
