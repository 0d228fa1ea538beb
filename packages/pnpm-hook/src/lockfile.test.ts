import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultPolicy, evaluate } from '@lifeguard/core';
import { parseLockfileText, readLockfileObject, readLockfileText, wantedKeys } from './lockfile';

// pnpm 12's in-memory shape: importers with { specifier, version }, packages + snapshots apart.
const LOCK = {
  importers: {
    '.': {
      dependencies: {
        keep: { specifier: '^1.0.0', version: '1.0.0' },
        gone: { specifier: '1.0.0', version: '1.0.0' },
        alias: { specifier: 'npm:real@^2.0.0', version: 'real@2.0.0' },
      },
    },
  },
  packages: { 'keep@1.0.0': {}, 'child@1.0.0': {}, 'gone@1.0.0': {}, 'only-gone@1.0.0': {}, 'real@2.0.0': {} },
  snapshots: {
    'keep@1.0.0': { dependencies: { child: '1.0.0' } },
    'gone@1.0.0': { dependencies: { 'only-gone': '1.0.0', child: '1.0.0' } },
  },
};

describe('wantedKeys', () => {
  const packages = readLockfileObject(LOCK);

  it('walks from the dependencies package.json still declares, with the same specifier', () => {
    const wanted = wantedKeys(LOCK, packages, () => ({ keep: '^1.0.0', alias: 'npm:real@^2.0.0' }));
    expect([...(wanted ?? [])].sort()).toEqual(['child@1.0.0', 'keep@1.0.0', 'real@2.0.0']);
  });

  it('drops a dependency whose specifier changed (it is resolved again, through readPackage)', () => {
    const wanted = wantedKeys(LOCK, packages, () => ({ keep: '^1.0.0', gone: '^2.0.0' }));
    expect(wanted?.has('gone@1.0.0')).toBe(false);
  });

  it('keeps everything when an importer manifest cannot be read (fail closed)', () => {
    expect(wantedKeys(LOCK, packages, () => undefined)?.size).toBe(5);
  });

  it('reads pnpm 10 importers (specifiers + version maps)', () => {
    const v10 = { importers: { '.': { specifiers: { keep: '^1.0.0' }, dependencies: { keep: '1.0.0' } } }, packages: { 'keep@1.0.0': { dependencies: { child: '1.0.0' } }, 'child@1.0.0': {} } };
    expect([...(wantedKeys(v10, readLockfileObject(v10), () => ({ keep: '^1.0.0' })) ?? [])].sort()).toEqual(['child@1.0.0', 'keep@1.0.0']);
  });

  it('is undefined without importers, so the caller checks every package', () => {
    expect(wantedKeys({ packages: {} }, [], () => ({}))).toBeUndefined();
  });
});

// What pnpm 11/12 write: a config-dependency document first, peers in keys, every source kind.
const TEXT = `---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies: {}

---
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      '@scope/peer-user':
        specifier: ^1.0.0
        version: 1.2.0(react@18.3.1)
      from-git:
        specifier: github:acme/from-git#v1
        version: https://codeload.github.com/acme/from-git/tar.gz/0123abc
      local:
        specifier: file:../local
        version: file:../local
      react:
        specifier: '>=18'
        version: 18.3.1
    devDependencies:
      tarred:
        specifier: https://example.test/tarred-1.0.0.tgz
        version: https://example.test/tarred-1.0.0.tgz

  packages/app:
    dependencies:
      ws-lib:
        specifier: workspace:*
        version: link:../ws-lib

packages:

  '@scope/peer-user@1.2.0':
    resolution: {integrity: sha512-abc==}
    peerDependencies:
      react: '>=17'
    peerDependenciesMeta:
      react:
        optional: true

  from-git@https://codeload.github.com/acme/from-git/tar.gz/0123abc:
    resolution: {tarball: https://codeload.github.com/acme/from-git/tar.gz/0123abc}
    version: 1.0.0

  local@file:../local:
    resolution: {directory: ../local, type: directory}
    name: local
    version: 0.1.0

  react@18.3.1:
    resolution: {integrity: sha512-def==}
    engines: {node: '>=0.10.0'}

  tarred@https://example.test/tarred-1.0.0.tgz:
    resolution: {tarball: https://example.test/tarred-1.0.0.tgz}
    version: 1.0.0

  __proto__@1.0.0:
    resolution: {integrity: sha512-ghi==}

snapshots:

  '@scope/peer-user@1.2.0(react@18.3.1)':
    dependencies:
      react: 18.3.1
      __proto__: 1.0.0
    optionalDependencies:
      tarred: https://example.test/tarred-1.0.0.tgz
    transitivePeerDependencies:
      - supports-color

  from-git@https://codeload.github.com/acme/from-git/tar.gz/0123abc: {}

  local@file:../local: {}

  react@18.3.1: {}

  tarred@https://example.test/tarred-1.0.0.tgz:
    optional: true

  __proto__@1.0.0: {}
`;

