import { describe, expect, it } from 'vitest';
import { readPnpmLock } from './pnpm';

// One tree written by pnpm 8 (v6) and as pnpm 9 converts it (v9): registry packages with peers,
// an alias, a GitHub tarball, a `file:` directory, and a project that is not a workspace.
const V6 = `lockfileVersion: '6.0'

dependencies:
  left-pad:
    specifier: ^1.3.0
    version: 1.3.0
  react-dom:
    specifier: ^18.0.0
    version: 18.2.0(react@18.2.0)
  bar:
    specifier: github:foo/bar#abc
    version: github.com/foo/bar/abc
  local:
    specifier: file:packages/local
    version: file:packages/local
  string-width-cjs:
    specifier: npm:string-width@^4.2.0
    version: /string-width@4.2.3

packages:

  /left-pad@1.3.0:
    resolution: {integrity: sha512-a}
    dev: false

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-b}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0
    dev: false

  /react@18.2.0:
    resolution: {integrity: sha512-c}
    dependencies:
      loose-envify: 1.4.0

  /loose-envify@1.4.0:
    resolution: {integrity: sha512-d}
    hasBin: true

  /string-width@4.2.3:
    resolution: {integrity: sha512-e}

  github.com/foo/bar/abc:
    resolution: {tarball: https://codeload.github.com/foo/bar/tar.gz/abc}
    name: bar
    version: 1.0.0
    requiresBuild: true
    dependencies:
      left-pad: 1.3.0

  file:packages/local:
    resolution: {directory: packages/local, type: directory}
    name: local
    dependencies:
      bar: github.com/foo/bar/abc
`;

const V9 = `lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      left-pad: {specifier: ^1.3.0, version: 1.3.0}
      react-dom: {specifier: ^18.0.0, version: 18.2.0(react@18.2.0)}
      bar: {specifier: github:foo/bar#abc, version: https://codeload.github.com/foo/bar/tar.gz/abc}
      local: {specifier: file:packages/local, version: file:packages/local}
      string-width-cjs: {specifier: npm:string-width@^4.2.0, version: string-width@4.2.3}

packages:
  left-pad@1.3.0:
    resolution: {integrity: sha512-a}
  react-dom@18.2.0:
    resolution: {integrity: sha512-b}
    peerDependencies: {react: ^18.2.0}
  react@18.2.0:
    resolution: {integrity: sha512-c}
  loose-envify@1.4.0:
    resolution: {integrity: sha512-d}
    hasBin: true
  string-width@4.2.3:
    resolution: {integrity: sha512-e}
  bar@https://codeload.github.com/foo/bar/tar.gz/abc:
    resolution: {tarball: https://codeload.github.com/foo/bar/tar.gz/abc}
    name: bar
    version: 1.0.0
    requiresBuild: true
  local@file:packages/local:
    resolution: {directory: packages/local, type: directory}
    name: local

snapshots:
  left-pad@1.3.0: {}
  react-dom@18.2.0(react@18.2.0):
    dependencies: {loose-envify: 1.4.0, react: 18.2.0}
  react@18.2.0:
    dependencies: {loose-envify: 1.4.0}
  loose-envify@1.4.0: {}
  string-width@4.2.3: {}
  bar@https://codeload.github.com/foo/bar/tar.gz/abc:
    dependencies: {left-pad: 1.3.0}
  local@file:packages/local:
    dependencies: {bar: https://codeload.github.com/foo/bar/tar.gz/abc}
`;

describe('pnpm-lock.yaml v6 (pnpm 8)', () => {
  const sorted = (text: string) => [...readPnpmLock(text, 'pnpm-lock.yaml').packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  it('reads as the v9 lockfile pnpm 9 converts it to: same packages, sources, edges and parents', () => {
    const v6 = sorted(V6);
    expect(v6.map((p) => `${p.name}@${p.version} ${p.source}`)).toEqual([
      'bar@1.0.0 tarball', 'left-pad@1.3.0 registry', 'local@file:packages/local file', 'loose-envify@1.4.0 registry', 'react@18.2.0 registry', 'react-dom@18.2.0 registry', 'string-width@4.2.3 registry',
    ]);
    expect(v6.find((p) => p.name === 'react')?.requiredBy).toEqual(['react-dom@18.2.0']);
    expect(v6).toEqual(sorted(V9));
  });

  it('still refuses other versions, naming the ones it reads', () => {
    expect(() => readPnpmLock("lockfileVersion: '5.4'\n", 'pnpm-lock.yaml')).toThrow(/lockfileVersion "5.4" is not supported \(expected 6.x or 9.x, written by pnpm 8 and later\)/);
  });
});
