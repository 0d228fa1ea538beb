import { describe, expect, it } from 'vitest';
import { policyOf } from '../checks/test-policy';
import { explainTyposquat } from './explain';

describe('explainTyposquat', () => {
  const policy = policyOf({ typosquat: { ignore: ['cross_env'] } });
  it('says why a name is spared', () => {
    expect(explainTyposquat(policy, 'raven-js')).toMatch(/^spared: established, 550,000 downloads a month in the 2026-03 snapshot .*resembles "raven"/);
    expect(explainTyposquat(policy, 'express')).toMatch(/^a popular package/);
    expect(explainTyposquat(policy, 'Cross_Env')).toBe('listed in typosquat.ignore');
    expect(explainTyposquat(policy, 'some-unknown-package')).toBe('resembles no popular package');
    expect(explainTyposquat(policyOf({ typosquat: { action: 'off' } }), 'crossenv2')).toBe('typosquat.action is "off"');
  });
  it('says why a name is flagged, with the ignore line', () => {
    const s = explainTyposquat(policy, 'cookie_parsr');
    expect(s).toMatch(/^refused: looks like "cookie-parser" \([\d,]+ downloads a month\) by omission, high confidence/);
    expect(s).toContain('"typosquat": { "ignore": ["cookie_parsr"] }');
    expect(explainTyposquat(policy, 'plain-crypto-js')).toMatch(/^warned, and refused when it runs install scripts: .*medium confidence/);
    expect(explainTyposquat(policy, 'Express')).toContain('a case variant needs 20,000 downloads a month');
  });
});
