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

/** A package fetched from git, a URL or a path: what core's source kinds call it. */
function facts(pkg: BunPackage): PackageFacts {
  const source = classifySpec(pkg.requestedRange);
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
export function scanPackages(policy: Policy, policyFile: string | undefined, packages: readonly BunPackage[]): ScanResult {
  const advisories: BunAdvisory[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const pkg of packages) {
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const verdict = evaluate(policy, facts(pkg));
    const refusals: Finding[] = verdict.findings.filter((f) => f.action === 'refuse');
    for (const f of verdict.findings) if (f.action === 'warn') warnings.push(warningLine(f));
    if (verdict.decision !== 'refuse' || refusals.length === 0) continue;
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

/** The OSV record of the first advisory that decided, as a link Bun prints. */
function advisoryUrl(findings: readonly Finding[]): string | null {
  for (const f of findings) {
    const ids = f.details?.advisories;
    if (Array.isArray(ids) && typeof ids[0] === 'string') return `https://osv.dev/vulnerability/${encodeURIComponent(ids[0])}`;
  }
  return null;
}
