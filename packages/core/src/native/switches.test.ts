import { describe, expect, it } from 'vitest';
import { policyOf } from '../checks/test-policy';
import { bunTrustedDependencies, scriptDecisions } from './switches';

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

describe('bunTrustedDependencies (Bun trusts names only)', () => {
  const r = (name: string, version: string) => ({ name, version });
  const locked = [r('esbuild', '0.25.0'), r('esbuild', '0.26.0'), r('sharp', '0.33.5'), r('nx', '21.5.0'), r('plain', '1.0.0')];

  it('lists a name only when every locked release of it is approved', () => {
    const p = policyOf({ scripts: { allow: ['sharp@0.33.5', 'esbuild@^0.25.0', 'nx'] } });
    // esbuild@0.26.0 is not approved: trusting "esbuild" would run its scripts too.
    expect(bunTrustedDependencies(p, locked)).toEqual(['nx', 'sharp']);
  });

  it('adds bare-name approvals not yet locked, never globs, ranges or denied names', () => {
    const p = policyOf({ scripts: { allow: ['later', '@acme/*', 'ranged@^1.0.0', 'nx', 'blocked'], deny: ['nx@21.5.0', 'blocked'] } });
    expect(bunTrustedDependencies(p, locked)).toEqual(['later']);
  });

  it('trusts nothing under the default policy (an explicit [] replaces Bun\'s own default list)', () => {
    expect(bunTrustedDependencies(policyOf({}), locked)).toEqual([]);
  });
});
