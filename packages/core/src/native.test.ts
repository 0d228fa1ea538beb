import { describe, expect, it } from 'vitest';
import { bunTrustedDependencies } from './native';
import { compilePolicy, parsePolicy } from './policy/compile';

const policy = (json: unknown) => compilePolicy(parsePolicy(JSON.stringify(json), '/p/lifeguard.json'));
const r = (name: string, version: string) => ({ name, version });

describe('bunTrustedDependencies (Bun trusts names only)', () => {
  const locked = [r('esbuild', '0.25.0'), r('esbuild', '0.26.0'), r('sharp', '0.33.5'), r('nx', '21.5.0'), r('plain', '1.0.0')];

  it('lists a name only when every locked release of it is approved', () => {
    const p = policy({ scripts: { allow: ['sharp@0.33.5', 'esbuild@^0.25.0', 'nx'] } });
    // esbuild@0.26.0 is not approved: trusting "esbuild" would run its scripts too.
    expect(bunTrustedDependencies(p, locked)).toEqual(['nx', 'sharp']);
  });

  it('adds bare-name approvals not yet locked, never globs, ranges or denied names', () => {
    const p = policy({ scripts: { allow: ['later', '@acme/*', 'ranged@^1.0.0', 'nx', 'blocked'], deny: ['nx@21.5.0', 'blocked'] } });
    expect(bunTrustedDependencies(p, locked)).toEqual(['later']);
  });

  it('trusts nothing under the default policy (an explicit [] replaces Bun\'s own default list)', () => {
    expect(bunTrustedDependencies(policy({}), locked)).toEqual([]);
  });
});
