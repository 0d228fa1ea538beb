/**
 * Ways around the gate through other routes, on real pnpm 10, 11 and 12: a `link:` to a local
 * folder holding a denied package, a refused optional dependency, a refused install in a
 * workspace, `pnpm install-test`, `pnpm dlx` and global installs (no project: the user-level policy applies).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, markerExists, markerScript, publish, startRegistry, tempProject, type Registry } from '../harness/index';
import { type Ctx, ensurePnpmfile, fixtures, getTool, newMarkers, out, pnpm, project, projectHash, resetMarkers, S, setPolicy, VERSIONS } from './setup';

/** Each case runs several real installs; the machine may be shared. */
const LONG = 240_000;

let reg: Registry;
const markers = newMarkers();
const DENY = { packages: { deny: [`${S}/pn-denied`] } };

/** A package with a bin (what `pnpm dlx` runs) and a postinstall that leaves a marker. */
const binFixture = (name: string, dependencies: Record<string, string> = {}) => ({
  name,
  version: '1.0.0',
  files: {
    'package.json': JSON.stringify({ name, version: '1.0.0', bin: { [name.split('/')[1]!]: 'bin.js' }, dependencies, scripts: { postinstall: markerScript(markers, name.split('/')[1]!) } }),
    'bin.js': `#!/usr/bin/env node\nconsole.log(${JSON.stringify(`${name} RAN`)});\n`,
  },
});

