import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readInstallState } from './install-state';

const root = mkdtempSync(join(tmpdir(), 'lg-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const project = (files: Record<string, string | Buffer>): string => {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
};

describe('readInstallState', () => {
  it('pnpm: ignoredBuilds and pendingBuilds in every spelling pnpm 10-12 write (name@version, /depPath(peers), bare name)', () => {
    const dir = project({ 'node_modules/.modules.yaml': JSON.stringify({ ignoredBuilds: ['@a/one@1.0.0', 'bare'], pendingBuilds: ['/two@2.0.0(react@18.0.0)'] }) });
    const s = readInstallState(dir, 'pnpm');
    expect(s.scripts('@A/One', '1.0.0', true)).toBe('not-run');
    expect(s.scripts('bare', '9.9.9', undefined)).toBe('not-run');
    expect(s.scripts('two', '2.0.0', true)).toBe('not-run');
    expect(s.scripts('three', '1.0.0', true)).toBe('ran');
    expect(s.scripts('three', '1.0.0', false)).toBe('none');
    expect(s.scripts('three', '1.0.0', undefined)).toBe('unknown');
    expect(readInstallState(project({}), 'pnpm').scripts('x', '1.0.0', true)).toBe('unknown');
  });

  it('Yarn: storedBuildState means ran, skippedBuilds not run, scoped names included', () => {
    const state = gzipSync(serialize({
      storedPackages: new Map([
        ['h1', { scope: 'acme', name: 'built', reference: 'npm:1.0.0', version: '1.0.0' }],
        ['h2', { scope: null, name: 'skipped', reference: 'npm:2.0.0', version: '2.0.0' }],
        ['h3', { scope: null, name: 'plain', reference: 'npm:3.0.0', version: '3.0.0' }],
      ]),
      storedBuildState: new Map([['h1', 'x']]),
      skippedBuilds: new Set(['h2']),
    }));
    const s = readInstallState(project({ '.yarn/install-state.gz': state }), 'yarn');
    expect(s.scripts('@acme/built', '1.0.0', undefined)).toBe('ran');
    expect(s.scripts('skipped', '2.0.0', undefined)).toBe('not-run');
    expect(s.scripts('plain', '3.0.0', false)).toBe('none');
    expect(s.scripts('plain', '3.0.0', undefined)).toBe('not-run');
    expect(s.scripts('absent', '1.0.0', undefined)).toBe('unknown');
    // A corrupt state file is no record, never a crash.
    expect(readInstallState(project({ '.yarn/install-state.gz': 'garbage' }), 'yarn').scripts('plain', '3.0.0', undefined)).toBe('unknown');
  });

  it('npm: ignore-scripts in the project .npmrc, the last assignment winning', () => {
    expect(readInstallState(project({ '.npmrc': 'ignore-scripts = true\n' }), 'npm').scripts('x', '1.0.0', true)).toBe('not-run');
    expect(readInstallState(project({ '.npmrc': 'ignore-scripts=true\nignore-scripts=false\n' }), 'npm').scripts('x', '1.0.0', true)).toBe('unknown');
    expect(readInstallState(project({ '.npmrc': '; ignore-scripts=true\n' }), 'npm').scripts('x', '1.0.0', true)).toBe('unknown');
    expect(readInstallState(project({}), 'npm').scripts('x', '1.0.0', false)).toBe('none');
  });
});
