import { describe, expect, it } from 'vitest';
import { denyCheck } from './deny';
import { policyOf } from './test-policy';

describe('packages.deny', () => {
  const policy = policyOf({ packages: { deny: ['flatmap-stream', { package: 'event-stream@3.3.6', reason: 'bitcoin wallet theft' }], trust: ['event-stream'] } });

  it('refuses a denied name at any version and a denied release only', () => {
    expect(denyCheck({ name: 'flatmap-stream', version: '0.1.1' }, { policy })[0]?.action).toBe('refuse');
    const [f] = denyCheck({ name: 'event-stream', version: '3.3.6' }, { policy });
    expect(f?.code).toBe('LIFEGUARD_DENY');
    expect(f?.message).toContain('bitcoin wallet theft');
    expect(f?.fix).toBe('remove "event-stream@3.3.6" from "packages.deny" in lifeguard.json');
    expect(denyCheck({ name: 'event-stream', version: '3.3.5' }, { policy })).toEqual([]);
  });

  it('is not exempted by packages.trust', () => {
    expect(denyCheck({ name: 'event-stream', version: '3.3.6' }, { policy })).toHaveLength(1);
  });

  it('names the path that pulled the package in', () => {
    const [f] = denyCheck({ name: 'flatmap-stream', version: '0.1.1', requiredBy: ['app-lib@1.0.0', 'event-stream@3.3.6'] }, { policy });
    expect(f?.message).toContain('pulled in by app-lib@1.0.0 > event-stream@3.3.6');
  });

  it('downgrades to a warning in warn mode', () => {
    const warn = policyOf({ mode: 'warn', packages: { deny: ['flatmap-stream'] } });
    expect(denyCheck({ name: 'flatmap-stream', version: '0.1.1' }, { policy: warn })[0]?.action).toBe('warn');
  });
});
