/**
 * Bun with Lifeguard: the security scanner refuses before Bun downloads anything, and the script
 * policy becomes Bun's `trustedDependencies` (names only). Real Bun 1.4.5 against a local verdaccio,
 * wired by `lifeguard init` exactly as a user's project would be.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO, TYPOSQUAT, assertTyposquatFixture, bunProject, hashTree, hermeticEnv, markerExists, markerScript, newMarkers, out, publish,
  resetMarkers, run, startRegistry, tool, type Registry, type Tool,
} from '../harness/index';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
const S = '@lg-bun';
const PROJECT_FILES = ['package.json', 'bun.lock', 'bunfig.toml', 'node_modules'];
let reg: Registry;
let bun: Tool;
const markers = newMarkers();

function lifeguard(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: hermeticEnv({}) });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A Bun project with the given dependencies, policy and `lifeguard init` already run. */
function project(deps: Record<string, string>, policy?: unknown): string {
  const dir = bunProject(reg, { dependencies: deps }, policy === undefined ? {} : { files: { 'lifeguard.json': JSON.stringify(policy) } });
  const init = lifeguard(dir, 'init');
  expect(init.code, init.out).toBe(0);
  return dir;
}

beforeAll(async () => {
  assertTyposquatFixture();
  [reg, bun] = await Promise.all([startRegistry(), tool('bun')]);
  await publish(reg, [
    { name: `${S}/approved`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'approved') } },
    { name: `${S}/unapproved`, version: '1.0.0', scripts: { preinstall: markerScript(markers, 'unapproved') } },
    { name: `${S}/denied`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'denied') } },
    { name: `${S}/plain`, version: '1.0.0' },
    { name: `${S}/pulls-denied`, version: '1.0.0', dependencies: { [`${S}/denied`]: '1.0.0' } },
    { name: TYPOSQUAT, version: '1.0.0' },
  ]);
}, 300_000);
afterAll(async () => {
  await reg?.stop();
});

