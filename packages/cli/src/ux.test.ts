import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lifeguard, project } from './test-cli';

const BIN = join(__dirname, '../bin/lifeguard.cjs');
const COMMANDS = ['check', 'init', 'explain', 'rebuild', 'export', 'feeds', 'report', 'incident'];

describe('the CLI as a newcomer meets it', () => {
  it('every command has --help (exit 0, its own usage) and writes nothing', () => {
    const dir = project({ 'package.json': '{"name":"a"}' });
    for (const command of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = lifeguard(dir, command, flag);
        expect(r.code, `${command} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: lifeguard ${command} `));
      }
    }
    expect(lifeguard(dir, 'help', 'init').stdout).toContain('--pm pnpm|yarn|npm|bun');
    expect(lifeguard(dir, 'init', '--help').stdout).not.toContain('explain');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name":"a"}');
    expect(lifeguard(dir, 'nope', '--help').code).toBe(2);
  });

  it('piping into head ends quietly (no EPIPE stack trace)', () => {
    // 3,000 packages with install scripts: far more output than a pipe holds.
    const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0' } };
    for (let i = 0; i < 3000; i++) packages[`node_modules/pkg-${i}`] = { version: '1.0.0', hasInstallScript: true, integrity: 'sha512-x', resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz` };
    const dir = project({ 'package-lock.json': JSON.stringify({ name: 'app', lockfileVersion: 3, packages }) });
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" check | head -n 1; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr).toMatch(/exit=0/);
  });

  it('check on a lockfile without script facts says it cannot tell, and points at --installed', () => {
    const lock = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      esbuild: {specifier: 0.25.0, version: 0.25.0}\npackages:\n  esbuild@0.25.0:\n    resolution: {integrity: sha512-a}\nsnapshots:\n  esbuild@0.25.0: {}\n";
    const dir = project({ 'pnpm-lock.yaml': lock });
    const r = lifeguard(dir, 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Install scripts of 1 package unknown: pnpm-lock.yaml does not record them. Run `lifeguard check --installed`');
    expect(JSON.parse(lifeguard(dir, 'check', '--format', 'json').stdout).summary.scriptsUnknown).toBe(1);
    // Installed: node_modules tells, and the scripts are listed instead.
    const installed = project({ 'pnpm-lock.yaml': lock, 'node_modules/.pnpm/esbuild@0.25.0/node_modules/esbuild/package.json': '{"name":"esbuild","version":"0.25.0","scripts":{"postinstall":"node install.js"}}' });
    const i = lifeguard(installed, 'check', '--installed');
    expect(i.stdout).toContain('1 with scripts skipped');
    expect(i.stdout).not.toContain('unknown');
    // npm's lockfile flags every package with scripts: no flag means none.
    const npm = project({ 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: '1.0.0' } } }) });
    expect(lifeguard(npm, 'check').stdout).not.toContain('unknown');
  });

  it('export --write keeps the project\'s explicit native denials and other dependenciesMeta fields', () => {
    const lock = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      esbuild: {specifier: 0.25.0, version: 0.25.0}\npackages:\n  esbuild@0.25.0:\n    resolution: {integrity: sha512-a}\nsnapshots:\n  esbuild@0.25.0: {}\n";
    const dir = project({
      'lifeguard.json': JSON.stringify({ scripts: { allow: ['esbuild'] } }),
      'pnpm-lock.yaml': lock,
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\nallowBuilds:\n  core-js: false\n  sharp: true\n  esbuild: false\n',
      'package.json': JSON.stringify({ name: 'a', allowScripts: { prisma: false, sharp: true }, dependenciesMeta: { fsevents: { optional: true, built: true }, argon2: { built: false } } }),
    });
    expect(lifeguard(dir, 'export', '--to', 'pnpm', '--write').code).toBe(0);
    // The policy's esbuild approval wins over the project's esbuild: false; core-js stays denied; sharp was never Lifeguard's.
    expect(parse(readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8')).allowBuilds).toEqual({ 'core-js': false, esbuild: true });
    expect(lifeguard(dir, 'export', '--to', 'npm', '--write').code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).allowScripts).toEqual({ prisma: false, 'esbuild@0.25.0': true });
    expect(lifeguard(dir, 'export', '--to', 'yarn', '--write').code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependenciesMeta).toEqual({
      fsevents: { optional: true }, argon2: { built: false }, 'esbuild@0.25.0': { built: true },
    });
  });
});
