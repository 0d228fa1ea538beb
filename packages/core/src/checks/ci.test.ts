import { describe, expect, it } from 'vitest';
import { scriptsRanFinding } from './scripts-ran';
import { setupFinding } from './setup';
import { policyOf } from './test-policy';

describe('set-up findings (LIFEGUARD_SETUP)', () => {
  it('name the file, the setting and the fix, and are warnings in warn mode', () => {
    const p = { file: '.npmrc', setting: 'ignore-pnpmfile=true', effect: 'pnpm loads no pnpmfile', fix: 'remove the line' };
    expect(setupFinding(policyOf({}), p)).toMatchObject({ code: 'LIFEGUARD_SETUP', action: 'refuse', package: '.npmrc', version: '', message: '.npmrc: ignore-pnpmfile=true: pnpm loads no pnpmfile', fix: 'remove the line' });
    expect(setupFinding(policyOf({ mode: 'warn' }), p).action).toBe('warn');
  });
});

describe('scripts that ran (LIFEGUARD_SCRIPTS_RAN)', () => {
  const policy = policyOf({ scripts: { allow: ['ok@^1.0.0', 'nope'], deny: ['nope@2.0.0'] } });
  it('refuses an unapproved or denied build that ran, not an approved one', () => {
    expect(scriptsRanFinding(policy, 'ok', '1.2.0', 'x')).toBeUndefined();
    expect(scriptsRanFinding(policy, 'ok', '2.0.0', 'pnpm node_modules/.modules.yaml')).toMatchObject({ code: 'LIFEGUARD_SCRIPTS_RAN', action: 'refuse', rule: 'scripts.unapproved' });
    expect(scriptsRanFinding(policy, 'nope', '2.0.0', 'x')?.message).toContain('scripts.deny entry "nope@2.0.0"');
    expect(scriptsRanFinding(policyOf({ scripts: { unapproved: 'run' } }), 'any', '1.0.0', 'x')).toBeUndefined();
    expect(scriptsRanFinding(policyOf({ mode: 'warn' }), 'any', '1.0.0', 'x')?.action).toBe('warn');
  });
});
