/**
 * What would be published, installed the way a newcomer does it: scripts/release.mjs packs every
 * package, the tarballs go to a local verdaccio, and in fresh projects for pnpm 12, Yarn 4, npm and
 * Bun `npx lifeguard init` (the README's quick start) wires the package manager from that install.
 * The next install then skips an unapproved script and refuses a denied package. The pnpm
 * config-dependency form is installed from the same registry.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, type Dirent, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO, bunProject, hashTree, markerExists, markerScript, newMarkers, out, pnpmProject, publish, publishTarballs, resetMarkers, run,
  startRegistry, tarball, tempProject, tool, yarnrc, type Registry, type Tool,
} from '../harness/index';

const S = '@lg-rel';
const markers = newMarkers();
const release = newMarkers();
const npxCache = newMarkers();
let reg: Registry;
let tools: Record<'pnpm12' | 'yarn4' | 'npm' | 'bun', Tool>;

const outside: string[] = [];
/**
 * The project moved out of this checkout: npx runs a `lifeguard` bin it finds in any node_modules
 * above the project (the workspace root has one), which would test the checkout, not the release.
 */
function fresh(dir: string): string {
  const to = mkdtempSync(join(tmpdir(), 'lg-release-'));
  cpSync(dir, to, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  outside.push(to);
  return to;
}

/** The lifeguard packages npx installed from the registry (proof that the release ran, not the checkout). */
function npxInstalled(): string[] {
  const root = join(npxCache, '_npx');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((h) => (existsSync(join(root, h, 'node_modules')) ? readdirSync(join(root, h, 'node_modules')) : []));
}

/** `npx -y lifeguard <args>` resolved from the local registry only. */
function npx(dir: string, ...args: string[]) {
  return run({ cmd: 'npx', args: [], env: {} }, ['-y', 'lifeguard', ...args], {
    cwd: dir,
    env: { npm_config_registry: reg.url, npm_config_cache: npxCache, npm_config_update_notifier: 'false' },
  });
}

/** Init from the registry install, then a deny entry added to the policy it wrote. */
async function initAndDeny(dir: string, wrote: string[]): Promise<void> {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  const had = new Map(wrote.map((f) => [f, new Set(read(f).split('\n'))]));
  const init = await npx(dir, 'init');
  expect(init.code, out(init)).toBe(0);
  expect(npxInstalled()).toEqual(expect.arrayContaining(['lifeguard', 'pnpm-plugin-lifeguard', 'yarn-plugin-lifeguard', 'lifeguard-bun-scanner']));
  for (const f of ['lifeguard.json', ...wrote]) {
    expect(existsSync(join(dir, f)), `${f}\n${out(init)}`).toBe(true);
    // Nothing init wrote points into this checkout (or the npx cache the CLI ran from); the test's
    // own settings (the pinned yarnPath, the npm cache) were there before.
    const added = read(f).split('\n').filter((l) => !had.get(f)?.has(l));
    expect(added.filter((l) => l.includes(REPO) || l.includes(npxCache)), f).toEqual([]);
  }
  const policy = JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
  writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ ...policy, packages: { deny: [`${S}/denied`] } }, null, 2));
}

/** The next install skips the unapproved script; adding the denied package is refused with nothing changed. */
async function proveGate(t: Tool, dir: string, add: string[], state: string[], skippedText: string): Promise<void> {
  resetMarkers(markers);
  const ok = await run(t, [...add, `${S}/unapproved@1.0.0`], { cwd: dir });
  expect(ok.code, out(ok)).toBe(0);
  expect(markerExists(markers, 'unapproved'), out(ok)).toBe(false);
  expect(out(ok)).toContain(skippedText);
  const before = hashTree(dir, state);
  const refused = await run(t, [...add, `${S}/denied@1.0.0`], { cwd: dir });
  expect(refused.code, out(refused)).not.toBe(0);
  expect(out(refused)).toContain(`LIFEGUARD_DENY ${S}/denied@1.0.0`);
  expect(hashTree(dir, state)).toBe(before);
  expect(markerExists(markers, 'denied')).toBe(false);
}

/**
 * The registry has no uplinks: the npm dependencies of the library packages (minimatch, semver, …)
 * are packed from this workspace's installed copies, their own dependencies too, and published
 * (`npm pack` refuses minimatch's folder: its `prepare` needs its build tool).
 */
