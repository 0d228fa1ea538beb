import { scriptApproval } from '../approval';
import type { PackageFacts } from '../types';
import { PUBLIC_REGISTRIES, parseTarballUrl, tarballFile, urlHost } from '../tarball-url';
import { advisoryCheck } from './advisory';
import { denyCheck } from './deny';
import { type Check, NO_FINDINGS, type CheckContext, id, makeFinding, q } from './finding';

/** Whether the policy decides the same for both versions (deny, advisories, script approval); the other checks do not look at versions. */
function sameDecision(facts: PackageFacts, other: string, ctx: CheckContext): boolean {
  const at = { ...facts, version: other, lockfile: undefined };
  const key = (f: PackageFacts) => JSON.stringify([
    denyCheck(f, ctx).map((x) => x.rule),
    advisoryCheck(f, ctx).map((x) => x.details?.advisories),
    scriptApproval(ctx.policy, f.name, f.version).status,
  ]);
  return key(at) === key({ ...facts, lockfile: undefined });
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// Readers hand every entry of a lockfile the same registries array: its hosts are computed once.
const hostsOf = new WeakMap<readonly string[], ReadonlySet<string>>();
function registryHosts(registries: readonly string[]): ReadonlySet<string> {
  let hosts = hostsOf.get(registries);
  if (!hosts) {
    hosts = new Set([...PUBLIC_REGISTRIES, ...registries].map(urlHost).filter((h) => h !== undefined));
    hostsOf.set(registries, hosts);
  }
  return hosts;
}

/**
 * Lockfile identity: package managers fetch what an entry's key and URL say, while a name or
 * version field is only read back. An edited entry (`version: 3.3.5` under `event-stream@3.3.6`,
 * an innocent name whose URL points at another package's tarball or at a foreign host) makes every
 * other check judge a different package than the one installed. Workspace and git entries carry no
 * tarball to compare; the project's registries (and the public npm registry) are where registry
 * entries may come from.
 */
export const lockfileCheck: Check = (facts, ctx) => {
  const entry = facts.lockfile;
  if (!entry || facts.workspace) return NO_FINDINGS;
  const problems: string[] = [];
  // A version field the policy judges like the key's hides nothing (real lockfiles have a few
  // after hand-merges): a warning. One that would change a decision (the event-stream@3.3.6 entry
  // saying 3.3.5, an approved version's scripts) is refused.
  let versionOnly = false;
  if (entry.name !== undefined && !same(entry.name, facts.name)) problems.push(`its name field says ${q(entry.name)}`);
  if (entry.version !== undefined && entry.version !== facts.version) {
    problems.push(`its version field says ${q(entry.version)}`);
    versionOnly = sameDecision(facts, entry.version, ctx);
  }
  let foreignHost: string | undefined;
  const source = facts.source ?? 'registry';
  if (entry.tarball !== undefined && source === 'registry') {
    const url = parseTarballUrl(entry.tarball);
    const hosts = registryHosts(entry.registries);
    if (!url) problems.push(`its tarball ${q(entry.tarball)} is not an http(s) URL`);
    else {
      if (!hosts.has(url.host)) {
        foreignHost = url.host;
        problems.push(`its tarball comes from ${url.host}, which is not one of the project's registries (${[...hosts].join(', ')})`);
      }
      if (url.name !== undefined && (!same(url.name, facts.name) || !same(url.file ?? '', tarballFile(facts.name, facts.version)))) {
        problems.push(`its tarball URL ${q(entry.tarball)} names ${q(`${url.name}/-/${url.file ?? ''}`)}`);
      }
    }
  } else if (entry.tarball !== undefined && source === 'tarball' && facts.resolved !== undefined && entry.tarball !== facts.resolved) {
    problems.push(`its tarball ${q(entry.tarball)} is not the URL its key names (${q(facts.resolved)})`);
  }
  if (problems.length === 0) return NO_FINDINGS;
  const harmless = versionOnly && problems.length === 1;
  const fix = foreignHost && problems.length === 1
    ? `if ${foreignHost} is your registry, declare it (.npmrc \`registry=\` or \`@scope:registry=\`, .yarnrc.yml \`npmRegistryServer\` / \`npmScopes\`, bunfig.toml \`[install] registry\` / \`[install.scopes]\`); otherwise restore the lockfile from a trusted commit`
    : 'restore the lockfile from a trusted commit, or delete this entry and run the install again so the package manager writes it';
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_LOCKFILE',
      action: harmless ? 'warn' : 'refuse',
      severity: harmless ? 'medium' : 'critical',
      rule: 'lockfile',
      message: `The lockfile entry ${q(entry.key)} for ${id(facts)} does not agree with itself: ${problems.join('; ')}. The package manager installs what the key and URL say${harmless ? ' (the policy decides the same for both versions)' : ', not what the other checks were shown'}.`,
      fix,
      details: { key: entry.key, problems, ...(entry.tarball !== undefined ? { tarball: entry.tarball } : {}) },
    }),
  ];
};
