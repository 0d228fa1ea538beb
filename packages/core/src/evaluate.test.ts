import { describe, expect, it } from 'vitest';
import { policyOf } from './checks/test-policy';
import { evaluate } from './evaluate';

describe('evaluate', () => {
  const policy = policyOf({ packages: { deny: ['evil-corp-pkg'] }, scripts: { allow: ['good'] } });

  it('refuses when any check refuses, reporting every finding in decision order', () => {
    const v = evaluate(policy, { name: 'evil-corp-pkg', version: '1.0.0', scripts: { postinstall: 'x' }, dependencies: { y: 'github:a/b' } });
    expect(v.decision).toBe('refuse');
    expect(v.findings.map((f) => f.code)).toEqual(['LIFEGUARD_DENY', 'LIFEGUARD_SOURCE', 'LIFEGUARD_SCRIPTS']);
    expect(v.runScripts).toBe(false);
  });

  it('strips unapproved scripts and runs approved ones', () => {
    expect(evaluate(policy, { name: 'other', version: '1.0.0', scripts: { postinstall: 'x' } })).toMatchObject({ decision: 'strip', runScripts: false, lifecycle: ['postinstall'] });
    expect(evaluate(policy, { name: 'good', version: '1.0.0', scripts: { postinstall: 'x' } })).toMatchObject({ decision: 'allow', runScripts: true });
    expect(evaluate(policy, { name: 'plain', version: '1.0.0', scripts: {} })).toMatchObject({ decision: 'allow', findings: [], runScripts: false });
  });

  it('in warn mode refuses and strips nothing but reports everything', () => {
    const warn = policyOf({ mode: 'warn', packages: { deny: ['evil-corp-pkg'] } });
    const v = evaluate(warn, { name: 'evil-corp-pkg', version: '1.0.0', scripts: { postinstall: 'x' } });
    expect(v.decision).toBe('allow');
    expect(v.runScripts).toBe(true);
    expect(v.findings.map((f) => f.action)).toEqual(['warn', 'warn']);
  });

  it('refuses a typosquat of a popular package by default', () => {
    expect(evaluate(policyOf({}), { name: 'cross_env', version: '1.0.0' }).decision).toBe('refuse');
    expect(evaluate(policyOf({}), { name: 'express', version: '4.21.0' }).decision).toBe('allow');
  });
});
