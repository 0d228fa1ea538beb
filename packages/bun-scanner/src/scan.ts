import { classifySpec, evaluate, refusalLines, warningLine, type Finding, type PackageFacts, type Policy } from '@lifeguard/core';

/** What Bun hands a scanner for each resolved package (workspaces are not sent). */
export interface BunPackage {
  readonly name: string;
  /** The resolved version; the lockfile specifier for git and file sources. */
  readonly version: string;
  readonly requestedRange: string;
  /** The URL Bun downloads, or the path of a local tarball; empty when there is none. */
  readonly tarball: string;
}

/** Bun's advisory shape: `fatal` stops `bun add` / `install` / `ci` before anything is written. */
export interface BunAdvisory {
  readonly level: 'fatal' | 'warn';
  readonly package: string;
  readonly url: string | null;
  readonly description: string | null;
}

export interface ScanResult {
  readonly advisories: BunAdvisory[];
  /**
   * Lifeguard warnings, to be printed, never returned as Bun `warn` advisories: without a
   * terminal Bun cancels the install on any `warn`, so a warning would act as a refusal in CI.
   */
  readonly warnings: string[];
}

/**
 * A package fetched from git, a URL or a path: what core's source kinds call it. A registry
 * package's tarball is the URL Bun downloads (a bun.lock entry's own, when it has one): core's
 * lockfile identity check sees whether it is that package's tarball on one of the registries.
 */
function facts(pkg: BunPackage, registries: readonly string[]): PackageFacts {
  const source = classifySpec(pkg.requestedRange);
  if (source === 'registry' && pkg.tarball !== '') return { name: pkg.name, version: pkg.version, lockfile: { key: `${pkg.name}@${pkg.version}`, tarball: pkg.tarball, registries } };
  return {
    name: pkg.name,
    version: pkg.version,
    ...(source !== 'registry' && source !== 'workspace' ? { source, resolved: pkg.tarball || pkg.requestedRange } : {}),
  };
}

/**
 * The policy's verdict on every package Bun is about to download, as Bun advisories. Bun sends
 * names and versions only (no manifests), so deny, advisories and typosquat rules apply here;
 * scripts are gated by Bun's own `trustedDependencies`, which `lifeguard init` / `export` write.
 */
export function scanPackages(
  policy: Policy,
  policyFile: string | undefined,
  packages: readonly BunPackage[],
  declared: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  registries: readonly string[] = [],
): ScanResult {
  const advisories: BunAdvisory[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const pkg of packages) {
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const findings = [...evaluate(policy, facts(pkg, registries)).findings, ...exoticRequest(policy, pkg, declared)];
    const refusals: Finding[] = findings.filter((f) => f.action === 'refuse');
    for (const f of findings) if (f.action === 'warn') warnings.push(warningLine(f));
    if (refusals.length === 0) continue;
    advisories.push({
      level: 'fatal',
      package: pkg.name,
      url: advisoryUrl(refusals),
      // Bun indents the first line of a description only: indent the rest to match.
      description: [...refusalLines(refusals, policyFile, 'before Bun downloaded anything'), '  Nothing was installed or changed.'].join('\n    '),
    });
  }
  return { advisories, warnings };
}

const KIND_WORDS: Record<string, string> = { git: 'a git repository', tarball: 'an http(s) tarball', file: 'a local path', link: 'a local link' };

/**
 * Core's sources rule for Bun, which sends no dependency edges: a package requested from git, a
 * URL or a path that the project's own manifests (`declared`: name -> specs) do not ask for that
 * way was asked for by a published package. Core decides (sources.exotic, sources.allow); the
 * message says that Bun does not tell which package it was.
 */
function exoticRequest(policy: Policy, pkg: BunPackage, declared: ReadonlyMap<string, ReadonlySet<string>>): Finding[] {
  const kind = classifySpec(pkg.requestedRange);
  if (kind === 'registry' || kind === 'workspace' || declared.get(pkg.name)?.has(pkg.requestedRange)) return [];
  if (policy.packages.trust.find(pkg.name, pkg.version)) return [];
  const parent: PackageFacts = { name: 'a dependency', version: '', dependencies: { [pkg.name]: pkg.requestedRange } };
  return evaluate(policy, parent)
    .findings.filter((f) => f.code === 'LIFEGUARD_SOURCE')
    .map((f) => ({
      ...f,
      package: pkg.name,
      version: pkg.version,
      message: `${pkg.name} is requested from ${KIND_WORDS[kind] ?? kind} (${JSON.stringify(pkg.requestedRange)}) by one of the project's dependencies (Bun does not say which), an exotic source that bypasses the registry.`,
    }));
}

/** The OSV record of the first advisory that decided, as a link Bun prints. */
function advisoryUrl(findings: readonly Finding[]): string | null {
  for (const f of findings) {
    const ids = f.details?.advisories;
    if (Array.isArray(ids) && typeof ids[0] === 'string') return `https://osv.dev/vulnerability/${encodeURIComponent(ids[0])}`;
  }
  return null;
}
