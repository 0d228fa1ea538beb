import { describe, expect, it } from 'vitest';
import { readPnpmLock } from './pnpm';

const LOCK = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:
  .:
    dependencies:
      app-lib:
        specifier: ^1.0.0
        version: 1.0.0(react@18.3.1)
      local:
        specifier: link:../local
        version: link:../local

packages:
  app-lib@1.0.0:
    resolution: {integrity: sha512-aaa}
    peerDependencies:
      react: '*'
  '@lg/dep@https://127.0.0.1:4873/dep.tgz':
    resolution: {tarball: https://127.0.0.1:4873/dep.tgz}
    version: 1.2.0
  gitpkg@git+https://github.com/a/b.git#c0ffee:
    resolution: {type: git, repo: https://github.com/a/b.git, commit: c0ffee}
    version: 0.1.0
  react@18.3.1:
    resolution: {integrity: sha512-bbb}

snapshots:
  app-lib@1.0.0(react@18.3.1):
    dependencies:
      '@lg/dep': https://127.0.0.1:4873/dep.tgz
      gitpkg: git+https://github.com/a/b.git#c0ffee
      react: 18.3.1
  '@lg/dep@https://127.0.0.1:4873/dep.tgz': {}
  gitpkg@git+https://github.com/a/b.git#c0ffee: {}
  react@18.3.1: {}
`;

describe('pnpm-lock.yaml v9', () => {
  const tree = readPnpmLock(LOCK, 'pnpm-lock.yaml');
  const get = (name: string) => tree.packages.find((p) => p.name === name);

  it('reads names, versions and sources', () => {
    expect(tree.packages.map((p) => `${p.name}@${p.version}:${p.source}`).sort()).toEqual([
      '@lg/dep@1.2.0:tarball',
      'app-lib@1.0.0:registry',
      'gitpkg@0.1.0:git',
      'react@18.3.1:registry',
    ]);
  });

  it('gives each package its resolved dependencies (exotic ones as their URL) and peer suffixes stripped', () => {
    expect(get('app-lib')?.dependencies).toEqual({
      '@lg/dep': 'https://127.0.0.1:4873/dep.tgz',
      gitpkg: 'git+https://github.com/a/b.git#c0ffee',
      react: '18.3.1',
    });
  });

  it('finds the shortest path that pulled a package in', () => {
    expect(get('@lg/dep')?.requiredBy).toEqual(['app-lib@1.0.0']);
    expect(get('app-lib')?.requiredBy).toEqual([]);
  });

  it('rejects other lockfile versions and bad YAML clearly', () => {
    expect(() => readPnpmLock("lockfileVersion: '5.4'\n", 'x.yaml')).toThrow(/lockfileVersion "5.4" is not supported/);
    expect(() => readPnpmLock('a: [', 'x.yaml')).toThrow(/x.yaml: not valid YAML/);
  });

  it('reads a lockfile with a config-dependency document, and judges config dependencies like any package', () => {
    const text = `---
lockfileVersion: '9.0'
importers:
  .:
    configDependencies:
      pnpm-plugin-acme:
        specifier: 1.0.0
        version: 1.0.0
packages:
  pnpm-plugin-acme@1.0.0:
    resolution: {integrity: sha512-ccc}
snapshots:
  pnpm-plugin-acme@1.0.0: {}
---
${LOCK}`;
    const tree = readPnpmLock(text, 'pnpm-lock.yaml');
    expect(tree.packages.find((p) => p.name === 'pnpm-plugin-acme')).toMatchObject({ version: '1.0.0', source: 'registry', requiredBy: [] });
    expect(tree.packages).toHaveLength(5);
    expect(() => readPnpmLock(`---\nlockfileVersion: '9.0'\n---\nlockfileVersion: '5.4'\n`, 'x.yaml')).toThrow(/x.yaml: lockfileVersion "5.4" is not supported/);
    expect(() => readPnpmLock(`---\nlockfileVersion: '9.0'\n---\na: [\n`, 'x.yaml')).toThrow(/x.yaml: not valid YAML/);
  });

  it("marks the specs the project chose: its overrides, links to its importers, and the file: directories it names", () => {
    const text = `lockfileVersion: '9.0'
overrides:
  sharp: link:./stubs/empty
importers:
  .:
    dependencies:
      plugin:
        specifier: ^1.0.0
        version: 1.0.0
      fixture:
        specifier: file:fixtures/a
        version: file:fixtures/a
  packages/core:
    dependencies: {}
packages:
  plugin@1.0.0:
    resolution: {integrity: sha512-aaa}
  fixture@file:fixtures/a:
    resolution: {directory: fixtures/a, type: directory}
  nested@file:fixtures/b:
    resolution: {directory: fixtures/b, type: directory}
  vendored@file:vendor/v:
    resolution: {directory: vendor/v, type: directory}
snapshots:
  plugin@1.0.0:
    dependencies:
      core: link:packages/core
      sharp: link:stubs/empty
      elsewhere: link:../outside
      vendored: file:vendor/v
  fixture@file:fixtures/a:
    dependencies:
      nested: file:fixtures/b
  nested@file:fixtures/b:
    dependencies:
      core: link:../../packages/core
  vendored@file:vendor/v:
    dependencies:
      x: link:../x
`;
    const tree = readPnpmLock(text, 'pnpm-lock.yaml');
    const get = (name: string) => tree.packages.find((p) => p.name === name);
    expect(get('plugin')?.projectChosen).toEqual(['core', 'sharp']);
    expect(get('plugin')?.local).toBeUndefined();
    expect(get('fixture')?.local).toBe(true);
    expect(get('nested')?.local).toBe(true);
    // A directory a published package named is its publisher's choice.
    expect(get('vendored')?.local).toBeUndefined();
  });
});

describe('pnpm 11/12 lockfile with a document of its own for config and package-manager dependencies', () => {
  it('reads the packages of every document', () => {
    const text = `---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n    packageManagerDependencies:\n      pnpm:\n        specifier: 12.0.0\n        version: 12.0.0\n\npackages:\n\n  pnpm@12.0.0:\n    resolution: {integrity: sha512-pm}\n\nsnapshots:\n\n  pnpm@12.0.0: {}\n\n---\n${LOCK}`;
    const tree = readPnpmLock(text, 'pnpm-lock.yaml');
    expect(tree.packages.find((p) => p.name === 'pnpm')).toMatchObject({ version: '12.0.0', integrity: 'sha512-pm', requiredBy: [] });
    expect(tree.packages.find((p) => p.name === 'app-lib')?.version).toBe('1.0.0');
  });
});