describe('Bun: lifeguard init + the security scanner', () => {
  it('init wires bunfig.toml, the scanner file and trustedDependencies; approved scripts run, unapproved ones do not', async () => {
    resetMarkers(markers);
    const dir = project({ [`${S}/approved`]: '1.0.0', [`${S}/unapproved`]: '1.0.0' }, { scripts: { allow: [`${S}/approved`] } });
    expect(readFileSync(join(dir, 'bunfig.toml'), 'utf8')).toContain('[install.security]\nscanner = "./.lifeguard/bun-scanner.js"');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toEqual([`${S}/approved`]);
    const r = await run(bun, ['install'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
    expect(markerExists(markers, 'unapproved'), out(r)).toBe(false);

    // Re-running init changes nothing.
    const snapshot = hashTree(dir, ['package.json', 'bunfig.toml', '.lifeguard', 'lifeguard.json']);
    expect(lifeguard(dir, 'init').code).toBe(0);
    expect(hashTree(dir, ['package.json', 'bunfig.toml', '.lifeguard', 'lifeguard.json'])).toBe(snapshot);

    // lifeguard check reads the bun.lock Bun wrote: the unapproved script is reported as skipped.
    const check = lifeguard(dir, 'check');
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`SKIPPED ${S}/unapproved@1.0.0`);
  });

  it('init in a project Bun already installed approves today\'s install scripts by exact version, trusted by name', async () => {
    resetMarkers(markers);
    const dir = bunProject(reg, { dependencies: { [`${S}/approved`]: '1.0.0', [`${S}/plain`]: '1.0.0' } });
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    const init = lifeguard(dir, 'init');
    expect(init.code, init.out).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8')).scripts.allow).toEqual([
      { package: `${S}/approved@1.0.0`, reason: 'had install scripts at init: postinstall' },
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toEqual([`${S}/approved`]);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const r = await run(bun, ['install', '--frozen-lockfile'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
  });

  it('refuses a denied transitive dependency and a typosquat on bun add, before anything is written', async () => {
    resetMarkers(markers);
    const dir = project({ [`${S}/plain`]: '1.0.0' }, { packages: { deny: [`${S}/denied`] } });
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    const before = hashTree(dir, PROJECT_FILES);
    const denied = await run(bun, ['add', `${S}/pulls-denied@1.0.0`], { cwd: dir });
    expect(denied.code, out(denied)).toBe(1);
    expect(out(denied)).toContain(`Lifeguard refused ${S}/denied@1.0.0 before Bun downloaded anything [LIFEGUARD_DENY, rule packages.deny]`);
    expect(out(denied)).toContain(`to allow it: remove "${S}/denied" from "packages.deny" in lifeguard.json`);
    const squat = await run(bun, ['add', TYPOSQUAT], { cwd: dir });
    expect(squat.code, out(squat)).toBe(1);
    expect(out(squat)).toContain('LIFEGUARD_TYPOSQUAT');
    expect(hashTree(dir, PROJECT_FILES)).toBe(before);
    expect(markerExists(markers, 'denied')).toBe(false);
  });

  it('refuses a frozen install of a lockfile that holds a now-denied package, and lifeguard check fails on it', async () => {
    resetMarkers(markers);
    const dir = project({ [`${S}/pulls-denied`]: '1.0.0' }, {});
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ packages: { deny: [`${S}/denied@1.0.0`] } }));
    const before = hashTree(dir, PROJECT_FILES);
    for (const args of [['install', '--frozen-lockfile'], ['ci']]) {
      const r = await run(bun, args, { cwd: dir });
      expect(r.code, out(r)).toBe(1);
      expect(out(r)).toContain('LIFEGUARD_DENY');
    }
    expect(hashTree(dir, PROJECT_FILES)).toBe(before);
    const check = lifeguard(dir, 'check');
    expect(check.code, check.out).toBe(1);
    expect(check.out).toContain(`REFUSED ${S}/denied@1.0.0 LIFEGUARD_DENY`);
  });

  it('N6: refuses a forged bun.lock entry that puts another package\'s tarball under a trusted name, and lifeguard check fails on it', async () => {
    resetMarkers(markers);
    const dir = project({ [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0' }, {});
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    // Bun downloads the URL (and checks the integrity) the entry names: both are the attacker's to write.
    const lock = readFileSync(join(dir, 'bun.lock'), 'utf8');
    const denied = new RegExp(`\\["${S}/denied@1\\.0\\.0", ("[^"]+"), \\{[^}]*\\}, ("[^"]+")\\]`).exec(lock);
    expect(denied, lock).not.toBeNull();
    const forged = lock.replace(new RegExp(`(\\["${S}/plain@1\\.0\\.0", )"[^"]+"(, \\{[^}]*\\}, )"[^"]+"\\]`), `$1${denied?.[1]}$2${denied?.[2]}]`);
    expect(forged).not.toBe(lock);
    writeFileSync(join(dir, 'bun.lock'), forged);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const before = hashTree(dir, PROJECT_FILES);
    const r = await run(bun, ['install', '--frozen-lockfile'], { cwd: dir });
    expect(r.code, out(r)).toBe(1);
    expect(out(r)).toContain(`LIFEGUARD_LOCKFILE ${S}/plain@1.0.0`);
    expect(hashTree(dir, PROJECT_FILES)).toBe(before);
    expect(markerExists(markers, 'denied')).toBe(false);
    const check = lifeguard(dir, 'check');
    expect(check.code, check.out).toBe(1);
    expect(check.out).toContain(`REFUSED ${S}/plain@1.0.0 LIFEGUARD_LOCKFILE`);
  });

  it('remembers a package set found clean, and still sees a policy change on the next up-to-date install', async () => {
    const dir = project({ [`${S}/plain`]: '1.0.0' }, {});
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    const stamp = join(dir, 'node_modules/.cache/lifeguard/bun-checked');
    expect(readFileSync(stamp, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ packages: { deny: [`${S}/plain`] } }));
    const r = await run(bun, ['install'], { cwd: dir });
    expect(r.code, out(r)).toBe(1);
    expect(out(r)).toContain(`LIFEGUARD_DENY ${S}/plain@1.0.0`);
  });

  it('fails closed on an invalid lifeguard.json, naming the file and the field', async () => {
    const dir = project({}, {});
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: ['esbuild@^^1'] } }));
    const before = hashTree(dir, PROJECT_FILES);
    const r = await run(bun, ['add', `${S}/plain@1.0.0`], { cwd: dir });
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain(`invalid policy ${join(dir, 'lifeguard.json')} at $.scripts.allow[0]`);
    expect(hashTree(dir, PROJECT_FILES)).toBe(before);
  });

  it('prints Lifeguard warnings instead of sending Bun a `warn` (which cancels an install without a terminal)', async () => {
    const dir = project({}, { typosquat: { action: 'warn' } });
    const r = await run(bun, ['add', `${TYPOSQUAT}@1.0.0`], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(r.stderr).toContain('Lifeguard warning [LIFEGUARD_TYPOSQUAT');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty(TYPOSQUAT);
  });

  it('export --to bun --write turns a range approval into trustedDependencies and the release age into bunfig.toml', async () => {
    const dir = project({ [`${S}/approved`]: '1.0.0', [`${S}/unapproved`]: '1.0.0' }, {});
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: [`${S}/approved@^1.0.0`] }, releaseAge: { minimum: '3d' } }));
    const r = lifeguard(dir, 'export', '--to', 'bun', '--write');
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toEqual([`${S}/approved`]);
    // The existing [install] line is replaced in place; the rest of the file is kept.
    const bunfig = readFileSync(join(dir, 'bunfig.toml'), 'utf8');
    expect(bunfig).toMatch(/^minimumReleaseAge = 259200$/m);
    expect(bunfig).not.toMatch(/^minimumReleaseAge = 0$/m);
    expect(bunfig).toContain('scanner = "./.lifeguard/bun-scanner.js"');
    expect(bunfig).toContain(`registry = { url = ${JSON.stringify(reg.url)}`);
    // Bun reads the file it wrote: the next install still works and the trusted script runs.
    resetMarkers(markers);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const again = await run(bun, ['install'], { cwd: dir });
    expect(again.code, out(again)).toBe(0);
    expect(markerExists(markers, 'approved'), out(again)).toBe(true);
  });
});

