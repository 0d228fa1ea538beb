import { evaluate } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../../core/src/checks/test-policy';
import { readNpmLock } from './npm';

const NPM = 'https://registry.npmjs.org';
// One tree as npm 6 writes it (v1) and as npm 7+ writes it (v2): a nested copy, a dev dependency,
// a published package with a GitHub dependency, and a GitHub dependency of the project's own.
const V1 = JSON.stringify({
  name: 'app', version: '1.0.0', lockfileVersion: 1, requires: true,
  dependencies: {
    a: { version: '1.0.0', resolved: `${NPM}/a/-/a-1.0.0.tgz`, integrity: 'sha512-a', requires: { b: '^2.0.0', g: 'github:x/g' }, dependencies: { b: { version: '2.0.0', resolved: `${NPM}/b/-/b-2.0.0.tgz`, integrity: 'sha512-b2' } } },
    b: { version: '1.0.0', resolved: `${NPM}/b/-/b-1.0.0.tgz`, integrity: 'sha512-b1', dev: true },
    g: { version: 'github:x/g#0123456789abcdef0123456789abcdef01234567', from: 'github:x/g' },
    own: { version: 'git+https://github.com/me/own.git#fedcba9876543210fedcba9876543210fedcba98', from: 'git+https://github.com/me/own.git' },
  },
});
const V2 = JSON.stringify({
  name: 'app', version: '1.0.0', lockfileVersion: 2, requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { a: '^1.0.0', own: 'git+https://github.com/me/own.git' }, devDependencies: { b: '^1.0.0' } },
    'node_modules/a': { version: '1.0.0', resolved: `${NPM}/a/-/a-1.0.0.tgz`, integrity: 'sha512-a', dependencies: { b: '^2.0.0', g: 'github:x/g' } },
    'node_modules/a/node_modules/b': { version: '2.0.0', resolved: `${NPM}/b/-/b-2.0.0.tgz`, integrity: 'sha512-b2' },
    'node_modules/b': { version: '1.0.0', resolved: `${NPM}/b/-/b-1.0.0.tgz`, integrity: 'sha512-b1', dev: true },
    'node_modules/g': { version: 'github:x/g#0123456789abcdef0123456789abcdef01234567', resolved: 'github:x/g#0123456789abcdef0123456789abcdef01234567' },
    'node_modules/own': { version: 'git+https://github.com/me/own.git#fedcba9876543210fedcba9876543210fedcba98', resolved: 'git+https://github.com/me/own.git#fedcba9876543210fedcba9876543210fedcba98' },
  },
});

describe('package-lock.json v1 (npm 5-6)', () => {
  const facts = (text: string) => readNpmLock(text, 'package-lock.json').packages;

  it('reads the packages, sources, edges and identity npm 7+ read from it', () => {
    expect(facts(V1)).toEqual(facts(V2));
    // v1 has no `hasInstallScript`: no flag does not mean no scripts there.
    expect([readNpmLock(V1, 'package-lock.json').scriptsRecorded, readNpmLock(V2, 'package-lock.json').scriptsRecorded]).toEqual([false, true]);
    expect(facts(V1).map((p) => `${p.name}@${p.version} ${p.source}`)).toEqual([
      'a@1.0.0 registry', 'b@2.0.0 registry', 'b@1.0.0 registry', 'g@github:x/g#0123456789abcdef0123456789abcdef01234567 git', 'own@git+https://github.com/me/own.git#fedcba9876543210fedcba9876543210fedcba98 git',
    ]);
  });

  it('refuses the published package\'s GitHub dependency, not the project\'s own', () => {
    const refused = readNpmLock(V1, 'package-lock.json').packages.flatMap((p) => evaluate(policyOf({}), p).findings.filter((f) => f.action === 'refuse').map((f) => `${f.package} ${f.code}`));
    expect(refused).toEqual(['a LIFEGUARD_SOURCE']);
  });

  it('still refuses unknown versions, naming the ones it reads', () => {
    expect(() => readNpmLock('{"lockfileVersion": 4}', 'package-lock.json')).toThrow(/lockfileVersion 4 is not supported \(expected 1, 2 or 3, written by npm 5 and later\)/);
  });
});