/** Both readings, with the YAML one merged over its documents the way the text reader reads them. */
function bothWays(text: string) {
  const docs = text.split(/^---$/m).filter((d) => d.trim() !== '').map((d) => parse(d) as Record<string, Record<string, unknown>>);
  const merged: Record<string, Record<string, unknown>> = { importers: {}, packages: {}, snapshots: {} };
  for (const d of docs) for (const k of ['importers', 'packages', 'snapshots']) Object.assign(merged[k]!, d[k] ?? {});
  return { text: parseLockfileText(text), yaml: merged };
}

describe('parseLockfileText', () => {
  it('reads what a YAML parser reads from a pnpm 11/12 lockfile with every source kind', () => {
    const { text, yaml } = bothWays(TEXT);
    expect(readLockfileObject(text)).toEqual(readLockfileObject(yaml));
    const declared = () => ({ '@scope/peer-user': '^1.0.0', 'from-git': 'github:acme/from-git#v1', local: 'file:../local', react: '>=18', tarred: 'https://example.test/tarred-1.0.0.tgz' });
    expect(wantedKeys(text, readLockfileObject(text), declared)).toEqual(wantedKeys(yaml, readLockfileObject(yaml), declared));
    const packages = readLockfileObject(text);
    expect(packages.map((p) => `${p.name}@${p.version} ${p.source}`)).toEqual([
      '@scope/peer-user@1.2.0 registry',
      'from-git@1.0.0 tarball',
      'local@0.1.0 file',
      'react@18.3.1 registry',
      'tarred@1.0.0 tarball',
      '__proto__@1.0.0 registry',
    ]);
    expect(packages[0]!.dependencies).toEqual(JSON.parse('{"react":"18.3.1","__proto__":"1.0.0","tarred":"https://example.test/tarred-1.0.0.tgz"}'));
  });

  it('reads this repository\'s own pnpm-lock.yaml as a YAML parser does', () => {
    const lock = readFileSync(join(__dirname, '../../../pnpm-lock.yaml'), 'utf8');
    const { text, yaml } = bothWays(lock);
    const packages = readLockfileObject(text);
    expect(packages.length).toBeGreaterThan(100);
    expect(packages).toEqual(readLockfileObject(yaml));
    const all = () => undefined;
    expect(wantedKeys(text, packages, all)).toEqual(wantedKeys(yaml, readLockfileObject(yaml), all));
    expect(readLockfileText(lock)).toEqual(packages.map(({ dependencies: _, ...p }) => p));
  });

  it('never throws on a hostile or broken lockfile, and keeps odd keys as data', () => {
    const hostile = [
      'packages:\n  "unterminated@1.0.0:\n    resolution: {integrity: x}\n',
      'packages:\n  "bad\\escape@1.0.0":\n    resolution: {integrity: x}\n',
      `packages:\n  '${'a'.repeat(100_000)}@1.0.0':\n    resolution: {integrity: x}\n`,
      'importers:\n  .:\n    dependencies:\n      constructor:\n        specifier: 1.0.0\n        version: 1.0.0\npackages:\n  constructor@1.0.0:\n    resolution: {}\nsnapshots:\n  constructor@1.0.0:\n    dependencies:\n      __proto__: 1.0.0\n',
      '\u0000\u0001:::\n  :\n    :\n      - - -\n',
    ];
    for (const text of hostile) expect(() => readLockfileObject(parseLockfileText(text))).not.toThrow();
    const odd = readLockfileObject(parseLockfileText(hostile[3]!));
    expect(odd).toEqual([{ key: 'constructor@1.0.0', name: 'constructor', version: '1.0.0', source: 'registry', dependencies: JSON.parse('{"__proto__":"1.0.0"}') as Record<string, string> }]);
    expect(wantedKeys(parseLockfileText(hostile[3]!), odd, () => ({ constructor: '1.0.0' }))).toEqual(new Set(['constructor@1.0.0']));
  });

  it('reads nothing from an empty or foreign text', () => {
    expect(readLockfileText('')).toEqual([]);
    expect(readLockfileText('not: a lockfile\n  - at all\n')).toEqual([]);
  });
});

describe('sources as the project chose them', () => {
  const exotic = (text: string) =>
    readLockfileObject(parseLockfileText(text)).flatMap((p) =>
      evaluate(defaultPolicy(), p).findings.filter((f) => f.code === 'LIFEGUARD_SOURCE').map((f) => `${p.name}:${String(f.details?.dependency)}`),
    );

  it("finds no exotic source in real projects' overrides, peers on workspace packages and file: fixtures", () => {
    for (const project of ['vite', 'svelte', 'lexical', 'vue-core', 'umami', 'pnpm']) {
      expect(exotic(readFileSync(join(__dirname, `../../../test/eval/corpus/${project}/pnpm-lock.yaml`), 'utf8')), project).toEqual([]);
    }
  });

  it("still finds a published package's own link:, and one an override did not write", () => {
    const text = `lockfileVersion: '9.0'
overrides:
  sharp: link:./stubs/empty
importers:
  .:
    dependencies:
      pub:
        specifier: ^1.0.0
        version: 1.0.0
packages:
  pub@1.0.0:
    resolution: {integrity: sha512-aaa}
snapshots:
  pub@1.0.0:
    dependencies:
      sharp: link:stubs/empty
      evil: link:../../home/user
      other: link:stubs/empty
`;
    expect(exotic(text)).toEqual(['pub:evil', 'pub:other']);
  });
});