describe('Bun: known gaps (docs/bypasses.md N1, N2)', () => {
  it('N1: `bun pm trust <pkg>` runs a blocked package\'s scripts without asking the scanner or the policy', async () => {
    resetMarkers(markers);
    const dir = project({ [`${S}/unapproved`]: '1.0.0' }, {});
    expect((await run(bun, ['install'], { cwd: dir })).code).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    const trust = await run(bun, ['pm', 'trust', `${S}/unapproved`], { cwd: dir });
    expect(trust.code, out(trust)).toBe(0);
    expect(markerExists(markers, 'unapproved'), out(trust)).toBe(true);
    // The CI gate sees it: the name is now trusted outside lifeguard.json.
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toContain(`${S}/unapproved`);
  });

  it('N2: `bun pm fetch` downloads a denied package without calling the scanner; lifeguard check is the backstop', async () => {
    const dir = project({ [`${S}/pulls-denied`]: '1.0.0' }, {});
    expect((await run(bun, ['install', '--lockfile-only'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ packages: { deny: [`${S}/denied`] } }));
    const cache = newMarkers();
    const fetch = await run(bun, ['pm', 'fetch'], { cwd: dir, env: { BUN_INSTALL_CACHE_DIR: cache } });
    expect(fetch.code, out(fetch)).toBe(0);
    expect(out(fetch)).not.toContain('LIFEGUARD');
    expect(readdirSync(join(cache, S)).some((e) => e.startsWith('denied@1.0.0')), readdirSync(cache, { recursive: true }).join(' ')).toBe(true);
    const check = lifeguard(dir, 'check');
    expect(check.code, check.out).toBe(1);
    expect(check.out).toContain(`REFUSED ${S}/denied@1.0.0 LIFEGUARD_DENY`);
  });
});
