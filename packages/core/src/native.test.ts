import { describe, expect, it } from 'vitest';
import { policyOf } from './checks/test-policy';
import { scriptDecisions } from './native';

describe('scriptDecisions', () => {
  const policy = policyOf({ scripts: { allow: ['rt-post@1.0.0', 'esbuild'] } });
  const patched = { name: 'rt-post', version: '1.0.0', source: 'patch' as const, resolved: 'patch:rt-post@npm%3A1.0.0#./evil.patch::version=1.0.0&hash=a9&locator=rt-patcher%40npm%3A1.0.0' };

  it('approves exact releases', () => {
    expect(scriptDecisions(policy, [{ name: 'esbuild', version: '0.25.0' }, { name: 'rt-post', version: '1.0.0' }])).toEqual({ approved: ['esbuild@0.25.0', 'rt-post@1.0.0'], denied: [] });
  });

  it('never exports name@version when a patched build of it is in the lockfile: the native key would build the patch too', () => {
    expect(scriptDecisions(policy, [patched]).approved).toEqual([]);
    expect(scriptDecisions(policy, [{ name: 'rt-post', version: '1.0.0' }, patched]).approved).toEqual([]);
  });
});
