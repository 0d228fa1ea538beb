import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { evaluate, renderFinding, riskFlag, type Finding, type PackageFacts } from '@lifeguard/core';
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
    throw new UsageError(`rebuild is for npm projects with a package-lock.json (found: ${project.manager}${project.lockfile ? '' : ', no lockfile'}); pnpm, Yarn and Bun run approved scripts themselves`);
  }
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(cwd);
  const installed = readInstalled(cwd);
  if (installed.size === 0) throw new UsageError('node_modules is empty: run `npm install` (with ignore-scripts=true) first');

  const refused: Finding[] = [];
  const run: PackageFacts[] = [];
  const skipped: string[] = [];
  const packages = readLockfile(project.lockfile).packages.filter((p) => !p.workspace);
  for (const locked of packages) {
    const facts = withInstalled(locked, installed);
    const verdict = evaluate(policy, facts);
    refused.push(...verdict.findings.filter((f) => f.action === 'refuse'));
    if (verdict.lifecycle.length === 0) continue;
    if (verdict.runScripts && verdict.decision !== 'refuse') run.push(locked);
    else {
      const skip = verdict.findings.find((f) => f.code === 'LIFEGUARD_SCRIPTS' && f.action === 'skip-scripts');
      const risk = skip ? riskFlag(skip) : undefined;
      skipped.push(`${facts.name}@${facts.version} (not approved${risk ? `; ${colors.red('RISKY')}: ${risk}` : ''})`);
    }
  }
  if (refused.length) {
    for (const f of refused) process.stderr.write(`${renderFinding(f, colors)}\n`);
    process.stderr.write(colors.red('lifeguard: refusing to run any script: the installed tree contains refused packages (see above)\n'));
    return 1;
  }
  for (const s of skipped) process.stdout.write(`${colors.yellow('skip')} ${s}\n`);
  if (run.length === 0) {
    process.stdout.write('lifeguard: no approved package has install scripts\n');
    return 0;
  }
  const levels = dependencyLevels(packages, run);
  levels.forEach((level, i) => {
    for (const r of level) process.stdout.write(`${colors.green('run ')} ${r} ${colors.dim(`(step ${i + 1})`)}\n`);
  });
  if (opts['dry-run']) return 0;
  // npm orders a rebuild by depth only; one call per level runs dependencies first.
  for (const level of levels) {
    const npm = spawnSync('npm', ['rebuild', '--ignore-scripts=false', '--foreground-scripts', ...level], {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, npm_config_ignore_scripts: 'false' },
    });
    if (npm.error) throw new UsageError(`could not run npm: ${npm.error.message}`);
    if (npm.status !== 0) return npm.status ?? 1;
  }
  return 0;
}

/** Install path of an npm lockfile package, rebuilt from its nesting. */
const pathOf = (p: PackageFacts): string => ['', ...(p.requiredBy ?? []), p.name].join('/node_modules/').slice(1);

/**
 * Groups `run` into steps so that every package comes after the approved packages it
 * depends on (directly or not), resolving names the way Node does (nearest node_modules up).
 */
function dependencyLevels(all: readonly PackageFacts[], run: readonly PackageFacts[]): string[][] {
  const byPath = new Map(all.map((p) => [pathOf(p), p]));
  const resolveDep = (from: string, name: string): string | undefined => {
    for (let base = from; ; ) {
      const candidate = `${base}/node_modules/${name}`;
      if (byPath.has(candidate)) return candidate;
      const cut = base.lastIndexOf('/node_modules/');
      if (cut < 0) return byPath.has(`node_modules/${name}`) ? `node_modules/${name}` : undefined;
      base = base.slice(0, cut);
    }
  };
  const approved = new Set(run.map(pathOf));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const height = (path: string): number => {
    const known = level.get(path);
    if (known !== undefined) return known;
    if (visiting.has(path)) return 0; // a cycle: npm itself gives no order inside one
    visiting.add(path);
    let h = 0;
    for (const dep of Object.keys(byPath.get(path)?.dependencies ?? {})) {
      const target = resolveDep(path, dep);
      if (target) h = Math.max(h, height(target) + (approved.has(target) ? 1 : 0));
    }
    visiting.delete(path);
    level.set(path, h);
    return h;
  };
  const steps: string[][] = [];
  for (const p of run) {
    const h = height(pathOf(p));
    (steps[h] ??= []).push(`${p.name}@${p.version}`);
  }
  return steps.filter((s) => s.length > 0).map((s) => [...new Set(s)]);
}
