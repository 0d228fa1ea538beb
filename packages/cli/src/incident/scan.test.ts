import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { serialize } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { affectsAdvisories, affectsRange } from './affects';
import { scan } from './scan';

const root = mkdtempSync(join(tmpdir(), 'lg-incident-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (rel: string, content: string | Buffer): void => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
};

const pnpmLock = (version: string) => `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      lib:
        specifier: ^1.0.0
        version: 1.0.0
packages:
  lib@1.0.0:
    resolution: {integrity: sha512-lib}
  evil@${version}:
    resolution: {integrity: sha512-evil}
snapshots:
  lib@1.0.0:
    dependencies:
      evil: ${version}
  evil@${version}: {}
`;
/** The root depends on every top-level package. */
const npmLock = (pkgs: Record<string, unknown>) => {
  const top = Object.keys(pkgs).filter((k) => k.lastIndexOf('node_modules/') === 0).map((k) => k.slice('node_modules/'.length));
  return JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'p', dependencies: Object.fromEntries(top.map((n) => [n, '*'])) }, ...pkgs } });
};
const yarnLock = `__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    evil: "npm:^2.0.0"
  languageName: unknown
  linkType: soft

"evil@npm:^2.0.0":
  version: 2.0.1
  resolution: "evil@npm:2.0.1"
  checksum: 10c0/aaa
  languageName: node
  linkType: hard
`;

// pnpm, build skipped (ignoredBuilds) / built (scripts in the installed package.json, not ignored)
write('org/pnpm-skipped/pnpm-lock.yaml', pnpmLock('1.0.0'));
write('org/pnpm-skipped/node_modules/.modules.yaml', JSON.stringify({ ignoredBuilds: ['evil@1.0.0'] }));
write('org/pnpm-ran/pnpm-lock.yaml', pnpmLock('1.0.0'));
write('org/pnpm-ran/node_modules/.modules.yaml', JSON.stringify({ ignoredBuilds: [] }));
write('org/pnpm-ran/node_modules/.pnpm/evil@1.0.0/node_modules/evil/package.json', JSON.stringify({ name: 'evil', version: '1.0.0', scripts: { postinstall: 'node x.js' } }));
write('org/pnpm-never-installed/pnpm-lock.yaml', pnpmLock('1.0.0'));
write('org/pnpm-other-version/pnpm-lock.yaml', pnpmLock('0.9.0'));
// Yarn: the install state says the build ran
write('org/yarn-ran/yarn.lock', yarnLock);
write('org/yarn-ran/.yarn/install-state.gz', gzipSync(serialize({
  storedPackages: new Map([['h1', { scope: null, name: 'evil', reference: 'npm:2.0.1', version: '2.0.1' }]]),
  storedBuildState: new Map([['h1', 'buildhash']]),
  skippedBuilds: new Set(),
})));
// npm: ignore-scripts; and one without the install-script flag (no scripts); one without the package
write('org/npm-ignored/package-lock.json', npmLock({ 'node_modules/lib': { version: '1.0.0', dependencies: { evil: '^1.0.0' } }, 'node_modules/lib/node_modules/evil': { version: '1.0.0', hasInstallScript: true } }));
write('org/npm-ignored/.npmrc', 'ignore-scripts=true\n');
write('org/npm-unknown/package-lock.json', npmLock({ 'node_modules/evil': { version: '1.0.0', hasInstallScript: true } }));
write('org/npm-none/package-lock.json', npmLock({ 'node_modules/evil': { version: '1.0.0' } }));
write('org/npm-clean/package-lock.json', npmLock({ 'node_modules/lib': { version: '1.0.0' } }));
// A name spelled with a JSON escape is still found (the text pre-filter must not skip it).
write('org/npm-escaped/package-lock.json', npmLock({ 'node_modules/\\u0065vil': { version: '1.0.0' } }).replaceAll('\\\\u0065', '\\u0065'));
// Not a project: an installed package's own lockfile, and git internals.
write('org/npm-clean/node_modules/evil/package-lock.json', npmLock({ 'node_modules/evil': { version: '1.0.0' } }));
write('org/.git/pnpm-lock.yaml', pnpmLock('1.0.0'));
// Bun's text lockfile is read like the others; the binary bun.lockb is found but not readable.
const bunLock = (name: string) => `{ "lockfileVersion": 1, "workspaces": { "": { "name": "b", "dependencies": { "${name}": "1.0.0" } } }, "packages": { "${name}": ["${name}@1.0.0", "", {}, "sha512-x"], }, }`;
write('org/bun-project/bun.lock', bunLock('lib'));
write('bun-only/app/bun.lock', bunLock('evil'));
write('org/bun-binary/bun.lockb', 'binary');
// Found but not readable: a broken lockfile, a FIFO named like one.
write('org/broken/package-lock.json', '{ "node_modules/evil": nope');
// Broken but cannot hold the name: skipped by the text pre-filter (a package manager cannot install it either).
write('org/broken-unrelated/package-lock.json', '{ nope');
mkdirSync(join(root, 'org/fifo'), { recursive: true });
execFileSync('mkfifo', [join(root, 'org/fifo/yarn.lock')]);
// A symlink loop must not make the walk endless.
symlinkSync('..', join(root, 'org/npm-clean/loop'));

