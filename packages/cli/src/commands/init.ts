import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compilePolicy, evaluate, installLifecycle, parsePolicy, type Policy } from '@lifeguard/core';
import { parseDocument } from 'yaml';
import { wireBun } from '../bun-setup';
import { bundlePath } from '../bundles';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { readLockfile, type LockedTree } from '../lockfiles/index';
import { colors } from '../output';
import { detectProject, type Project } from '../project';
import { confirmLookalikes, findLookalikes } from './init-lookalikes';

export interface InitOptions {
  force?: boolean;
  /** Write today's look-alike dependencies to typosquat.ignore without asking. */
  yes?: boolean;
}

const PLUGIN_PATH = '.yarn/plugins/yarn-plugin-lifeguard.cjs';

/**
 * `lifeguard init`: a lifeguard.json that approves, by exact version, the packages that have
 * install scripts today, and the project's package manager wired to Lifeguard. Idempotent;
 * never overwrites a policy (or someone else's pnpmfile) without --force.
 */
export function init(opts: InitOptions, cwd: string): number {
  const project = detectProject(cwd);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`${colors.bold('lifeguard init')}: ${project.manager} project (from ${project.evidence})`);

  const policyFile = join(cwd, 'lifeguard.json');
  if (existsSync(policyFile) && !opts.force) {
    out(`  kept      lifeguard.json (exists; --force rewrites it)`);
  } else {
    const existed = existsSync(policyFile);
    const tree = project.lockfile ? readLockfile(project.lockfile) : undefined;
    // Look-alikes in today's tree are listed and kept only when the user says so: never approved silently.
    const policyOf = (json: object): Policy => compilePolicy(parsePolicy(JSON.stringify(json), policyFile));
    const ignore = confirmLookalikes(findLookalikes(policyOf({}), tree?.packages ?? []), opts.yes === true, out);
    const typosquat = ignore.length > 0 ? { typosquat: { ignore } } : {};
    const { allow, unknown, refused } = approvals(project, tree, policyOf(typosquat));
    const policy = {
      $schema: './node_modules/@lifeguard/core/lifeguard.schema.json',
      scripts: { unapproved: 'skip', allow },
      ...typosquat,
    };
    writeFileSync(policyFile, `${JSON.stringify(policy, null, 2)}\n`);
    out(`  ${existed ? 'rewrote' : 'wrote  '}   lifeguard.json: ${allow.length} package(s) with install scripts approved by exact version`);
    for (const a of allow) out(colors.dim(`              ${a.package} (${a.reason})`));
    if (refused.length) out(colors.red(`  not approved: ${refused.join(', ')} (the default policy refuses them; see lifeguard check)`));
    if (unknown) {
      out(colors.yellow(`  could not know the install scripts of ${unknown} package(s): ${project.lockfile ? 'the lockfile does not record scripts and node_modules is not installed' : 'there is no lockfile'}.`));
      out(colors.yellow(`  Install once, then run \`lifeguard init --force\` to approve them exactly; until then their scripts are skipped.`));
    }
  }
  wire(project, opts, out);
  return 0;
}

function approvals(project: Project, tree: LockedTree | undefined, defaults: Policy): { allow: { package: string; reason: string }[]; unknown: number; refused: string[] } {
  if (!tree) return { allow: [], unknown: 0, refused: [] };
  const installed = readInstalled(project.dir);
  const allow: { package: string; reason: string }[] = [];
  const refused: string[] = [];
  let unknown = 0;
  for (const locked of tree.packages) {
    if (locked.workspace) continue;
    const facts = withInstalled(locked, installed);
    if (facts.scripts === undefined && !facts.hasInstallScript) {
      if (!installed.has(`${facts.name}@${facts.version}`)) unknown++;
      continue;
    }
    const lifecycle = installLifecycle(facts);
    if (lifecycle.length === 0) continue;
    // Never approve what the default policy would refuse (a known-malicious release, a typosquat).
    if (evaluate(defaults, { ...facts, scripts: {} }).decision === 'refuse') {
      refused.push(`${facts.name}@${facts.version}`);
      continue;
    }
    allow.push({ package: `${facts.name}@${facts.version}`, reason: `had install scripts at init: ${lifecycle.join(', ')}` });
  }
  allow.sort((a, b) => (a.package < b.package ? -1 : 1));
  return { allow, unknown: installed.size === 0 ? unknown : 0, refused };
}

