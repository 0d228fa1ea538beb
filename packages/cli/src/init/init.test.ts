import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lifeguardWith, project } from '../test-cli';

const CLI_PACKAGE = join(__dirname, '../..');
const run = (cwd: string, ...args: string[]) => lifeguardWith({}, cwd, ...args);
const policyOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
const packages = (entries: { package: string }[] | undefined) => (entries ?? []).map((e) => e.package);

describe('lifeguard init: which package manager', () => {
  it('a fresh pnpm project (no lockfile) is pnpm from packageManager, devEngines, pnpm-workspace.yaml or the user agent; never ignore-scripts', () => {
    const cases: [Record<string, string>, Record<string, string>, string][] = [
      [{ 'package.json': '{"name":"a","packageManager":"pnpm@10.34.9"}' }, {}, 'package.json "packageManager"'],
      [{ 'package.json': '{"name":"a","devEngines":{"packageManager":{"name":"pnpm","version":"^12"}}}' }, {}, 'devEngines.packageManager'],
      [{ 'package.json': '{"name":"a","devEngines":{"packageManager":[{"name":"pnpm"},{"name":"npm"}]}}' }, {}, 'devEngines.packageManager'],
      [{ 'package.json': '{"name":"a"}', 'pnpm-workspace.yaml': 'packages: []\n' }, {}, 'pnpm-workspace.yaml'],
      [{ 'package.json': '{"name":"a"}' }, { npm_config_user_agent: 'pnpm/12.21.0 npm/? node/v20.20.2 linux x64' }, 'npm_config_user_agent'],
    ];
    for (const [files, env, evidence] of cases) {
      const dir = project(files);
      const r = lifeguardWith(env, dir, 'init');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`pnpm project (from`);
      expect(r.stdout).toContain(evidence);
      expect(existsSync(join(dir, '.pnpmfile.cjs'))).toBe(true);
      expect(existsSync(join(dir, '.npmrc'))).toBe(false);
    }
  });

  it('--pm picks it; an unknown one is a usage error that writes nothing', () => {
    const dir = project({ 'package.json': '{"name":"a"}' });
    expect(run(dir, 'init', '--pm', 'pnpm').stdout).toContain('pnpm project (from --pm)');
    const bad = project({ 'package.json': '{"name":"a"}' });
    const r = run(bad, 'init', '--pm', 'cargo');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pm must be one of pnpm, yarn, npm, bun');
    expect(readdirSync(bad)).toEqual(['package.json']);
    // With no evidence at all npm is a guess, and init says how to choose.
    expect(run(project({ 'package.json': '{"name":"a"}' }), 'init').stdout).toContain('npm assumed (pass --pm pnpm|yarn|npm|bun)');
  });

  it('re-running init for pnpm removes the ignore-scripts=true it wrote for npm, and warns about anyone else\'s', () => {
    const dir = project({ 'package.json': '{"name":"a"}', '.npmrc': 'registry=https://r.example/\n' });
    expect(run(dir, 'init', '--pm', 'npm').code).toBe(0);
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).toMatch(/^registry=https:\/\/r\.example\/\n# lifeguard init \(npm\).*\nignore-scripts=true\n$/);
    const r = run(dir, 'init', '--pm', 'pnpm');
    expect(r.stdout).toContain('removed   ignore-scripts=true from .npmrc');
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).toBe('registry=https://r.example/\n');

    const theirs = project({ 'package.json': '{"name":"a","packageManager":"pnpm@12.21.0"}', '.npmrc': 'ignore-scripts = true\n' });
    expect(run(theirs, 'init').stdout).toContain('.npmrc has ignore-scripts=true: pnpm obeys it');
    expect(readFileSync(join(theirs, '.npmrc'), 'utf8')).toBe('ignore-scripts = true\n');
  });
});

