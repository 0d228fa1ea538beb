import { describe, expect, it } from 'vitest';
import { readNpmLock } from './npm';

const LOCK = JSON.stringify({
  name: 'app',
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', workspaces: ['packages/a'], dependencies: { native: '^1.0.0' } },
    'packages/a': { name: 'a', version: '1.0.0' },
    'node_modules/a': { resolved: 'packages/a', link: true },
    'node_modules/native': {
      version: '1.0.0',
      resolved: 'https://registry.npmjs.org/native/-/native-1.0.0.tgz',
      hasInstallScript: true,
      dependencies: { inner: '^2.0.0', remote: 'https://evil.test/r.tgz' },
    },
    'node_modules/native/node_modules/inner': { version: '2.1.0', resolved: 'https://registry.npmjs.org/inner/-/inner-2.1.0.tgz' },
    'node_modules/remote': { version: '0.0.1', resolved: 'https://evil.test/r.tgz' },
    'node_modules/g': { version: '1.0.0', resolved: 'git+ssh://git@github.com/a/g.git#c0ffee' },
  },
});

describe('package-lock.json v3', () => {
  const tree = readNpmLock(LOCK, 'package-lock.json');
  const get = (name: string) => tree.packages.find((p) => p.name === name);

  it('reads installed packages with their facts', () => {
    expect(get('native')).toMatchObject({ version: '1.0.0', source: 'registry', hasInstallScript: true, requiredBy: [] });
    expect(get('native')?.dependencies?.remote).toBe('https://evil.test/r.tgz');
    expect(get('inner')).toMatchObject({ version: '2.1.0', requiredBy: ['native'], via: ['native@1.0.0'] });
    // Hoisted: installed at the top, pulled in by `native` (the dependency chain, not the install path).
    expect(get('remote')).toMatchObject({ requiredBy: [], via: ['native@1.0.0'] });
    expect(get('native')?.via).toEqual([]);
    expect(get('remote')?.source).toBe('tarball');
    expect(get('g')?.source).toBe('git');
  });

  it('marks workspaces and skips links to them', () => {
    expect(tree.packages.filter((p) => p.name === 'a')).toEqual([{ name: 'a', version: '1.0.0', workspace: true, source: 'workspace' }]);
  });

  it('rejects an unknown lockfileVersion and bad JSON clearly', () => {
    expect(() => readNpmLock('{"lockfileVersion":"3"}', 'package-lock.json')).toThrow(/lockfileVersion "3" is not supported/);
    expect(() => readNpmLock('{', 'package-lock.json')).toThrow(/not valid JSON/);
  });
});
