import type { Finding } from '../types';

/** What one evaluation run (a lockfile check, an install) found, ready to be rendered. */
export interface Report {
  /** The lockfile or project that was checked (relative path as the user gave it). */
  readonly target: string;
  /** The policy file, or the built-in default's label. */
  readonly policyFile: string;
  /** How many packages were evaluated. */
  readonly packages: number;
  readonly findings: readonly Finding[];
  /**
   * Packages whose install scripts the input cannot tell (pnpm-lock.yaml and yarn.lock record
   * none, and node_modules was not read): "0 skipped" would be a false all-clear for them.
   */
  readonly scriptsUnknown?: number;
}

export interface Summary {
  readonly packages: number;
  readonly findings: number;
  readonly refused: number;
  readonly skipped: number;
  readonly warnings: number;
  readonly scriptsUnknown: number;
}

export function summarize(report: Report): Summary {
  let refused = 0;
  let skipped = 0;
  let warnings = 0;
  for (const f of report.findings) {
    if (f.action === 'refuse') refused++;
    else if (f.action === 'skip-scripts') skipped++;
    else warnings++;
  }
  return { packages: report.packages, findings: report.findings.length, refused, skipped, warnings, scriptsUnknown: report.scriptsUnknown ?? 0 };
}

/** Each finding once: the same code, package, version and message reached twice (two fetches of one package, two verdicts) counts once. */
export function distinctFindings(findings: Iterable<Finding>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.code}:${f.package}@${f.version}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** Stable order: refusals first, then by package and code, so diffs of reports stay small. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = { refuse: 0, 'skip-scripts': 1, warn: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      rank[a.action] - rank[b.action] ||
      (a.package < b.package ? -1 : a.package > b.package ? 1 : 0) ||
      (a.version < b.version ? -1 : a.version > b.version ? 1 : 0) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
