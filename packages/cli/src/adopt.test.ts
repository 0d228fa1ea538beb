import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { project, lifeguard as run } from './test-cli';

const HOOK = join(__dirname, '../../pnpm-hook/dist/pnpmfile.cjs');
const lifeguard = (cwd: string, ...args: string[]) => {
  const r = run(cwd, ...args);
  return { code: r.code, out: r.stdout, err: r.stderr };
};

const PNPM_LOCK = `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      esbuild: {specifier: ^0.25.0, version: 0.25.0}
      sharp: {specifier: 0.33.5, version: 0.33.5}
packages:
  esbuild@0.25.0:
    resolution: {integrity: sha512-a}
  esbuild@0.25.9:
    resolution: {integrity: sha512-b}
  sharp@0.33.5:
    resolution: {integrity: sha512-c}
  nx@21.5.0:
    resolution: {integrity: sha512-d}
snapshots:
  esbuild@0.25.0: {}
  esbuild@0.25.9: {}
  sharp@0.33.5: {}
  nx@21.5.0: {}
`;
const pkgJson = (name: string, version: string, scripts: object) => JSON.stringify({ name, version, scripts });

describe('lifeguard init', () => {
  it('pnpm: approves installed packages with scripts by exact version and writes .pnpmfile.cjs', () => {
    const dir = project({
      'package.json': '{"name":"app","private":true}',
      'pnpm-lock.yaml': PNPM_LOCK,
      'node_modules/.pnpm/esbuild@0.25.0/node_modules/esbuild/package.json': pkgJson('esbuild', '0.25.0', { postinstall: 'node install.js' }),
      'node_modules/.pnpm/esbuild@0.25.9/node_modules/esbuild/package.json': pkgJson('esbuild', '0.25.9', { postinstall: 'node install.js' }),
      'node_modules/.pnpm/sharp@0.33.5/node_modules/sharp/package.json': pkgJson('sharp', '0.33.5', { install: 'node install/check' }),
      'node_modules/.pnpm/nx@21.5.0/node_modules/nx/package.json': pkgJson('nx', '21.5.0', { postinstall: 'node telemetry.js' }),
      '.pnpmfile.mjs': 'export default {}',
    });
    const r = lifeguard(dir, 'init');
    expect(r.code, r.err).toBe(0);
    const policy = JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
    expect(policy.scripts.allow.map((a: { package: string }) => a.package)).toEqual(['esbuild@0.25.0', 'esbuild@0.25.9', 'sharp@0.33.5']);
    expect(r.out).toContain('not approved: nx@21.5.0'); // a known-malicious release is never approved
    expect(readFileSync(join(dir, '.pnpmfile.cjs'))).toEqual(readFileSync(HOOK));
    expect(r.out).toContain('.pnpmfile.mjs exists: pnpm 12 prefers it');
    // Idempotent, and an existing policy is kept without --force.
    const again = lifeguard(dir, 'init');
    expect(again.out).toContain('kept      lifeguard.json');
    expect(again.out).toContain('.pnpmfile.cjs (Lifeguard, up to date)');
  });

  it("pnpm: keeps someone else's .pnpmfile.cjs unless --force", () => {
    const dir = project({ 'pnpm-lock.yaml': PNPM_LOCK, '.pnpmfile.cjs': 'module.exports = { hooks: {} }\n' });
    expect(lifeguard(dir, 'init').out).toContain("kept      .pnpmfile.cjs (someone else's hooks");
    expect(readFileSync(join(dir, '.pnpmfile.cjs'), 'utf8')).toBe('module.exports = { hooks: {} }\n');
    lifeguard(dir, 'init', '--force');
    expect(readFileSync(join(dir, '.pnpmfile.cjs'))).toEqual(readFileSync(HOOK));
  });

  it('says what it could not know when nothing is installed', () => {
    const dir = project({ 'pnpm-lock.yaml': PNPM_LOCK });
    const r = lifeguard(dir, 'init');
    expect(r.out).toContain('could not know the install scripts of 4 package(s)');
    expect(JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8')).scripts.allow).toEqual([]);
  });

  it('yarn: records the plugin in .yarnrc.yml once, keeping other settings', () => {
    const dir = project({ 'package.json': '{"name":"app","packageManager":"yarn@4.18.1"}', '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(lifeguard(dir, 'init').code).toBe(0);
    lifeguard(dir, 'init');
    const rc = parse(readFileSync(join(dir, '.yarnrc.yml'), 'utf8'));
    expect(rc.nodeLinker).toBe('node-modules');
    expect(rc.plugins).toEqual([{ path: '.yarn/plugins/yarn-plugin-lifeguard.cjs', spec: 'yarn-plugin-lifeguard' }]);
    expect(existsSync(join(dir, '.yarn/plugins/yarn-plugin-lifeguard.cjs'))).toBe(true);
  });
});

describe('lifeguard explain', () => {
  it('names every rule that applies', () => {
    const dir = project({
      'lifeguard.json': JSON.stringify({ scripts: { allow: ['esbuild@^0.25.0'], deny: ['esbuild@0.25.9'] }, packages: { trust: ['@acme/*'] }, releaseAge: { minimum: '3d' } }),
      'pnpm-lock.yaml': PNPM_LOCK,
    });
    const r = lifeguard(dir, 'explain', 'esbuild@0.25.9');
    expect(r.code).toBe(0);
    expect(r.out).toContain('scripts.allow "esbuild@^0.25.0"; scripts.deny "esbuild@0.25.9" (deny wins)');
    expect(r.out).toContain('0.25.9: never run (scripts.deny "esbuild@0.25.9")');
    expect(r.out).toContain('a popular package (npm-high-impact or the most downloaded names)');
    expect(r.out).toContain('versions younger than 4320 minutes are not resolved');
    expect(lifeguard(dir, 'explain', 'exprress').out).toMatch(/refused: looks like "express"/);
    expect(lifeguard(dir, 'explain', 'raven-js').out).toMatch(/spared: established, 550,000 downloads a month in the 2026-03 snapshot/);
    expect(lifeguard(dir, 'explain', 'chalk@5.6.1').out).toMatch(/affected: (GHSA|MAL)-/);
    expect(lifeguard(dir, 'explain', '@acme/tool').out).toContain('trusted by "@acme/*"');
    expect(lifeguard(dir, 'explain').code).toBe(2);
  });
});

describe('lifeguard export', () => {
  const policy = JSON.stringify({ scripts: { allow: ['esbuild@^0.25.0', 'sharp'], deny: ['nx'] }, releaseAge: { minimum: '36h', exclude: ['@acme/*'] } });

  it('resolves ranges to the exact versions in the lockfile for each package manager', () => {
    const dir = project({ 'lifeguard.json': policy, 'pnpm-lock.yaml': PNPM_LOCK });
    const pnpm = parse(lifeguard(dir, 'export', '--to', 'pnpm').out);
    // As the pnpm hook sets it: bare names stay names (new versions too), a range becomes exact versions.
    expect(pnpm.allowBuilds).toEqual({ 'esbuild@0.25.0 || 0.25.9': true, sharp: true, nx: false });
    expect(pnpm.dangerouslyAllowAllBuilds).toBe(false);
    expect(pnpm.minimumReleaseAge).toBe(36 * 60);
    expect(pnpm.minimumReleaseAgeExclude).toEqual(['@acme/*']);
    const npm = lifeguard(dir, 'export', '--to', 'npm').out;
    expect(npm).toContain('"esbuild@0.25.0": true');
    expect(npm).toContain('"nx": false');
    expect(npm).toContain('min-release-age=2'); // 36h rounds up to whole days
    const yarn = lifeguard(dir, 'export', '--to', 'yarn').out;
    expect(yarn).toContain('"nx@21.5.0": {\n      "built": false');
    expect(yarn).toContain('npmMinimalAgeGate: 2160m');
    const bun = lifeguard(dir, 'export', '--to', 'bun');
    expect(bun.out).toContain('"trustedDependencies": [\n    "esbuild",\n    "sharp"\n  ]');
    expect(bun.out).toContain('minimumReleaseAge = 129600');
    expect(lifeguard(dir, 'export', '--to', 'cargo').code).toBe(2);
  });

  it('--write merges into the native files', () => {
    const dir = project({ 'lifeguard.json': policy, 'pnpm-lock.yaml': PNPM_LOCK, 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n', 'package.json': '{"name":"app"}' });
    expect(lifeguard(dir, 'export', '--to', 'pnpm', '--write').code).toBe(0);
    const ws = parse(readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8'));
    expect(ws.packages).toEqual(['apps/*']);
    expect(ws.allowBuilds.sharp).toBe(true);
    expect(lifeguard(dir, 'export', '--to', 'npm', '--write').code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'app', allowScripts: { 'sharp@0.33.5': true } });
  });
});
