import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { evaluate, installLifecycle, isReportFormat, renderReport, scriptApproval, scriptsRanFinding, setupFinding, type Finding, type Policy, type Report } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled, type InstalledManifest } from '../installed';
import { readInstallState } from '../install-state';
import { findLockfiles, readLockfile, type LockfileKind } from '../lockfiles/index';
import { colors, emit, UsageError } from '../output';
import { setupProblems } from '../setup';
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
  if (!opts.lockfile && lockfiles.some((l) => basename(l) === 'npm-shrinkwrap.json') && existsSync(join(cwd, 'package-lock.json'))) {
    process.stderr.write('lifeguard: npm installs from npm-shrinkwrap.json and ignores package-lock.json beside it: checking npm-shrinkwrap.json.\n');
  }
  const first = lockfiles[0];
  if (!first) throw new UsageError(`no pnpm-lock.yaml, yarn.lock, package-lock.json or bun.lock (nor npm-shrinkwrap.json) in ${cwd}; pass --lockfile FILE`);
  const projectDir = dirname(first);
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(projectDir);
  const installed = opts.installed ? readInstalled(projectDir) : undefined;
  const findings: Finding[] = [];
  const managers = new Set<LockfileKind>();
  let packages = 0;
  let scriptsUnknown = 0;
  for (const lockfile of lockfiles) {
    const tree = readLockfile(lockfile);
    managers.add(tree.kind);
    packages += tree.packages.filter((p) => !p.workspace).length;
    for (const locked of tree.packages) {
      const facts = withInstalled(locked, installed);
      if (!locked.workspace && !tree.scriptsRecorded && facts.scripts === undefined && !facts.hasInstallScript) scriptsUnknown++;
      const found = evaluate(policy, facts).findings;
      // Several lockfiles: say which one each finding is in.
      findings.push(...(lockfiles.length > 1 ? found.map((f) => ({ ...f, message: `${f.message} [${basename(lockfile)}]`, details: { ...f.details, lockfile: basename(lockfile) } })) : found));
    }
  }
  // A project that has a policy must also load it: the settings that switch the hook off.
  if (!policy.isDefault) for (const p of setupProblems(projectDir, managers)) findings.push(setupFinding(policy, p));
  if (installed) findings.push(...scriptsThatRan(policy, projectDir, installed, managers));
  const report: Report = {
    scriptsUnknown,
    target: lockfiles.map((l) => relative(cwd, l) || l).join(', '),
    policyFile: policy.isDefault ? policy.file : relative(cwd, policy.file) || policy.file,
    packages,
    findings,
  };
  emit(renderReport(report, format, colors, VERSION), opts.output);
  return findings.some((f) => f.action === 'refuse') ? 1 : 0;
}

/**
 * `--installed`: the package manager's own record of the builds that ran, against the policy, for
 * each installed dependency with install scripts. npm keeps none, which is said (on stderr, so JSON
 * and SARIF output stay clean). On pnpm a `scripts.deny` package may have been stopped by
 * `ignoredBuiltDependencies` (pnpm 10, where the hook puts them), which pnpm does not record: only
 * unapproved ones are reported there.
 */
function scriptsThatRan(policy: Policy, dir: string, installed: ReadonlyMap<string, InstalledManifest>, managers: ReadonlySet<LockfileKind>): Finding[] {
  if (managers.has('npm')) process.stderr.write('lifeguard: npm keeps no record of which install scripts ran; with ignore-scripts=true (a set-up check) none did.\n');
  const out: Finding[] = [];
  for (const kind of managers) {
    if (kind === 'npm') continue;
    const state = readInstallState(dir, kind);
    if (state.file === undefined) {
      process.stderr.write(`lifeguard: no ${kind} install state (${kind === 'pnpm' ? 'node_modules/.modules.yaml' : '.yarn/install-state.gz'}); cannot tell which dependency scripts ran.\n`);
      continue;
    }
    for (const [key, m] of installed) {
      const at = key.lastIndexOf('@');
      if (at <= 0) continue;
      const [name, version] = [key.slice(0, at), key.slice(at + 1)];
      if (installLifecycle({ name, version, scripts: m.scripts, hasBindingGyp: m.hasBindingGyp }).length === 0) continue;
      if (state.scripts(name, version, true) !== 'ran') continue;
      if (kind === 'pnpm' && scriptApproval(policy, name, version).status === 'denied') continue;
      const f = scriptsRanFinding(policy, name, version, `${relative(dir, state.file) || state.file} records no skipped build for it`);
      if (f) out.push(f);
    }
  }
  return out;
}
