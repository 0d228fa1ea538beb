import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { policyOf } from './test-policy';
import { typosquatCheck } from './typosquat';

const check = (json: object, facts: Parameters<typeof typosquatCheck>[0]) => typosquatCheck(facts, { policy: policyOf(json) });

describe('typosquat check', () => {
  it('refuses a high-confidence look-alike with the fields other tools read, and the exact ignore line', () => {
    const [f] = check({}, { name: 'cross_env', version: '1.0.0' });
    expect(f).toMatchObject({ code: 'LIFEGUARD_TYPOSQUAT', action: 'refuse', severity: 'high' });
    expect(f!.details).toMatchObject({ imitates: 'cross-env', technique: 'separator', confidence: 'high', snapshot: '2026-03' });
    expect(f!.details!.targetDownloads).toBeGreaterThan(1_000_000);
    expect(f!.details).not.toHaveProperty('downloads'); // not an established name
    expect(f!.message).toContain('downloads a month in the 2026-03 snapshot');
    expect(f!.fix).toContain('"typosquat": { "ignore": ["cross_env"] }');
  });

  it('says the same about a name whatever came before it (outcomes and wording are remembered, boundedly)', () => {
    const first = check({}, { name: 'cross_env', version: '1.0.0', requiredBy: ['app'] });
    // More distinct names than either memory holds, so both are emptied on the way.
    for (let i = 0; i < 5000; i++) check({}, { name: `lodash-x${i}`, version: '1.0.0' });
    const again = check({}, { name: 'cross_env', version: '2.0.0' });
    expect(again[0]!.message).toBe(first[0]!.message.replace('cross_env@1.0.0', 'cross_env@2.0.0').replace(' (pulled in by app)', ''));
    expect(again[0]!.details).toEqual(first[0]!.details);
    const next = check({}, { name: 'cross_env', version: '2.0.1' });
    expect(next[0]!.details).toEqual(again[0]!.details);
    expect(next[0]!.details).not.toBe(again[0]!.details); // each finding has its own details object
    expect(check({}, { name: 'lodash-x3', version: '1.0.0' })).toEqual(check({}, { name: 'lodash-x3', version: '1.0.0' }));
  });

  it('warns on a medium-confidence look-alike, and refuses it when it runs install scripts', () => {
    const [warn] = check({}, { name: 'plain-crypto-js', version: '4.2.1', scripts: { test: 'x' } });
    expect(warn).toMatchObject({ action: 'warn', severity: 'medium', details: { imitates: 'crypto-js', technique: 'extra-word', confidence: 'medium' } });
    const [refuse] = check({}, { name: 'plain-crypto-js', version: '4.2.1', scripts: { postinstall: 'node setup.js' } });
    expect(refuse).toMatchObject({ action: 'refuse', details: { confidence: 'medium' } });
    expect(refuse!.message).toContain('runs install scripts (postinstall)');
    expect(check({}, { name: 'plain-crypto-js', version: '4.2.1', hasInstallScript: true })[0]?.action).toBe('refuse');
    expect(check({}, { name: 'plain-crypto-js', version: '4.2.1', hasBindingGyp: true, scripts: {} })[0]?.action).toBe('refuse');
  });

  it('typosquat.action "warn" never refuses, even with install scripts', () => {
    expect(check({ typosquat: { action: 'warn' } }, { name: 'cross_env', version: '1.0.0' })[0]?.action).toBe('warn');
    expect(check({ typosquat: { action: 'warn' } }, { name: 'plain-crypto-js', version: '1.0.0', scripts: { postinstall: 'x' } })[0]?.action).toBe('warn');
  });

  it("leaves the project's own code alone: workspaces and packages from its own directories", () => {
    expect(check({}, { name: 'cross_env', version: '1.0.0' })).toHaveLength(1);
    expect(check({}, { name: 'cross_env', version: '1.0.0', workspace: true })).toEqual([]);
    expect(check({}, { name: 'cross_env', version: '1.0.0', source: 'file', local: true })).toEqual([]);
    // A published package's own file: dependency is not the project's choice: judged by name.
    expect(check({}, { name: 'cross_env', version: '1.0.0', source: 'file' })).toHaveLength(1);
  });

  it('spares established look-alikes and says nothing about them', () => {
    expect(check({}, { name: 'raven-js', version: '3.27.2' })).toEqual([]);
  });

  it('typosquat.ignore and packages.trust match any letter case', () => {
    expect(check({ typosquat: { ignore: ['Cross_Env'] } }, { name: 'cross_env', version: '1.0.0' })).toEqual([]);
    expect(check({ typosquat: { ignore: ['express'] } }, { name: 'Express', version: '1.0.0' })).toEqual([]);
    expect(check({ packages: { trust: ['CROSS_ENV'] } }, { name: 'cross_env', version: '1.0.0' })).toEqual([]);
  });

  it('flags upper-case variants of popular names', () => {
    for (const name of ['Express', 'CROSS-ENV', '@types/Node']) expect(check({}, { name, version: '1.0.0' })[0]?.action, name).toBe('refuse');
  });

  it('packages.deny wins over the snapshot: an established name is still refused when denied', () => {
    const v = evaluate(policyOf({ packages: { deny: ['CrossEnv'] } }), { name: 'crossenv', version: '6.1.1' });
    expect(v.decision).toBe('refuse');
    expect(v.findings.map((f) => f.code)).toEqual(['LIFEGUARD_DENY']);
  });
});
