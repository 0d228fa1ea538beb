import { dirname, relative, resolve } from 'node:path';
import { evaluate, isReportFormat, renderReport, type Finding, type Report } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { findLockfile, readLockfile } from '../lockfiles/index';
import { colors, emit, UsageError } from '../output';
import { VERSION } from '../version';

export interface CheckOptions {
  lockfile?: string;
  policy?: string;
  format?: string;
  output?: string;
  installed?: boolean;
}

/** Lockfiles that flag every package with install scripts (npm's and Bun's `hasInstallScript`): no flag means none. */
const RECORDS_SCRIPTS: ReadonlySet<string> = new Set(['npm', 'bun']);

/** `lifeguard check`: evaluate every package of a lockfile offline. Exit 1 when something would be refused. */
export function check(opts: CheckOptions, cwd: string): number {
  const format = opts.format ?? 'text';
  if (!isReportFormat(format)) throw new UsageError(`--format must be text, json or sarif (got ${JSON.stringify(format)})`);
  const lockfile = opts.lockfile ? resolve(cwd, opts.lockfile) : findLockfile(cwd);
  if (!lockfile) throw new UsageError(`no pnpm-lock.yaml, yarn.lock or package-lock.json in ${cwd}; pass --lockfile FILE`);
  const projectDir = dirname(lockfile);
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(projectDir);
  const tree = readLockfile(lockfile);
  const installed = opts.installed ? readInstalled(projectDir) : undefined;

  const findings: Finding[] = [];
  let scriptsUnknown = 0;
  for (const locked of tree.packages) {
    const facts = withInstalled(locked, installed);
    findings.push(...evaluate(policy, facts).findings);
    if (!locked.workspace && !RECORDS_SCRIPTS.has(tree.kind) && facts.scripts === undefined && !facts.hasInstallScript) scriptsUnknown++;
  }
  const report: Report = {
    scriptsUnknown,
    target: relative(cwd, lockfile) || lockfile,
    policyFile: policy.isDefault ? policy.file : relative(cwd, policy.file) || policy.file,
    packages: tree.packages.filter((p) => !p.workspace).length,
    findings,
  };
  emit(renderReport(report, format, colors, VERSION), opts.output);
  return findings.some((f) => f.action === 'refuse') ? 1 : 0;
}
