import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newMarkers, tarball } from '../harness/index';
// @ts-expect-error: a plain .mjs script without types
import { tarballProblems } from '../../scripts/release-check.mjs';

const dir = newMarkers();
const GOOD = {
  name: 'lifeguard', version: '0.1.0', license: 'MIT', engines: { node: '>=20' }, files: ['bin', 'dist'],
  repository: { type: 'git', url: 'git+https://example.test/lifeguard.git' },
  bin: { lifeguard: './bin/lifeguard.cjs' }, dependencies: { 'pnpm-plugin-lifeguard': '0.1.0' },
};
function tgz(name: string, manifest: unknown, files: Record<string, string> = { 'bin/lifeguard.cjs': '', 'README.md': '# x' }): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.tgz`);
  writeFileSync(file, tarball({ 'package.json': JSON.stringify(manifest), ...files }));
  return file;
}

describe('release tarball check (scripts/release-check.mjs)', () => {
  it('passes a tarball a registry install can use', () => {
    expect(tarballProblems(tgz('good', GOOD)).problems).toEqual([]);
  });

  it('names each problem that would break an install from a registry', () => {
    const { license: _l, ...noLicense } = GOOD;
    const bad = { ...noLicense, main: './src/index.ts', exports: { '.': { default: './dist/index.js' } }, dependencies: { '@lifeguard/core': 'workspace:*' } };
    expect(tarballProblems(tgz('bad', bad, { 'bin/lifeguard.cjs': '' })).problems).toEqual([
      'no "license"',
      'no README.md',
      'dependencies.@lifeguard/core is "workspace:*"',
      'entry point ./src/index.ts is TypeScript source',
      'entry point ./dist/index.js is not in the tarball',
    ]);
  });
});
