import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmLookalikes } from './commands/init-lookalikes';
import { lifeguard, project } from './test-cli';

const LOCK = `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      exprress: {specifier: 1.0.0, version: 1.0.0}
      left-pad: {specifier: 1.3.0, version: 1.3.0}
packages:
  exprress@1.0.0:
    resolution: {integrity: sha512-a}
  left-pad@1.3.0:
    resolution: {integrity: sha512-b}
snapshots:
  exprress@1.0.0: {}
  left-pad@1.3.0: {}
`;

/** Packages `lifeguard check` refuses as look-alikes (the lockfile predates the hook, so a set-up finding comes too). */
const typosquatRefusals = (dir: string): string[] =>
  (JSON.parse(lifeguard(dir, 'check', '--format', 'json').stdout) as { findings: { code: string; action: string; package: string }[] }).findings
    .filter((f) => f.code === 'LIFEGUARD_TYPOSQUAT' && f.action === 'refuse')
    .map((f) => f.package);

describe('lifeguard init meets the look-alikes already in the tree', () => {
  it('lists them with the reason and does not approve them without --yes (no terminal: no prompt)', () => {
    const dir = project({ 'package.json': '{"name":"app","private":true}', 'pnpm-lock.yaml': LOCK });
    const r = lifeguard(dir, 'init');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('look-alikes: 1 existing dependency looks like a typosquat');
    expect(r.stdout).toMatch(/exprress@1\.0\.0: exprress@1\.0\.0 looks like a typosquat of the popular package "express"/);
    expect(r.stdout).toContain('they stay refused');
    expect(JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8')).typosquat).toBeUndefined();
    expect(typosquatRefusals(dir)).toEqual(['exprress']);
  });

  it('--yes writes them to typosquat.ignore, and the tree then passes', () => {
    const dir = project({ 'package.json': '{"name":"app","private":true}', 'pnpm-lock.yaml': LOCK });
    const r = lifeguard(dir, 'init', '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ignored   exprress ("typosquat.ignore" in lifeguard.json)');
    expect(JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8')).typosquat).toEqual({ ignore: ['exprress'] });
    expect(typosquatRefusals(dir)).toEqual([]);
  });

  // util-linux `script` gives the CLI a real terminal; the answer is typed after the prompt is up.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript).each([
    ['y', ['exprress']],
    ['n', undefined],
  ])('asks on a terminal: %s', (answer, ignored) => {
    const dir = project({ 'package.json': '{"name":"app","private":true}', 'pnpm-lock.yaml': LOCK });
    const bin = join(__dirname, '../bin/lifeguard.cjs');
    const r = spawnSync('sh', ['-c', `(sleep 2; printf '${answer}\\r') | script -qec "${process.execPath} ${bin} init" /dev/null`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LIFEGUARD_POLICY: '' }, timeout: 30_000 });
    expect(r.stdout).toContain('Writes them to "typosquat.ignore" [y/N]');
    expect(JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8')).typosquat?.ignore).toEqual(ignored);
  });

  it('shows monthly downloads when the finding carries them', () => {
    const lines: string[] = [];
    const kept = confirmLookalikes([{ name: 'ansicolor', versions: ['2.0.3'], reason: 'looks like "ansi-color".', downloads: 1234567 }], false, (s) => lines.push(s));
    expect(kept).toEqual([]);
    expect(lines.join('\n')).toContain('ansicolor@2.0.3 (1,234,567 downloads a month): looks like "ansi-color".');
  });
});
