import { describe, expect, it } from 'vitest';
import { isSpecProblem, NameSet, parsePackageSpec, SpecList, type PackageSpec } from './spec';

const spec = (raw: string): PackageSpec => {
  const s = parsePackageSpec(raw);
  if (isSpecProblem(s)) throw new Error(s.expected);
  return s;
};

describe('package specs', () => {
  it('splits the version at the last @ that is not the first character', () => {
    expect([spec('@swc/core@^1.7.0').name, spec('@swc/core@^1.7.0').range]).toEqual(['@swc/core', '^1.7.0']);
    expect([spec('@acme/*').name, spec('@acme/*').range]).toEqual(['@acme/*', undefined]);
    expect([spec('lodash').name, spec('lodash').range]).toEqual(['lodash', undefined]);
    expect(spec('nx@21.5.0 || 21.6.0').range).toBe('21.5.0 || 21.6.0');
  });

  it('matches names, globs and ranges', () => {
    expect(spec('esbuild').matches('esbuild', '0.25.0')).toBe(true);
    expect(spec('esbuild').matches('esbuild-wasm', '0.25.0')).toBe(false);
    expect(spec('@acme/*').matches('@acme/a', '1.0.0')).toBe(true);
    expect(spec('@acme/*').matches('@acme', '1.0.0')).toBe(false);
    expect(spec('@types/*').matches('@typess/node', '1.0.0')).toBe(false);
    expect(spec('esbuild@^0.25.0').matches('esbuild', '0.25.9')).toBe(true);
    expect(spec('esbuild@^0.25.0').matches('esbuild', '0.26.0')).toBe(false);
    expect(spec('nx@21.5.0 || 21.6.0').matches('nx', '21.6.0')).toBe(true);
    expect(spec('nx@21.5.0 || 21.6.0').matches('nx', '21.5.1')).toBe(false);
  });

  it('never lets a range match a version that is not semver (git commits, URLs)', () => {
    expect(spec('foo@*').matches('foo', 'github.com/a/b#c0ffee')).toBe(false);
    expect(spec('foo@^1.0.0').matches('foo', undefined)).toBe(false);
  });

  it('matches prereleases inside the range', () => {
    expect(spec('foo@^1.0.0').matches('foo', '1.2.0-beta.1')).toBe(true);
  });

  it('rejects bad specs instead of matching nothing', () => {
    for (const bad of ['', ' esbuild', 'esbuild@', 'a b', 'foo@>>1', 'foo@not-a-range', 'x'.repeat(600)]) {
      expect(isSpecProblem(parsePackageSpec(bad)), bad).toBe(true);
    }
  });

  it('SpecList finds exact names fast and globs in order', () => {
    const list = new SpecList([spec('a@1.0.0'), spec('@s/*'), spec('a@2.0.0')]);
    expect(list.find('a', '2.0.0')?.raw).toBe('a@2.0.0');
    expect(list.find('a', '3.0.0')).toBeUndefined();
    expect(list.find('@s/x', '1.0.0')?.raw).toBe('@s/*');
    expect(list.forName('a').map((s) => s.raw)).toEqual(['a@1.0.0', 'a@2.0.0']);
    expect(list.find('__proto__', '1.0.0')).toBeUndefined();
  });
});

describe('names ignore letter case (mirrors serve `Express`; case-insensitive file systems load it)', () => {
  it('exact names and globs', () => {
    const exact = parsePackageSpec('Event-Stream@3.3.6') as PackageSpec;
    expect(exact.matches('event-stream', '3.3.6')).toBe(true);
    expect((parsePackageSpec('@ACME/*') as PackageSpec).matches('@acme/widgets')).toBe(true);
    expect((parsePackageSpec('@acme/*') as PackageSpec).matches('@Acme/Widgets')).toBe(true);
    const list = new SpecList([exact, parsePackageSpec('esbuild') as PackageSpec]);
    expect(list.find('EVENT-STREAM', '3.3.6')?.raw).toBe('Event-Stream@3.3.6');
    expect(list.find('ESBuild', '1.0.0')?.raw).toBe('esbuild');
    expect(list.forName('Esbuild').map((s) => s.raw)).toEqual(['esbuild']);
  });
  it('NameSet', () => {
    const s = new NameSet(['Cross_Env']);
    expect(s.has('cross_env')).toBe(true);
    expect(s.has('CROSS_ENV')).toBe(true);
    expect(s.has('cross-env')).toBe(false);
  });
});