const rel = (p: string) => p.slice(root.length + 1);

describe('lifeguard incident scan', () => {
  const r = scan([join(root, 'org'), join(root, 'org', 'npm-clean')], affectsRange('EVIL@>=1.0.0 <3'));
  const by = Object.fromEntries(r.affected.map((a) => [rel(a.project), a]));

  it('finds every project holding an affected release, with the dependency path', () => {
    expect(Object.keys(by).sort()).toEqual([
      'org/npm-escaped', 'org/npm-ignored', 'org/npm-none', 'org/npm-unknown', 'org/pnpm-never-installed', 'org/pnpm-ran', 'org/pnpm-skipped', 'org/yarn-ran',
    ]);
    expect(by['org/pnpm-skipped']).toMatchObject({ package: 'evil', version: '1.0.0', via: ['lib@1.0.0'] });
    expect(by['org/npm-ignored']?.via).toEqual(['lib@1.0.0']);
    expect(by['org/yarn-ran']?.version).toBe('2.0.1');
  });

  it('says whether the scripts ran from each package manager\'s install state', () => {
    expect(by['org/pnpm-skipped']?.scripts).toBe('not-run');
    expect(by['org/pnpm-ran']?.scripts).toBe('ran');
    expect(by['org/pnpm-never-installed']?.scripts).toBe('unknown');
    expect(by['org/yarn-ran']?.scripts).toBe('ran');
    expect(by['org/npm-ignored']?.scripts).toBe('not-run');
    expect(by['org/npm-unknown']?.scripts).toBe('unknown');
    expect(by['org/npm-none']?.scripts).toBe('none');
  });

  it('reports lockfiles it cannot read instead of skipping them, and does not hang or loop', () => {
    expect(r.unreadable.map((u) => rel(u.lockfile)).sort()).toEqual(['org/broken/package-lock.json', 'org/bun-binary/bun.lockb', 'org/fifo/yarn.lock']);
    expect(r.unreadable.find((u) => u.lockfile.endsWith('bun.lockb'))?.error).toMatch(/bun install --save-text-lockfile/);
    expect(r.lockfiles).toBe(15);
  });

  it('reads bun.lock like the other lockfiles', () => {
    const b = scan([join(root, 'bun-only')], affectsRange('evil'));
    expect(b.unreadable).toEqual([]);
    expect(b.affected.map((a) => `${rel(a.project)} ${a.package}@${a.version}`)).toEqual(['bun-only/app evil@1.0.0']);
  });

  it('searches a lockfile given by path, and reports a path that is neither', () => {
    const r2 = scan([join(root, 'org/npm-none/package-lock.json'), join(root, 'org/npm-none/nothing-here')], affectsRange('evil'));
    expect(r2.affected.map((a) => rel(a.project))).toEqual(['org/npm-none']);
    expect(r2.unreadable.map((u) => u.error)).toEqual([expect.stringContaining('ENOENT')]);
  });

  it('takes the affected releases from an OSV advisory', () => {
    write('advisory.json', JSON.stringify({ id: 'MAL-2099-9', modified: '2099-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'evil' }, versions: ['2.0.1'] }] }));
    const a = scan([join(root, 'org')], affectsAdvisories([join(root, 'advisory.json')]));
    expect(a.affected.map((x) => [rel(x.project), x.matched])).toEqual([['org/yarn-ran', ['MAL-2099-9']]]);
  });
});

describe('lifeguard incident on real lockfiles (test/eval/corpus)', () => {
  it('reads every one of them (pnpm v6 and v9 with two documents, Yarn Berry and classic, npm v1 and v3, bun.lock) and finds a common package', () => {
    const corpus = resolve(__dirname, '../../../../test/eval/corpus');
    const r = scan([corpus], affectsRange('semver'));
    expect(r.unreadable).toEqual([]);
    expect(r.lockfiles).toBeGreaterThanOrEqual(42); // 41 projects, zustand has two lockfiles
    expect(new Set(r.affected.map((a) => a.lockfile)).size).toBe(r.lockfiles);
  }, 120_000);
});