describe('lifeguard init: all or nothing', () => {
  it('Yarn from an install: the CLI finds its own yarn-plugin-lifeguard (a dependency, no NODE_PATH)', () => {
    const dir = project({ 'package.json': '{"name":"a","packageManager":"yarn@4.18.1"}' });
    const r = lifeguardWith({ NODE_PATH: '' }, dir, 'init');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, '.yarn/plugins/yarn-plugin-lifeguard.cjs'))).toEqual(readFileSync(join(CLI_PACKAGE, 'node_modules/yarn-plugin-lifeguard/dist/yarn-plugin-lifeguard.cjs')));
    expect(parse(readFileSync(join(dir, '.yarnrc.yml'), 'utf8')).plugins).toEqual([{ path: '.yarn/plugins/yarn-plugin-lifeguard.cjs', spec: 'yarn-plugin-lifeguard' }]);
  });

  it('a write that fails leaves no lifeguard.json behind (nor any other file)', () => {
    // `.yarn/plugins` is a file: the plugin cannot be written.
    const dir = project({ 'package.json': '{"name":"a","packageManager":"yarn@4.18.1"}', '.yarn/plugins': 'not a directory' });
    const r = run(dir, 'init');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*yarn-plugin-lifeguard\.cjs \(EEXIST\); nothing was written/);
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(dir, 'lifeguard.json'))).toBe(false);
    expect(existsSync(join(dir, '.yarnrc.yml'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['.yarn', 'package.json']);
  });
});

describe('lifeguard init: approvals the project already had', () => {
  it('imports pnpm allowBuilds / onlyBuiltDependencies, Yarn dependenciesMeta, npm allowScripts and Bun trustedDependencies', () => {
    const dir = project({
      'package.json': JSON.stringify({
        name: 'a',
        packageManager: 'pnpm@12.21.0',
        pnpm: { onlyBuiltDependencies: ['@swc/core'] },
        dependenciesMeta: { 'bcrypt@5.1.1': { built: true }, argon2: { built: false } },
        allowScripts: { 'sqlite3@5.1.7': true },
        trustedDependencies: ['puppeteer'],
      }),
      'pnpm-workspace.yaml': 'allowBuilds:\n  esbuild: true\n  nx: false\n  "pkg@https://example.com/pkg.tgz": true\nonlyBuiltDependencies:\n  - sharp\n',
    });
    const r = run(dir, 'init');
    expect(r.code, r.stderr).toBe(0);
    const policy = policyOf(dir);
    expect(packages(policy.scripts.allow)).toEqual(['@swc/core', 'bcrypt@5.1.1', 'esbuild', 'puppeteer', 'sharp', 'sqlite3@5.1.7']);
    expect(packages(policy.scripts.deny)).toEqual(['argon2', 'nx']);
    expect(policy.scripts.allow.find((e: { package: string }) => e.package === 'esbuild').reason).toBe('imported from pnpm-workspace.yaml allowBuilds');
    expect(r.stdout).toContain('imported  6 native approval(s) into scripts.allow and 2 denial(s) into scripts.deny');
    expect(r.stdout).toContain('not imported: "pkg@https://example.com/pkg.tgz" (pnpm-workspace.yaml allowBuilds)');
    // A kept policy is not rewritten, but init names the native approvals it would override.
    writeFileSync(join(dir, 'lifeguard.json'), '{"scripts":{"allow":["esbuild"]}}');
    const again = run(dir, 'init');
    expect(again.stdout).toContain('lifeguard.json does not approve 5 build(s) the project approves natively');
    expect(again.stdout).toContain('@swc/core (package.json "pnpm" onlyBuiltDependencies)');
  });
});

describe('lifeguard init: a fresh project', () => {
  it('with nothing installed, says to install first and rerun', () => {
    const dir = project({ 'package.json': '{"name":"a","packageManager":"pnpm@12.21.0","dependencies":{"vite":"^7.0.0"}}' });
    const r = run(dir, 'init');
    expect(r.stdout).toContain('nothing is installed yet, so no install script could be approved. Run `pnpm install`');
    expect(r.stdout).toContain('then `lifeguard init --force` approves the ones installed');
  });

  it('"$schema" is a path that exists from the project when lifeguard is installed there, else absent', () => {
    const dir = project({ 'package.json': '{"name":"a","packageManager":"pnpm@12.21.0","devDependencies":{"lifeguard":"*"}}' });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(CLI_PACKAGE, join(dir, 'node_modules/lifeguard')); // pnpm's layout: a symlink into the store
    const r = spawnSync(process.execPath, [join(dir, 'node_modules/lifeguard/bin/lifeguard.cjs'), 'init'], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_user_agent: '' } });
    expect(r.status, r.stderr).toBe(0);
    const schema = policyOf(dir).$schema;
    expect(schema).toBe('./node_modules/lifeguard/dist/lifeguard.schema.json');
    expect(JSON.parse(readFileSync(join(dir, schema), 'utf8')).properties.scripts).toBeDefined();

    const bare = project({ 'package.json': '{"name":"a","packageManager":"pnpm@12.21.0"}' });
    run(bare, 'init');
    expect(policyOf(bare).$schema).toBeUndefined();
  });
});
