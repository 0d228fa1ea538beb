import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lifeguard, project } from './test-cli';

const npmLock = (packages: Record<string, object>) =>
  JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } });
const reg = (name: string, version: string, extra: object = {}) => ({
  [`node_modules/${name}`]: { version, resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`, ...extra },
});

// An npm project with a policy must also have ignore-scripts=true (the set-up check).
const NPMRC = { '.npmrc': 'ignore-scripts=true\n' };

describe('lifeguard check', () => {
  it('exits 0 when nothing is refused and reports skipped scripts', () => {
    const dir = project({ 'package-lock.json': npmLock({ ...reg('left-pad', '1.3.0'), ...reg('esbuild', '0.25.0', { hasInstallScript: true }) }) });
    const r = lifeguard(dir, 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SKIPPED esbuild@0.25.0');
    expect(r.stdout).toContain('add "esbuild@0.25.0" to "scripts.allow" in lifeguard.json');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('exits 1 when a package would be refused, naming it, the rule and the fix', () => {
    const dir = project({
      'package-lock.json': npmLock(reg('denied-pkg', '0.1.1')),
      'lifeguard.json': JSON.stringify({ packages: { deny: ['denied-pkg'] } }),
    });
    const r = lifeguard(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('REFUSED denied-pkg@0.1.1 LIFEGUARD_DENY');
    expect(r.stdout).toContain('remove "denied-pkg" from "packages.deny"');
  });

  it('exits 1 for unapproved scripts only when scripts.unapproved is "refuse"', () => {
    const lock = npmLock(reg('esbuild', '0.25.0', { hasInstallScript: true }));
    expect(lifeguard(project({ ...NPMRC, 'package-lock.json': lock, 'lifeguard.json': '{"scripts":{"unapproved":"refuse"}}' }), 'check').code).toBe(1);
    expect(lifeguard(project({ ...NPMRC, 'package-lock.json': lock, 'lifeguard.json': '{"scripts":{"allow":["esbuild@^0.25.0"],"unapproved":"refuse"}}' }), 'check').code).toBe(0);
  });

  it('exits 2 on a broken policy, naming the file and the JSON path', () => {
    const dir = project({ 'package-lock.json': npmLock({}), 'lifeguard.json': '{"scripts":{"allow":["esbuild@^^1"]}}' });
    const r = lifeguard(dir, 'check');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'lifeguard.json'));
    expect(r.stderr).toContain('$.scripts.allow[0]');
  });

  it('exits 2 on usage errors and missing lockfiles', () => {
    const dir = project({ 'package-lock.json': npmLock({}) });
    expect(lifeguard(dir, 'check', '--format', 'xml').code).toBe(2);
    expect(lifeguard(dir, 'check', '--bogus').code).toBe(2);
    expect(lifeguard(dir, 'frobnicate').code).toBe(2);
    expect(lifeguard(project({}), 'check').stderr).toContain('no pnpm-lock.yaml, yarn.lock or package-lock.json');
    expect(lifeguard(dir, 'check', '--lockfile', 'nope.json').code).toBe(2);
  });

  it('prints the documented JSON shape', () => {
    const dir = project({ ...NPMRC, 'package-lock.json': npmLock({ ...reg('denied-pkg', '0.1.1'), ...reg('x', '1.0.0', { hasInstallScript: true }) }), 'lifeguard.json': '{"packages":{"deny":["denied-pkg"]}}' });
    const r = lifeguard(dir, 'check', '--format', 'json');
    const out = JSON.parse(r.stdout);
    expect(out.findings[0]).toMatchObject({ code: 'LIFEGUARD_DENY', action: 'refuse', package: 'denied-pkg', version: '0.1.1' });
    expect(typeof out.findings[0].message).toBe('string');
    expect(typeof out.findings[0].fix).toBe('string');
    expect(out.findings[1]).toMatchObject({ code: 'LIFEGUARD_SCRIPTS', action: 'skip-scripts', package: 'x' });
    expect(out.summary).toMatchObject({ packages: 2, refused: 1, skipped: 1 });
  });

  it('writes SARIF 2.1.0 to --output with the code as ruleId', () => {
    const dir = project({ ...NPMRC, 'package-lock.json': npmLock(reg('denied-pkg', '0.1.1')), 'lifeguard.json': '{"packages":{"deny":["denied-pkg"]}}' });
    expect(lifeguard(dir, 'check', '--format', 'sarif', '--output', 'out.sarif').code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'LIFEGUARD_DENY', level: 'error' });
    expect(sarif.runs[0].tool.driver.rules[0].id).toBe('LIFEGUARD_DENY');
  });

  it('--installed reads the real scripts from node_modules', () => {
    const dir = project({
      'package-lock.json': npmLock(reg('quiet', '1.0.0')),
      'node_modules/quiet/package.json': JSON.stringify({ name: 'quiet', version: '1.0.0', scripts: { postinstall: 'node steal.js' } }),
    });
    expect(lifeguard(dir, 'check').stdout).not.toContain('quiet@1.0.0');
    expect(lifeguard(dir, 'check', '--installed').stdout).toContain('SKIPPED quiet@1.0.0');
  });
});

describe('lifeguard feeds verify', () => {
  it('lists every malformed record of the policy\'s feeds and exits 1; exits 0 once they are fixed', () => {
    const good = JSON.stringify({ id: 'MAL-1', affected: [{ package: { ecosystem: 'npm', name: 'evil' }, versions: ['1.0.0'] }] });
    const dir = project({
      'lifeguard.json': JSON.stringify({ advisories: { feeds: ['osv'] } }),
      'osv/evil/MAL-1.json': good,
      'osv/bad1/MAL-2.json': '{',
      'osv/bad2/MAL-3.json': '{"id": 3}',
      'package-lock.json': npmLock({}),
    });
    // An install (or check) stops at the first bad record; verify lists them all.
    expect(lifeguard(dir, 'check').code).toBe(2);
    const r = lifeguard(dir, 'feeds', 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3 files, 1 record, 2 malformed');
    expect(r.stdout).toContain(join('osv', 'bad1', 'MAL-2.json'));
    expect(r.stdout).toContain(join('osv', 'bad2', 'MAL-3.json'));
    rmSync(join(dir, 'osv', 'bad1'), { recursive: true });
    rmSync(join(dir, 'osv', 'bad2'), { recursive: true });
    const ok = lifeguard(dir, 'feeds', 'verify', 'osv');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 file, 1 record, ok');
    expect(lifeguard(dir, 'feeds').code).toBe(2);
  });
});

describe('lifeguard check on hostile lockfiles', () => {
  // A dependency named `__proto__` is a dependency like any other: its exotic source is refused.
  it('keeps a dependency named __proto__ in pnpm-lock.yaml and yarn.lock', () => {
    const pnpmLock = `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      parent:\n        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n\n  parent@1.0.0:\n    resolution: {integrity: sha512-x}\n\nsnapshots:\n\n  parent@1.0.0:\n    dependencies:\n      __proto__: https://evil.test/x.tgz\n`;
    const r1 = lifeguard(project({ 'pnpm-lock.yaml': pnpmLock }), 'check');
    expect(r1.code, r1.stdout + r1.stderr).toBe(1);
    expect(r1.stdout).toContain('LIFEGUARD_SOURCE');
    const yarnLock = `__metadata:\n  version: 8\n\n"parent@npm:1.0.0":\n  version: 1.0.0\n  resolution: "parent@npm:1.0.0"\n  dependencies:\n    __proto__: "https://evil.test/x.tgz"\n  checksum: abc\n  languageName: node\n  linkType: hard\n`;
    const r2 = lifeguard(project({ 'yarn.lock': yarnLock }), 'check');
    expect(r2.code, r2.stdout + r2.stderr).toBe(1);
    expect(r2.stdout).toContain('LIFEGUARD_SOURCE');
  });
});
