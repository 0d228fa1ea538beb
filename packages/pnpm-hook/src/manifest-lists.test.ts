import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy } from '@lifeguard/core';
import { manifestBuildListProblem } from './manifest-lists';

const policy = compilePolicy(parsePolicy(JSON.stringify({ scripts: { allow: ['esbuild', 'sharp@0.33.0'], deny: ['evil'] } }), '/p/lifeguard.json'));
const problem = (pnpm: unknown) => manifestBuildListProblem({ rootProjectManifest: { name: 'p', pnpm } }, policy, '/p/lifeguard.json');

describe("pnpm 10's package.json build lists", () => {
  it('accepts a list of names the policy approves for every version (it only narrows the gate)', () => {
    expect(problem({ onlyBuiltDependencies: ['esbuild'] })).toBeUndefined();
    expect(problem({ overrides: {} })).toBeUndefined();
    expect(manifestBuildListProblem({}, policy, undefined)).toBeUndefined();
  });
  it('refuses names approved only for some versions, or not at all, and lists pnpm cannot combine', () => {
    expect(problem({ onlyBuiltDependencies: ['esbuild', 'sharp', 'evil'] })).toContain('lists sharp, evil, which the policy does not approve');
    expect(problem({ onlyBuiltDependencies: 'esbuild' })).toContain('is not a list of names');
    expect(problem({ neverBuiltDependencies: [] })).toContain('"pnpm.neverBuiltDependencies" in package.json cannot be combined');
    expect(problem({ onlyBuiltDependenciesFile: 'x.json' })).toContain('"scripts.allow" in /p/lifeguard.json');
  });
});
