import { describe, expect, it } from 'vitest';
import { scriptsCheck } from './scripts';
import { policyOf } from './test-policy';

const pkg = (name: string, version: string, scripts?: Record<string, string>, extra: object = {}) => ({ name, version, scripts, ...extra });

describe('lifecycle scripts', () => {
  const policy = policyOf({
    scripts: { allow: ['esbuild', '@swc/core@^1.7.0', 'nx'], deny: ['nx@21.5.0 || 21.6.0'] },
  });

  it('skips unapproved install scripts and says how to approve them', () => {
    const [f] = scriptsCheck(pkg('sharp', '0.33.5', { install: 'node install/check' }), { policy });
    expect(f?.action).toBe('skip-scripts');
    expect(f?.message).toContain('(install)');
    expect(f?.fix).toBe('add "sharp@0.33.5" to "scripts.allow" in lifeguard.json');
  });

  it('runs approved scripts (name, range)', () => {
    expect(scriptsCheck(pkg('esbuild', '0.25.0', { postinstall: 'node install.js' }), { policy })).toEqual([]);
    expect(scriptsCheck(pkg('@swc/core', '1.7.26', { postinstall: 'node postinstall.js' }), { policy })).toEqual([]);
    expect(scriptsCheck(pkg('@swc/core', '1.6.0', { postinstall: 'node postinstall.js' }), { policy })).toHaveLength(1);
  });

  it('lets scripts.deny win over scripts.allow', () => {
    const [f] = scriptsCheck(pkg('nx', '21.5.0', { postinstall: 'node telemetry.js' }), { policy });
    expect(f?.rule).toBe('scripts.deny');
    expect(scriptsCheck(pkg('nx', '21.4.0', { postinstall: 'node telemetry.js' }), { policy })).toEqual([]);
  });

  it('counts the implicit node-gyp rebuild of binding.gyp', () => {
    const [f] = scriptsCheck(pkg('native', '1.0.0', {}, { hasBindingGyp: true }), { policy });
    expect(f?.details?.lifecycle).toEqual(['node-gyp rebuild']);
    expect(scriptsCheck(pkg('native', '1.0.0', { install: 'prebuild-install' }, { hasBindingGyp: true }), { policy })[0]?.details?.lifecycle).toEqual(['install']);
  });

  it('counts prepare for git dependencies only', () => {
    expect(scriptsCheck(pkg('g', '1.0.0', { prepare: 'tsc' }), { policy })).toEqual([]);
    expect(scriptsCheck(pkg('g', '1.0.0', { prepare: 'tsc' }, { source: 'git' }), { policy })[0]?.details?.lifecycle).toEqual(['prepare']);
  });

  it('uses hasInstallScript when scripts are unknown', () => {
    expect(scriptsCheck(pkg('x', '1.0.0', undefined, { hasInstallScript: true }), { policy })).toHaveLength(1);
    expect(scriptsCheck(pkg('x', '1.0.0', undefined), { policy })).toEqual([]);
  });

  it('ignores empty scripts, other scripts and workspace packages', () => {
    expect(scriptsCheck(pkg('x', '1.0.0', { postinstall: ' ', test: 'vitest', prepublishOnly: 'x' }), { policy })).toEqual([]);
    expect(scriptsCheck(pkg('x', '1.0.0', { postinstall: 'node x' }, { workspace: true }), { policy })).toEqual([]);
  });

  it('refuses with unapproved "refuse", allows with "run"', () => {
    expect(scriptsCheck(pkg('x', '1.0.0', { postinstall: 'node x' }), { policy: policyOf({ scripts: { unapproved: 'refuse' } }) })[0]?.action).toBe('refuse');
    expect(scriptsCheck(pkg('x', '1.0.0', { postinstall: 'node x' }), { policy: policyOf({ scripts: { unapproved: 'run' } }) })).toEqual([]);
  });

  it('handles hostile manifests', () => {
    const scripts = JSON.parse('{"__proto__":{"postinstall":"x"},"postinstall":"node a"}') as Record<string, string>;
    expect(scriptsCheck(pkg('x', '1.0.0', scripts), { policy })[0]?.details?.lifecycle).toEqual(['postinstall']);
    expect(scriptsCheck(pkg('x', '1.0.0', { postinstall: 42 as unknown as string }), { policy })).toEqual([]);
  });
});
