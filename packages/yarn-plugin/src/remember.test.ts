import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Descriptor, Package, Project, StructUtils } from './yarn';

// The key is tied to a build id (build.mjs defines it); unbuilt code remembers nothing.
(globalThis as Record<string, unknown>).LIFEGUARD_BUILD_ID = 'test-build';
const { graphKey, projectFile, readRemembered, rememberedFile, startKey, writeRemembered } = await import('./remember');

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lg-remember-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const dep = (name: string, range: string): Descriptor => ({ identHash: name, scope: null, name, range, descriptorHash: `${name}@${range}` });
const pkg = (name: string, version: string, deps: Descriptor[] = []): Package => ({
  identHash: name, scope: null, name, locatorHash: `${name}@${version}`, reference: `npm:${version}`, version, linkType: 'HARD',
  dependencies: new Map(deps.map((d) => [d.identHash, d])),
});
const structUtils = { stringifyIdent: (i: { scope: string | null; name: string }) => (i.scope ? `@${i.scope}/${i.name}` : i.name) } as unknown as StructUtils;

function fakeProject(cwd: string, packages: Package[], checksums: Record<string, string> = {}): Project {
  const stored = new Map(packages.map((p) => [p.locatorHash, p]));
  return {
    cwd,
    configuration: { projectCwd: cwd, get: (k: string) => (k === 'npmRegistryServer' ? 'http://127.0.0.1:1' : k === 'globalFolder' ? join(cwd, '.yarn-global') : undefined), useWithSource: () => undefined },
    storedPackages: stored,
    originalPackages: stored,
    storedResolutions: new Map(packages.map((p) => [`${p.name}@npm:^${p.version}`, p.locatorHash])),
    storedDescriptors: new Map(),
    storedChecksums: new Map(Object.entries(checksums)),
    disabledLocators: new Set(),
    tryWorkspaceByLocator: () => null,
  } as unknown as Project;
}

