/**
 * Refusals under Lifeguard on real pnpm 10, 11 and 12: denied, typosquat, advisory and
 * exotic-source packages fail the install and leave package.json, the lockfile and
 * node_modules byte-identical; frozen installs of a lockfile with a denied package fail;
 * an invalid lifeguard.json fails closed; `pnpm add` of a denied package changes nothing.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publishFast, startRegistry, type Registry } from '../harness/index';
import {
  assertTyposquatFixture, type Ctx, getTool, newMarkers, OSV_RECORD, out, pnpm, project, projectHash, publishAll, resetMarkers, S, setDeps,
  setPolicy, TYPOSQUAT, VERSIONS,
} from './setup';

let reg: Registry;
const markers = newMarkers();

beforeAll(async () => {
  assertTyposquatFixture();
  reg = await startRegistry();
  await publishAll(reg, markers);
});
afterAll(async () => {
  await reg?.stop();
});

const policy = {
  packages: { deny: [`${S}/pn-denied`] },
  advisories: { feeds: ['security/osv'] },
};
const files = { 'security/osv/MAL-2099-0001.json': `${JSON.stringify(OSV_RECORD, null, 2)}\n` };

const CASES = [
  { what: 'a denied package', dep: `${S}/pn-denied`, spec: '1.0.0', code: 'LIFEGUARD_DENY', names: [`${S}/pn-denied`, 'packages.deny'], marker: 'denied' },
  { what: 'a typosquat', dep: TYPOSQUAT, spec: '1.0.0', code: 'LIFEGUARD_TYPOSQUAT', names: [TYPOSQUAT, 'express', 'typosquat.ignore'], marker: 'typosquat' },
  { what: 'an advisory (OSV feed in the project)', dep: `${S}/pn-malicious`, spec: '1.0.0', code: 'LIFEGUARD_ADVISORY', names: ['MAL-2099-0001', `${S}/pn-malicious`], marker: 'malicious' },
  {
    what: 'a transitive http-tarball dependency',
    dep: `${S}/pn-exotic-parent`,
    spec: '1.0.0',
    code: 'LIFEGUARD_SOURCE',
    names: [`${S}/pn-exotic-parent`, `${S}/pn-tarball-child`, 'sources.allow'],
    marker: 'tarball-child',
  },
];

describe.each(VERSIONS)('%s: refusals', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  });

  it.each(CASES)('refuses $what and leaves the project byte-identical', async (c) => {
    resetMarkers(markers);
    // An installed project (lockfile + node_modules) to which the bad dependency is then added.
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy, files });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/pn-plain`]: '1.0.0', [c.dep]: c.spec });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    const text = out(r);
    expect(text).toContain(c.code);
    expect(text).toContain('Lifeguard refused');
    for (const n of c.names) expect(text).toContain(n);
    expect(projectHash(dir), 'package.json, pnpm-lock.yaml and node_modules must be unchanged').toBe(before);
    expect(markerExists(markers, c.marker)).toBe(false);
  });

  it('refuses a frozen install whose lockfile holds a denied package', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' }, { policy: {} });
    const r0 = await pnpm(ctx, dir, ['install', '--lockfile-only']);
    expect(r0.code, out(r0)).toBe(0);
    setPolicy(dir, { packages: { deny: [`${S}/pn-plain@1.0.0`] } });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(out(r)).toContain(`${S}/pn-plain@1.0.0`);
    expect(out(r)).toContain('pnpm-lock.yaml');
    expect(projectHash(dir)).toBe(before);
  });

  it('refuses a no-op install once the policy denies an installed package', async () => {
    // The feed or the deny list changed after the install: lockfile and node_modules are up to
    // date, so pnpm resolves nothing, yet the package must not stay installed unremarked.
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' }, { policy: {} });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setPolicy(dir, { packages: { deny: [`${S}/pn-plain@1.0.0`] } });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(out(r)).toContain(`${S}/pn-plain@1.0.0`);
    expect(projectHash(dir)).toBe(before);
    // Commands that only read (and `pnpm run`, which never resolves) are not blocked.
    const ls = await pnpm(ctx, dir, ['ls']);
    expect(ls.code, out(ls)).toBe(0);
  });

  it('refuses a no-op install once a feed update marks an installed release, whatever it remembered', async () => {
    // The policy file does not change, the advisory feed it points at does: a verdict remembered
    // for the lockfile (a stamp in Lifeguard's cache folder) must not outlive the feed.
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-malicious`]: '1.0.0' }, { policy: { advisories: { feeds: ['security/osv'] } }, files: { 'security/osv/README.md': 'feed\n' } });
    const env = { LIFEGUARD_CACHE_DIR: `${dir}-cache` };
    const r0 = await pnpm(ctx, dir, ['install'], env);
    expect(r0.code, out(r0)).toBe(0);
    const r1 = await pnpm(ctx, dir, ['install'], env);
    expect(r1.code, out(r1)).toBe(0);
    if (ctx.v !== 'pnpm10') expect(readdirSync(join(`${dir}-cache`, 'pnpm-checked'))).toHaveLength(1);
    writeFileSync(join(dir, 'security/osv/MAL-2099-0001.json'), JSON.stringify(OSV_RECORD));
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install'], env);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_ADVISORY');
    expect(out(r)).toContain('MAL-2099-0001');
    expect(projectHash(dir)).toBe(before);
  });

  it('lets the project drop a package the policy denies after it was installed', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' }, { policy: {} });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setPolicy(dir, { packages: { deny: [`${S}/pn-plain@1.0.0`] } });
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const still = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(still.code, 'still wanted: refused').not.toBe(0);
    expect(out(still)).toContain('LIFEGUARD_DENY');
    expect(out(still).replace(/\s*\n\s*(?:│\s*)?/g, ' ')).toContain('delete the dependency that pulls it in from package.json');
    // `pnpm remove` reads the old package.json in preResolution; deleting the line works.
    setDeps(dir, { [`${S}/pn-approved`]: '1.0.0' });
    const r = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(r.code, out(r)).toBe(0);
    expect(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8')).not.toContain('pn-plain');
    expect(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8')).toContain('pn-approved');
  });

  it('fails closed on an invalid lifeguard.json, naming the file and the JSON path', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy: { scripts: { allow: ['@lg-fixture/ok', 42] } } });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    const text = out(r).replace(/\s*\n\s*(?:│\s*)?/g, ' ');
    expect(text).toContain('invalid policy');
    expect(text).toContain('$.scripts.allow[1]');
    expect(text).toMatch(/lifeguard\.json/);
    expect(projectHash(dir)).toBe(before);
  });

  it('`pnpm add` of a denied package leaves the project unchanged', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy, files });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['add', `${S}/pn-denied@1.0.0`]);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  });

  it("lets the project's own manifest use an http tarball (workspace packages choose their sources)", async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: `${reg.url}@lg-fixture/pn-plain/-/pn-plain-1.0.0.tgz` }, { policy: {} });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).not.toContain('LIFEGUARD_SOURCE');
  });

  it('maps releaseAge to pnpm\'s own age gate (and its exclude list)', async () => {
    // The fixtures were published seconds ago: a 1-day minimum release age must refuse them.
    const dir = project(ctx, { [`${S}/pn-plain`]: '^1.0.0' }, { policy: { releaseAge: { minimum: '1d' } } });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('NO_MATURE_MATCHING_VERSION');
    setPolicy(dir, { releaseAge: { minimum: '1d', exclude: [`${S}/pn-plain`] } });
    const r2 = await pnpm(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
  });

  it('workspace packages keep their own scripts and may pick exotic sources; their dependencies may not', async () => {
    resetMarkers(markers);
    const app = {
      name: 'lg-e2e-app',
      version: '1.0.0',
      private: true,
      scripts: { postinstall: markerScript(markers, 'workspace-app') },
      dependencies: { [`${S}/pn-plain`]: `${reg.url}@lg-fixture/pn-plain/-/pn-plain-1.0.0.tgz` } as Record<string, string>,
    };
    const dir = project(ctx, {}, {
      policy: {},
      workspaceYaml: 'packages:\n  - "packages/*"\n',
      files: { 'packages/app/package.json': `${JSON.stringify(app, null, 2)}\n` },
    });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).not.toContain('LIFEGUARD_SOURCE');
    expect(markerExists(markers, 'workspace-app'), out(r)).toBe(true);

    // The same http tarball one level down (a published package's dependency) is refused.
    app.dependencies = { ...app.dependencies, [`${S}/pn-exotic-parent`]: '1.0.0' };
    writeFileSync(join(dir, 'packages/app/package.json'), `${JSON.stringify(app, null, 2)}\n`);
    const before = projectHash(dir);
    const r2 = await pnpm(ctx, dir, ['install']);
    expect(r2.code, out(r2)).not.toBe(0);
    expect(out(r2)).toContain('LIFEGUARD_SOURCE');
    expect(projectHash(dir)).toBe(before);
  });
});

// Issue 10: names compare case-insensitively, and look-alikes with real traffic (the 2026-03
// download snapshot) are installed. `npm publish` refuses capital letters; mirrors do not, so
// the upper-case fixture goes in with a direct PUT.
describe('pnpm12: letter case and the download snapshot', () => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v: 'pnpm12', t: await getTool('pnpm12') });
    await publishFast(reg, [
      { name: 'Express', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'upper-case') } },
      { name: 'ansicolor', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'established') } },
      { name: 'plain-crypto-js', version: '4.2.1', scripts: { postinstall: markerScript(markers, 'extra-word') } },
      { name: 'crypto-js-extra', version: '1.0.0' },
    ]);
  });

  it('refuses an upper-case look-alike of a popular name (Express), and packages.deny matches it in any case', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy: {} });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/pn-plain`]: '1.0.0', Express: '1.0.0' });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    // pnpm 12 wraps the pnpmfile's message in a box: compare with the wrapping removed.
    const text = out(r).replace(/[\s│├╰─▶]+/g, ' ');
    expect(text).toContain('LIFEGUARD_TYPOSQUAT');
    expect(text).toContain('"Express" is "express" in different letter case');
    expect(text).toContain('"typosquat": { "ignore": ["Express"] }');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'upper-case')).toBe(false);

    setPolicy(dir, { typosquat: { action: 'off' }, packages: { deny: ['EXPRESS'] } });
    const r2 = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(r2.code, out(r2)).not.toBe(0);
    expect(out(r2)).toContain('LIFEGUARD_DENY');
    expect(markerExists(markers, 'upper-case')).toBe(false);
  });

  it('installs an established look-alike (ansicolor: 540,000 downloads a month, one separator from ansi-color)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { ansicolor: '1.0.0' }, { policy: {} });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).not.toContain('LIFEGUARD_TYPOSQUAT');
    expect(readdirSync(join(dir, 'node_modules'))).toContain('ansicolor');
    expect(markerExists(markers, 'established')).toBe(false); // its script is still not approved
  });

  it('an extra word around a popular name warns, and refuses when the package runs install scripts (plain-crypto-js)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { 'crypto-js-extra': '1.0.0' }, { policy: {} });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).toContain('LIFEGUARD_TYPOSQUAT');
    expect(readdirSync(join(dir, 'node_modules'))).toContain('crypto-js-extra');
    setDeps(dir, { 'crypto-js-extra': '1.0.0', 'plain-crypto-js': '4.2.1' });
    const before = projectHash(dir);
    const r2 = await pnpm(ctx, dir, ['install']);
    expect(r2.code, out(r2)).not.toBe(0);
    const text = out(r2).replace(/[\s│├╰─▶]+/g, ' ');
    expect(text).toContain('refused because it runs install scripts');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'extra-word')).toBe(false);
  });
});