function thirdPartyTarballs(fromPackage: string, names: string[]): string[] {
  const outDir = newMarkers();
  const seen = new Set<string>();
  const visit = (from: string, name: string): void => {
    // Node's lookup (node_modules folders upwards), without `exports` getting in the way.
    let at = from;
    while (!existsSync(join(at, 'node_modules', name, 'package.json')) && dirname(at) !== at) at = dirname(at);
    const manifestPath = realpathSync(join(at, 'node_modules', name, 'package.json'));
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; dependencies?: Record<string, string> };
    if (seen.has(`${name}@${m.version}`)) return;
    seen.add(`${name}@${m.version}`);
    // Every file of the installed copy (all text: JavaScript, JSON, typings, docs) into an npm tarball.
    const root = dirname(manifestPath);
    const files = Object.fromEntries(
      (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
        .filter((e) => e.isFile())
        .map((e) => { const abs = join(e.parentPath, e.name); return [abs.slice(root.length + 1), readFileSync(abs, 'utf8')]; }),
    );
    writeFileSync(join(outDir, `${name.replace('/', '-')}-${m.version}.tgz`), tarball(files));
    for (const dep of Object.keys(m.dependencies ?? {})) visit(dirname(manifestPath), dep);
  };
  for (const n of names) visit(fromPackage, n);
  return readdirSync(outDir).map((f) => join(outDir, f));
}

beforeAll(async () => {
  const [pnpm12, yarn4, npm, bun] = await Promise.all([tool('pnpm12'), tool('yarn4'), tool('npm'), tool('bun')]);
  tools = { pnpm12, yarn4, npm, bun };
  // `pnpm test` builds first; the release script packs those builds exactly as a release would.
  execFileSync(process.execPath, [join(REPO, 'scripts/release.mjs'), '--no-build', '--out', release], { env: { ...process.env, PNPM: pnpm12.cmd }, stdio: 'pipe' });
  const order = readFileSync(join(release, 'ORDER'), 'utf8').split('\n').filter(Boolean);
  expect(order.length).toBe(readdirSync(join(REPO, 'packages')).filter((d) => existsSync(join(REPO, 'packages', d, 'package.json'))).length);
  reg = await startRegistry();
  const core = JSON.parse(readFileSync(join(REPO, 'packages/core/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  await publishTarballs(reg, [...thirdPartyTarballs(join(REPO, 'packages/core'), Object.keys(core.dependencies)), ...order.map((f) => join(release, f))]);
  await publish(reg, [
    { name: `${S}/unapproved`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'unapproved') } },
    { name: `${S}/denied`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'denied') } },
  ]);
}, 300_000);
afterAll(async () => {
  await reg?.stop();
  for (const d of outside) rmSync(d, { recursive: true, force: true });
});

describe('npx lifeguard init from the registry, then the next install', () => {
  it('pnpm 12: .pnpmfile.cjs copied from the installed pnpm-plugin-lifeguard', async () => {
    const dir = fresh(pnpmProject(reg, {}));
    await initAndDeny(dir, ['.pnpmfile.cjs']);
    const { version } = JSON.parse(readFileSync(join(REPO, 'packages/pnpm-hook/package.json'), 'utf8')) as { version: string };
    const published = execFileSync('tar', ['-xzOf', join(release, `pnpm-plugin-lifeguard-${version}.tgz`), 'package/dist/pnpmfile.cjs']);
    expect(readFileSync(join(dir, '.pnpmfile.cjs')).equals(published)).toBe(true);
    await proveGate(tools.pnpm12, dir, ['add'], ['package.json', 'pnpm-lock.yaml', 'node_modules'], 'Lifeguard: install scripts of 1 package did not run');
  });

  it('Yarn 4 (PnP): the plugin copied into .yarn/plugins and loaded from .yarnrc.yml', async () => {
    const dir = fresh(tempProject({
      'package.json': JSON.stringify({ name: 'lg-rel-yarn', version: '1.0.0', private: true }),
      '.yarnrc.yml': yarnrc(reg, 'pnp'),
      'yarn.lock': '',
    }));
    await initAndDeny(dir, ['.yarn/plugins/yarn-plugin-lifeguard.cjs', '.yarnrc.yml']);
    await proveGate(tools.yarn4, dir, ['add'], ['package.json', 'yarn.lock', '.pnp.cjs', 'node_modules'], 'did not run');
  });

  it('npm: ignore-scripts in .npmrc, and lifeguard check (from the registry) is the gate', async () => {
    const host = reg.url.replace(/^https?:/, '');
    const dir = fresh(tempProject({
      'package.json': JSON.stringify({ name: 'lg-rel-npm', version: '1.0.0', private: true }),
      '.npmrc': `registry=${reg.url}\n${host}:_authToken=${reg.token}\ncache=${npxCache}\naudit=false\nfund=false\n`,
    }));
    await initAndDeny(dir, ['.npmrc']);
    resetMarkers(markers);
    expect((await run(tools.npm, ['install', `${S}/unapproved@1.0.0`, `${S}/denied@1.0.0`], { cwd: dir })).code).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(markerExists(markers, 'denied')).toBe(false);
    // npm has no install hook: the refusal is the CI gate's.
    const check = await npx(dir, 'check');
    expect(check.code, out(check)).toBe(1);
    expect(out(check)).toContain(`REFUSED ${S}/denied@1.0.0 LIFEGUARD_DENY`);
    expect(out(check)).toContain(`SKIPPED ${S}/unapproved@1.0.0`);
  });

  it('Bun: the scanner copied to .lifeguard/, bunfig.toml and trustedDependencies', async () => {
    const dir = fresh(bunProject(reg, {}));
    await initAndDeny(dir, ['.lifeguard/bun-scanner.js', 'bunfig.toml']);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toEqual([]);
    await proveGate(tools.bun, dir, ['add'], ['package.json', 'bun.lock', 'node_modules'], 'Blocked 1 postinstall');
  });
});