function wire(project: Project, opts: InitOptions, out: (s: string) => void): void {
  const dir = project.dir;
  if (project.manager === 'pnpm') {
    const target = join(dir, '.pnpmfile.cjs');
    const bundle = readFileSync(bundlePath('pnpm'));
    if (existsSync(target) && !readFileSync(target).equals(bundle) && !isOurs(target) && !opts.force) {
      out(colors.yellow(`  kept      .pnpmfile.cjs (someone else's hooks; --force replaces it, or load Lifeguard as a config dependency)`));
    } else if (existsSync(target) && readFileSync(target).equals(bundle)) {
      out('  ok        .pnpmfile.cjs (Lifeguard, up to date)');
    } else {
      writeFileSync(target, bundle);
      out('  wrote     .pnpmfile.cjs (the Lifeguard pnpm hook; commit it)');
    }
    if (existsSync(join(dir, '.pnpmfile.mjs'))) {
      out(colors.red('  warning   .pnpmfile.mjs exists: pnpm 12 prefers it and would never load .pnpmfile.cjs. Merge or remove it.'));
    }
  } else if (project.manager === 'yarn') {
    mkdirSync(join(dir, '.yarn/plugins'), { recursive: true });
    copyFileSync(bundlePath('yarn'), join(dir, PLUGIN_PATH));
    const rcFile = join(dir, '.yarnrc.yml');
    const doc = parseDocument(existsSync(rcFile) ? readFileSync(rcFile, 'utf8') : '');
    const plugins = (doc.toJS()?.plugins as { path?: string }[] | undefined) ?? [];
    if (plugins.some((p) => p.path === PLUGIN_PATH)) out(`  ok        .yarnrc.yml already loads ${PLUGIN_PATH} (bundle refreshed)`);
    else {
      doc.set('plugins', [...plugins, { path: PLUGIN_PATH, spec: 'yarn-plugin-lifeguard' }]);
      writeFileSync(rcFile, doc.toString());
      out(`  wrote     ${PLUGIN_PATH} and its entry in .yarnrc.yml (what \`yarn plugin import\` does; commit both)`);
    }
  } else if (project.manager === 'bun') {
    wireBun(project, opts.force === true, out);
  } else {
    const npmrc = join(dir, '.npmrc');
    const old = existsSync(npmrc) ? readFileSync(npmrc, 'utf8') : '';
    if (/^\s*ignore-scripts\s*=\s*true\s*$/m.test(old)) out('  ok        .npmrc already has ignore-scripts=true');
    else {
      const kept = old.split('\n').filter((l) => l.trim() !== '' && !/^\s*ignore-scripts\s*=/.test(l));
      writeFileSync(npmrc, `${[...kept, 'ignore-scripts=true'].join('\n')}\n`);
      out('  wrote     .npmrc: ignore-scripts=true (npm has no hook: no dependency script runs on its own)');
    }
    out(`  next      npm install, then \`lifeguard check\` (CI gate) and \`lifeguard rebuild\` (runs the approved scripts);`);
    out(`            \`lifeguard export --to npm --write\` adds npm's native allowScripts as well.`);
  }
  out(colors.dim(`  files are relative to ${relative(process.cwd(), dir) || '.'}`));
}

function isOurs(file: string): boolean {
  return readFileSync(file, 'utf8').includes('pnpm-plugin-lifeguard');
}
