import { basename, dirname, relative, resolve } from 'node:path';
import { evaluate, isReportFormat, renderReport, type Finding, type Report } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { findLockfiles, readLockfile } from '../lockfiles/index';
import { colors, emit, UsageError } from '../output';
import { VERSION } from '../version';

export interface CheckOptions {
  lockfile?: string;
  policy?: string;
  format?: string;
  output?: string;
  installed?: boolean;
}

/**
 * `lifeguard check`: evaluate every package of the project's lockfiles offline (each lockfile a
 * package manager would install from, not just the first found). Exit 1 when something would be refused.
 */
export function check(opts: CheckOptions, cwd: string): number {
  const format = opts.format ?? 'text';
  if (!isReportFormat(format)) throw new UsageError(`--format must be text, json or sarif (got ${JSON.stringify(format)})`);
  const lockfiles = opts.lockfile ? [resolve(cwd, opts.lockfile)] : findLockfiles(cwd);
  const first = lockfiles[0];
  if (!first) throw new UsageError(`no pnpm-lock.yaml, yarn.lock or package-lock.json (nor npm-shrinkwrap.json) in ${cwd}; pass --lockfile FILE`);
  const projectDir = dirname(first);
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(projectDir);
  const installed = opts.installed ? readInstalled(projectDir) : undefined;
  const findings: Finding[] = [];
  let packages = 0;
  for (const lockfile of lockfiles) {
    const tree = readLockfile(lockfile);
    packages += tree.packages.filter((p) => !p.workspace).length;
    for (const facts of tree.packages) {
      const found = evaluate(policy, withInstalled(facts, installed)).findings;
      // Several lockfiles: say which one each finding is in.
      findings.push(...(lockfiles.length > 1 ? found.map((f) => ({ ...f, message: `${f.message} [${basename(lockfile)}]`, details: { ...f.details, lockfile: basename(lockfile) } })) : found));
    }
  }
  const report: Report = {
    target: lockfiles.map((l) => relative(cwd, l) || l).join(', '),
    policyFile: policy.isDefault ? policy.file : relative(cwd, policy.file) || policy.file,
    packages,
    findings,
  };
  emit(renderReport(report, format, colors, VERSION), opts.output);
  return findings.some((f) => f.action === 'refuse') ? 1 : 0;
}
