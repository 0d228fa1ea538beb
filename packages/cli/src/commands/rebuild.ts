import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { evaluate, renderFinding, type Finding } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { readLockfile } from '../lockfiles/index';
import { colors, UsageError } from '../output';
import { detectProject } from '../project';

export interface RebuildOptions {
  policy?: string;
  'dry-run'?: boolean;
}

/**
 * `lifeguard rebuild`: for npm projects installed with ignore-scripts, run the lifecycle
 * scripts of the approved packages only. npm's own `npm rebuild <name@version>…` runs them, so
 * order (dependencies first), environment and node-gyp handling are exactly npm's.
 */
export function rebuild(opts: RebuildOptions, cwd: string): number {
  const project = detectProject(cwd);
  if (project.manager !== 'npm' || !project.lockfile) {
    throw new UsageError(`rebuild is for npm projects with a package-lock.json (found: ${project.manager}${project.lockfile ? '' : ', no lockfile'}); pnpm and Yarn run approved scripts themselves`);
  }
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(cwd);
  const installed = readInstalled(cwd);
  if (installed.size === 0) throw new UsageError('node_modules is empty: run `npm install` (with ignore-scripts=true) first');

  const refused: Finding[] = [];
  const run: string[] = [];
  const skipped: string[] = [];
  for (const locked of readLockfile(project.lockfile).packages) {
    if (locked.workspace) continue;
    const facts = withInstalled(locked, installed);
    const verdict = evaluate(policy, facts);
    refused.push(...verdict.findings.filter((f) => f.action === 'refuse'));
    if (verdict.lifecycle.length === 0) continue;
    (verdict.runScripts && verdict.decision !== 'refuse' ? run : skipped).push(`${facts.name}@${facts.version}`);
  }
  if (refused.length) {
    for (const f of refused) process.stderr.write(`${renderFinding(f, colors)}\n`);
    process.stderr.write(colors.red('lifeguard: refusing to run any script: the installed tree contains refused packages (see above)\n'));
    return 1;
  }
  for (const s of skipped) process.stdout.write(`${colors.yellow('skip')} ${s} (not approved)\n`);
  if (run.length === 0) {
    process.stdout.write('lifeguard: no approved package has install scripts\n');
    return 0;
  }
  for (const r of run) process.stdout.write(`${colors.green('run ')} ${r}\n`);
  if (opts['dry-run']) return 0;
  const npm = spawnSync('npm', ['rebuild', '--ignore-scripts=false', '--foreground-scripts', ...run], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_ignore_scripts: 'false' },
  });
  if (npm.error) throw new UsageError(`could not run npm: ${npm.error.message}`);
  return npm.status ?? 1;
}