describe('startKey: every input the policy is chosen from, read without blocking', () => {
  let dir: string;
  const env = { HOME: '/nonexistent-home' };
  beforeAll(() => {
    dir = tmp();
    writeFileSync(join(dir, 'package.json'), '{"name":"app"}\n');
  });

  it('changes with the policy bytes, the root manifest, LIFEGUARD_POLICY, the user-level policy and the Yarn version', () => {
    const p = fakeProject(dir, []);
    const none = startKey(p, '4.18.1', env);
    expect(none).toMatch(/^[0-9a-f]{64}$/);
    expect(startKey(p, '4.18.1', env)).toBe(none);
    expect(startKey(p, '4.19.0', env)).not.toBe(none);
    writeFileSync(join(dir, 'lifeguard.json'), '{}\n');
    const empty = startKey(p, '4.18.1', env);
    expect(empty).not.toBe(none);
    writeFileSync(join(dir, 'lifeguard.json'), '{"packages":{"deny":["x"]}}\n');
    expect(startKey(p, '4.18.1', env)).not.toBe(empty);
    writeFileSync(join(dir, 'package.json'), '{"name":"app","dependenciesMeta":{"x":{"built":true}}}\n');
    const manifest = startKey(p, '4.18.1', env);
    expect(manifest).not.toBe(empty);
    const home = tmp();
    mkdirSync(join(home, '.config', 'lifeguard'), { recursive: true });
    writeFileSync(join(home, '.config', 'lifeguard', 'lifeguard.json'), '{}\n');
    expect(startKey(p, '4.18.1', { HOME: home })).not.toBe(manifest);
    const other = join(tmp(), 'policy.json');
    writeFileSync(other, '{}\n');
    expect(startKey(p, '4.18.1', { ...env, LIFEGUARD_POLICY: other })).not.toBe(manifest);
  });

  it('is undefined (the engine loads and reports) for a FIFO, a directory or a dangling link in place of lifeguard.json', () => {
    const p = fakeProject(dir, []);
    rmSync(join(dir, 'lifeguard.json'), { force: true });
    execFileSync('mkfifo', [join(dir, 'lifeguard.json')]);
    expect(startKey(p, '4.18.1', env)).toBeUndefined();
    rmSync(join(dir, 'lifeguard.json'));
    mkdirSync(join(dir, 'lifeguard.json'));
    expect(startKey(p, '4.18.1', env)).toBeUndefined();
    rmSync(join(dir, 'lifeguard.json'), { recursive: true });
    // open() says ENOENT through a dangling link, as for no file at all: the loader refuses the link (F3), so it must not key as "no policy".
    symlinkSync(join(dir, 'missing.json'), join(dir, 'lifeguard.json'));
    expect(startKey(p, '4.18.1', env)).toBeUndefined();
    rmSync(join(dir, 'lifeguard.json'));
    expect(startKey(p, '4.18.1', env)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('graphKey: what resolution decided', () => {
  it('changes with a version, a dependency range, a checksum, and not with the order Yarn stored things in', () => {
    const dir = tmp();
    const a = pkg('a', '1.0.0', [dep('b', '^1.0.0')]);
    const b = pkg('b', '1.0.0');
    const base = graphKey(structUtils, fakeProject(dir, [a, b], { 'a@1.0.0': '10c0/aa' }));
    expect(graphKey(structUtils, fakeProject(dir, [b, a], { 'a@1.0.0': '10c0/aa' }))).toBe(base);
    expect(graphKey(structUtils, fakeProject(dir, [a, b], { 'a@1.0.0': '10c0/ab' }))).not.toBe(base);
    expect(graphKey(structUtils, fakeProject(dir, [pkg('a', '1.0.0', [dep('b', 'https://evil.example/b.tgz')]), b], { 'a@1.0.0': '10c0/aa' }))).not.toBe(base);
    expect(graphKey(structUtils, fakeProject(dir, [a, pkg('b', '1.0.1')], { 'a@1.0.0': '10c0/aa' }))).not.toBe(base);
  });
});

describe('readRemembered: only what this build wrote', () => {
  const good = { start: 's', graph: 'g', releaseAge: null, built: { '["x","1.0.0",null]': true }, summary: ['line'] };

  it('reads back what writeRemembered wrote', () => {
    const dir = tmp();
    const p = fakeProject(dir, []);
    writeRemembered(p, good);
    expect(readRemembered(p)).toEqual(good);
  });

  it.each([
    ['not JSON', '{'],
    ['another format', { ...good, format: 99, build: 'test-build' }],
    ['another build', { ...good, format: 1, build: 'other' }],
    ['another project directory', { ...good, format: 1, build: 'test-build', project: '/elsewhere' }],
    ['a non-boolean answer', { ...good, format: 1, build: 'test-build', built: { x: 'yes' } }],
    ['a bad release age', { ...good, format: 1, build: 'test-build', releaseAge: { minutes: 'soon', exclude: [] } }],
    ['a summary that is not lines', { ...good, format: 1, build: 'test-build', summary: [1] }],
  ])('ignores %s', (_what, content) => {
    const dir = tmp();
    const p = fakeProject(dir, []);
    const file = rememberedFile(p)!;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify({ project: dir, ...content }));
    expect(readRemembered(p)).toBeUndefined();
  });

  it('lives outside the project: in Yarn\'s global folder, never under the project\'s .yarn', () => {
    const dir = tmp();
    const file = rememberedFile(fakeProject(dir, []))!;
    expect(file.startsWith(join(dir, '.yarn-global', 'lifeguard'))).toBe(true);
    // The verdict cache too: a verdict planted in the repository (its key is computable from public inputs) is never read.
    expect(projectFile(fakeProject(dir, []), 'verdicts')!.startsWith(join(dir, '.yarn-global', 'lifeguard', 'verdicts-'))).toBe(true);
    expect(projectFile(fakeProject(tmp(), []), 'verdicts')).not.toBe(projectFile(fakeProject(dir, []), 'verdicts'));
    expect(rememberedFile({ ...fakeProject(dir, []), configuration: { get: () => 'relative/folder' } } as unknown as Project)).toBeUndefined();
  });

  it('keeps `__proto__` as a key, never as a prototype', () => {
    const dir = tmp();
    const p = fakeProject(dir, []);
    const file = rememberedFile(p)!;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `{"format":1,"build":"test-build","project":${JSON.stringify(dir)},"start":"s","graph":"g","releaseAge":null,"summary":[],"built":{"__proto__":true}}`);
    const r = readRemembered(p);
    expect(r && Object.getPrototypeOf(r.built)).toBeNull();
    expect(r?.built.__proto__).toBe(true);
    expect(r?.built.toString).toBeUndefined();
  });
});