beforeAll(async () => {
  reg = await startRegistry();
  const used = [`${S}/pn-plain`, `${S}/pn-approved`, `${S}/pn-ranged`, `${S}/pn-denied`];
  await publish(reg, [
    ...fixtures(reg, markers).filter((f) => used.includes(f.name)),
    // An allowed package that pulls in the denied one: resolved (and fetched) before the refusal.
    { name: `${S}/pn-via`, version: '1.0.0', dependencies: { [`${S}/pn-denied`]: '1.0.0' }, scripts: { postinstall: markerScript(markers, 'via') } },
    binFixture(`${S}/pn-bin`),
    binFixture(`${S}/pn-bin-denied`, { [`${S}/pn-denied`]: '1.0.0' }),
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

describe.each(VERSIONS)('%s: routes around the gate', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  }, LONG);

  it('refuses a denied package behind link: or as an optional dependency, leaving the project as it was', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-denied`]: 'link:./vendor/denied' }, { policy: DENY });
    mkdirSync(join(dir, 'vendor/denied'), { recursive: true });
    writeFileSync(join(dir, 'vendor/denied/package.json'), JSON.stringify({ name: `${S}/pn-denied`, version: '1.0.0' }));
    const before = projectHash(dir);
    const linked = await pnpm(ctx, dir, ['install']);
    expect(linked.code, out(linked)).not.toBe(0);
    expect(out(linked)).toContain('LIFEGUARD_DENY');
    expect(out(linked)).toContain(`${S}/pn-denied@1.0.0`);
    expect(projectHash(dir)).toBe(before);

    // pnpm 11 drops an optional dependency whose readPackage threw and installs the rest: refused.
    const dir2 = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy: DENY });
    const r0 = await pnpm(ctx, dir2, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const pkg = { name: 'lg-e2e-project', version: '1.0.0', private: true, dependencies: { [`${S}/pn-plain`]: '1.0.0' }, optionalDependencies: { [`${S}/pn-denied`]: '1.0.0' } };
    writeFileSync(join(dir2, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const before2 = projectHash(dir2);
    const optional = await pnpm(ctx, dir2, ['install']);
    expect(optional.code, out(optional)).not.toBe(0);
    expect(out(optional)).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir2)).toBe(before2);
    expect(markerExists(markers, 'denied')).toBe(false);
  }, LONG);

  it('a refused install in a workspace leaves every package folder byte-identical; install-test checks the lockfile', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, {
      policy: DENY,
      workspaceYaml: 'packages:\n  - pkgs/*\n',
      files: { 'pkgs/a/package.json': JSON.stringify({ name: 'ws-a', version: '1.0.0', dependencies: { [`${S}/pn-approved`]: '1.0.0' } }) },
    });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    // New allowed packages, one of which pulls in the denied one: nothing of any may land anywhere.
    writeFileSync(join(dir, 'pkgs/a/package.json'), JSON.stringify({ name: 'ws-a', version: '1.0.0', dependencies: { [`${S}/pn-approved`]: '1.0.0', [`${S}/pn-ranged`]: '1.0.0', [`${S}/pn-via`]: '1.0.0' } }));
    const state = ['package.json', 'pnpm-lock.yaml', 'node_modules', 'pkgs'];
    const before = hashTree(dir, state);
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(hashTree(dir, state), 'node_modules/.pnpm and pkgs/a/node_modules unchanged').toBe(before);

    // `pnpm install-test` of a project whose installed package the policy came to deny (pnpm 11/12
    // used to say "Already up to date" and run the tests).
    writeFileSync(join(dir, 'pkgs/a/package.json'), JSON.stringify({ name: 'ws-a', version: '1.0.0', scripts: { test: 'node -e 0' }, dependencies: { [`${S}/pn-approved`]: '1.0.0' } }));
    const root = { name: 'lg-e2e-project', version: '1.0.0', private: true, scripts: { test: 'node -e 0' }, dependencies: { [`${S}/pn-plain`]: '1.0.0' } };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
    const it1 = await pnpm(ctx, dir, ['install-test']);
    expect(it1.code, out(it1)).toBe(0);
    setPolicy(dir, { packages: { deny: [`${S}/pn-plain@1.0.0`] } });
    const before2 = hashTree(dir, state);
    const it2 = await pnpm(ctx, dir, ['install-test']);
    expect(it2.code, out(it2)).not.toBe(0);
    expect(out(it2)).toContain('LIFEGUARD_DENY');
    expect(hashTree(dir, state)).toBe(before2);
  }, LONG);

  it('pnpm dlx: the user-level policy applies in the dlx folder, and the report says what ran', async () => {
    resetMarkers(markers);
    const dir = project(ctx, {});
    const config = tempProject({ 'lifeguard/lifeguard.json': `${JSON.stringify(DENY)}\n` });
    const env = { XDG_CONFIG_HOME: config };
    const denied = await pnpm(ctx, dir, ['dlx', `${S}/pn-bin-denied@1.0.0`], env);
    const ran = await pnpm(ctx, dir, ['dlx', `${S}/pn-bin@1.0.0`], env);
    // pnpm dlx approves the build of the package it runs: its postinstall runs on every version.
    expect(ran.code, out(ran)).toBe(0);
    expect(out(ran)).toContain(`${S}/pn-bin RAN`);
    expect(markerExists(markers, 'pn-bin'), out(ran)).toBe(true);
    if (v === 'pnpm12') {
      // pnpm 12 calls no install hook for the dlx install: Lifeguard is not in the loop (docs/bypasses.md L-P).
      expect(denied.code, out(denied)).toBe(0);
      return;
    }
    expect(denied.code, out(denied)).not.toBe(0);
    expect(out(denied)).toContain('LIFEGUARD_DENY');
    expect(out(denied)).not.toContain(`${S}/pn-bin-denied RAN`);
    expect(markerExists(markers, 'pn-bin-denied')).toBe(false);
    expect(out(ran)).toContain(`your user-level policy ${join(config, 'lifeguard', 'lifeguard.json')} applies`);
    expect(out(ran)).toContain(`the install scripts of ${S}/pn-bin@1.0.0 ran`);
    expect(out(ran)).not.toMatch(/did not run[^]*pn-bin@1\.0\.0/);
  }, LONG);

  it('a global install with Lifeguard as global-pnpmfile: the user-level policy applies', async () => {
    resetMarkers(markers);
    const dir = project(ctx, {}, { pnpmfile: false });
    const home = tempProject({ 'lifeguard/lifeguard.json': `${JSON.stringify(DENY)}\n` });
    const pnpmHome = join(home, 'pnpm-home');
    mkdirSync(pnpmHome);
    // The global install reads no project .npmrc: the registry is given, so only 127.0.0.1 is asked.
    const env = { XDG_CONFIG_HOME: home, PNPM_HOME: pnpmHome, PATH: `${pnpmHome}:${pnpmHome}/bin:${process.env.PATH ?? ''}` };
    const r = await pnpm(ctx, dir, ['add', '-g', `${S}/pn-via@1.0.0`, `--registry=${reg.url}`, `--config.global-pnpmfile=${ensurePnpmfile()}`], env);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(out(r)).toContain(`your user-level policy ${join(home, 'lifeguard', 'lifeguard.json')} applies`);
    expect(markerExists(markers, 'via'), out(r)).toBe(false);
  }, LONG);
});
