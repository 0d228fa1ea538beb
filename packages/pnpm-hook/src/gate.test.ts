import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy, pnpmBuildGate } from '@lifeguard/core';
import { applyBuildGate, applyReleaseAge, parseUserAgent } from './gate';
import { readLockfileObject, readLockfileText, splitKey } from './lockfile';

const policy = (json: unknown) => compilePolicy(parsePolicy(JSON.stringify(json), '/p/lifeguard.json'));

const LOCK = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      esbuild:
        specifier: ^0.25.0
        version: 0.25.1

packages:

  '@swc/core@1.7.2':
    resolution: {integrity: sha512-x}

  '@swc/core@1.6.0':
    resolution: {integrity: sha512-y}

  esbuild@0.25.1:
    resolution: {integrity: sha512-z}
    hasBin: true

  nx@21.5.0:
    resolution: {integrity: sha512-n}

  tarpkg@https://example.test/tarpkg-1.0.0.tgz:
    resolution: {tarball: https://example.test/tarpkg-1.0.0.tgz}
    version: 1.0.0

snapshots:

  '@swc/core@1.7.2(react@18.0.0)': {}
`;

describe('lockfile reading', () => {
  it('reads packages from pnpm-lock.yaml text', () => {
    const pkgs = readLockfileText(LOCK);
    expect(pkgs.map((p) => `${p.name}@${p.version}:${p.source}`)).toEqual([
      '@swc/core@1.7.2:registry',
      '@swc/core@1.6.0:registry',
      'esbuild@0.25.1:registry',
      'nx@21.5.0:registry',
      'tarpkg@1.0.0:tarball',
    ]);
    expect(pkgs[4]!.key).toBe('tarpkg@https://example.test/tarpkg-1.0.0.tgz');
  });

  it('splits keys with scopes and peer suffixes', () => {
    expect(splitKey('@a/b@1.0.0(react@18.0.0)')).toEqual({ name: '@a/b', version: '1.0.0' });
    expect(splitKey('/left-pad@1.3.0')).toEqual({ name: 'left-pad', version: '1.3.0' });
  });

  it('reads the in-memory lockfile of pnpm 12 (packages + snapshots) and pnpm 10 (merged)', () => {
    const v12 = readLockfileObject({
      packages: { 'a@1.0.0': { resolution: { integrity: 'x' } } },
      snapshots: { 'a@1.0.0': { dependencies: { b: 'https://h/b.tgz' } } },
    });
    expect(v12).toEqual([{ key: 'a@1.0.0', name: 'a', version: '1.0.0', source: 'registry', dependencies: { b: 'https://h/b.tgz' } }]);
    const v10 = readLockfileObject({ packages: { 'a@1.0.0(p@1.0.0)': { resolution: { integrity: 'x' }, dependencies: { c: '2.0.0' } } } });
    expect(v10[0]).toMatchObject({ name: 'a', version: '1.0.0', dependencies: { c: '2.0.0' } });
  });
});

describe('build gate', () => {
  const locked = readLockfileText(LOCK);

  it('expands ranges against the lockfile, passes bare names through, deny wins', () => {
    const p = policy({
      scripts: { allow: ['esbuild', '@swc/core@^1.7.0', 'nx', 'tarpkg'], deny: ['nx@21.5.0 || 21.6.0'] },
    });
    const gate = pnpmBuildGate(p, locked);
    expect(gate.allowBuilds).toEqual({
      esbuild: true,
      '@swc/core@1.7.2': true,
      'nx@21.5.0': false,
      tarpkg: true, // registry versions, by bare name
      'tarpkg@https://example.test/tarpkg-1.0.0.tgz': true, // the tarball package needs its full key
    });
    expect(gate.allowAll).toBe(false);
  });

  it('writes allowBuilds for pnpm 11/12 and onlyBuiltDependencies for pnpm 10', () => {
    const p = policy({ scripts: { allow: ['esbuild'], deny: ['nx'] } });
    const gate = pnpmBuildGate(p, locked);
    const c12: Record<string, unknown> = { allowBuilds: { evil: true }, dangerouslyAllowAllBuilds: true, neverBuiltDependencies: [] };
    applyBuildGate(c12, gate, p, parseUserAgent('pnpm/12.21.0 npm/? node/? linux x64'));
    expect(c12).toEqual({ allowBuilds: { esbuild: true, nx: false }, dangerouslyAllowAllBuilds: false, strictDepBuilds: false });
    const c10: Record<string, unknown> = { onlyBuiltDependencies: ['evil'], onlyBuiltDependenciesFile: 'x.json', allowBuilds: {} };
    applyBuildGate(c10, gate, p, parseUserAgent('pnpm/10.34.9 npm/? node/v20.20.2 linux x64'));
    expect(c10).toEqual({ onlyBuiltDependencies: ['esbuild'], ignoredBuiltDependencies: ['nx'], dangerouslyAllowAllBuilds: false, strictDepBuilds: false });
  });

  it('unapproved "refuse" turns on strictDepBuilds', () => {
    const p = policy({ scripts: { unapproved: 'refuse' } });
    const c: Record<string, unknown> = {};
    applyBuildGate(c, pnpmBuildGate(p, locked), p, parseUserAgent('pnpm/12.21.0'));
    expect(c.strictDepBuilds).toBe(true);
  });

  it('maps releaseAge to minimumReleaseAge and its exclude list', () => {
    const p = policy({ releaseAge: { minimum: '3d', exclude: ['@acme/*', 'lodash@4.17.21', 'react@^18'] } });
    const c: Record<string, unknown> = {};
    applyReleaseAge(c, p);
    expect(c).toEqual({ minimumReleaseAge: 4320, minimumReleaseAgeExclude: ['@acme/*', 'lodash@4.17.21', 'react'] });
  });
});