describe('the library packages from the registry', () => {
  it('@lifeguard/core and @lifeguard/loader import as plain JavaScript in Node, with their types', async () => {
    const host = reg.url.replace(/^https?:/, '');
    const dir = fresh(tempProject({
      'package.json': JSON.stringify({ name: 'lg-rel-lib', version: '1.0.0', private: true, type: 'module' }),
      '.npmrc': `registry=${reg.url}\n${host}:_authToken=${reg.token}\ncache=${npxCache}\naudit=false\nfund=false\n`,
      'lifeguard.json': JSON.stringify({ packages: { deny: ['left-pad'] } }),
      'use.mjs': [
        "import { evaluate } from '@lifeguard/core';",
        "import { loadPolicy } from '@lifeguard/loader';",
        'const { policy } = loadPolicy(process.cwd());',
        "console.log(evaluate(policy, { name: 'left-pad', version: '1.3.0' }).decision, evaluate(policy, { name: 'exprress', version: '1.0.0' }).decision);",
      ].join('\n'),
    }));
    const install = await run(tools.npm, ['install', '@lifeguard/core', '@lifeguard/loader'], { cwd: dir });
    expect(install.code, out(install)).toBe(0);
    const r = await run({ cmd: process.execPath, args: [], env: {} }, ['use.mjs'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout.trim()).toBe('refuse refuse');
    for (const p of ['core', 'loader']) expect(existsSync(join(dir, 'node_modules/@lifeguard', p, 'dist/types/index.d.ts'))).toBe(true);
  });
});

describe('the package managers\' own launchers run the same init', () => {
  it('pnpm dlx, yarn dlx and bunx lifeguard init wire the project from the registry install', async () => {
    const p = fresh(pnpmProject(reg, {}));
    const dlx = await run(tools.pnpm12, ['dlx', 'lifeguard', 'init'], { cwd: p });
    expect(dlx.code, out(dlx)).toBe(0);
    expect(readFileSync(join(p, '.pnpmfile.cjs'), 'utf8')).toContain('pnpm-plugin-lifeguard');
    const b = fresh(bunProject(reg, {}));
    const bunx = await run(tools.bun, ['x', 'lifeguard', 'init'], { cwd: b });
    expect(bunx.code, out(bunx)).toBe(0);
    expect(readFileSync(join(b, 'bunfig.toml'), 'utf8')).toContain('scanner = "./.lifeguard/bun-scanner.js"');
    expect(readFileSync(join(b, '.lifeguard/bun-scanner.js'), 'utf8')).toContain('lifeguard-bun-scanner');
    const y = fresh(tempProject({
      'package.json': JSON.stringify({ name: 'lg-rel-yarn-dlx', version: '1.0.0', private: true }),
      '.yarnrc.yml': yarnrc(reg, 'pnp'),
      'yarn.lock': '',
    }));
    const ydlx = await run(tools.yarn4, ['dlx', 'lifeguard', 'init'], { cwd: y });
    expect(ydlx.code, out(ydlx)).toBe(0);
    expect(readFileSync(join(y, '.yarnrc.yml'), 'utf8')).toContain('.yarn/plugins/yarn-plugin-lifeguard.cjs');
    expect(existsSync(join(y, '.yarn/plugins/yarn-plugin-lifeguard.cjs'))).toBe(true);
  });
});

describe('pnpm config dependency from the registry', () => {
  it('pnpm add --config pnpm-plugin-lifeguard, then the next install skips and refuses', async () => {
    const dir = fresh(pnpmProject(reg, {}, { files: { 'lifeguard.json': JSON.stringify({ packages: { deny: [`${S}/denied`] } }) } }));
    const add = await run(tools.pnpm12, ['add', '--config', 'pnpm-plugin-lifeguard'], { cwd: dir });
    expect(add.code, out(add)).toBe(0);
    await proveGate(tools.pnpm12, dir, ['add'], ['package.json', 'pnpm-lock.yaml', 'node_modules'], 'Lifeguard: install scripts of 1 package did not run');
  });
});
