/**
 * Lifecycle scripts under Lifeguard, on real pnpm 10, 11 and 12 against a local registry:
 * unapproved skipped, approved run, range approvals, binding.gyp, scripts.deny.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, startRegistry, type Registry } from '../harness/index';
import { type Ctx, getTool, newMarkers, out, pnpm, project, publishAll, resetMarkers, S, VERSIONS } from './setup';

let reg: Registry;
const markers = newMarkers();

beforeAll(async () => {
  reg = await startRegistry();
  await publishAll(reg, markers);
});
afterAll(async () => {
  await reg?.stop();
});

const policy = {
  scripts: {
    allow: [`${S}/pn-approved`, `${S}/pn-ranged@^1.0.0`, `${S}/pn-gyp-ok`],
  },
};

describe.each(VERSIONS)('%s: lifecycle scripts', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  });

  it('skips unapproved scripts and binding.gyp builds, runs approved ones, honours ranges', async () => {
    resetMarkers(markers);
    // The project's own pnpm settings try to approve the unapproved package: Lifeguard's gate wins.
    const dir = project(ctx, {
      [`${S}/pn-unapproved`]: '1.0.0',
      [`${S}/pn-approved`]: '1.0.0',
      [`${S}/pn-ranged`]: '1.5.0',
      'ranged-out': `npm:${S}/pn-ranged@2.0.0`,
      [`${S}/pn-gyp`]: '1.0.0',
      [`${S}/pn-gyp-ok`]: '1.0.0',
    }, {
      policy,
      workspaceYaml: `allowBuilds:\n  "${S}/pn-unapproved": true\n  "${S}/pn-gyp": true\n`,
    });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
    expect(markerExists(markers, 'unapproved'), out(r)).toBe(false);
    expect(markerExists(markers, 'ranged-2.0.0'), out(r)).toBe(false);
    expect(existsSync(join(dir, 'node_modules', S, 'pn-gyp', 'build')), 'pn-gyp must not be built').toBe(false);
    expect(existsSync(join(dir, 'node_modules', S, 'pn-gyp-ok', 'build')), `pn-gyp-ok must be built\n${out(r)}`).toBe(true);
    // The end-of-install summary names each skipped package and how to approve it.
    expect(out(r)).toContain(`${S}/pn-unapproved@1.0.0`);
    expect(out(r)).toMatch(/add "@lg-fixture\/pn-unapproved@1\.0\.0" to "scripts\.allow"/);
    expect(out(r)).toMatch(/not built yet: .*@lg-fixture\/pn-ranged@1\.5\.0/);
    expect(out(r)).not.toMatch(/not built yet: .*@lg-fixture\/pn-(approved|gyp-ok)@/);

    // A range approval covers every version in the lockfile: at the latest on the next install
    // for a version resolved for the first time (pnpm takes exact versions only).
    const r2 = await pnpm(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'ranged-1.5.0'), out(r) + out(r2)).toBe(true);
    expect(markerExists(markers, 'ranged-2.0.0')).toBe(false);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(existsSync(join(dir, 'node_modules', S, 'pn-gyp', 'build'))).toBe(false);
  });

  it('range approval applies on a fresh install from an existing lockfile', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-ranged`]: '1.0.0', 'ranged-out': `npm:${S}/pn-ranged@2.0.0` }, { policy });
    const r = await pnpm(ctx, dir, ['install', '--lockfile-only']);
    expect(r.code, out(r)).toBe(0);
    const r2 = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'ranged-1.0.0'), out(r2)).toBe(true);
    expect(markerExists(markers, 'ranged-2.0.0'), out(r2)).toBe(false);
    if (v !== 'pnpm12') {
      // pnpm 10/11 run hooks in process: the summary also covers frozen installs.
      expect(out(r2)).toMatch(/did not run[^]*@lg-fixture\/pn-ranged@2\.0\.0/);
    }
  });

  it('scripts.deny beats scripts.allow and dangerouslyAllowAllBuilds: true', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-denyscripts`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' }, {
      policy: { scripts: { allow: [`${S}/pn-denyscripts`, `${S}/pn-approved`], deny: [`${S}/pn-denyscripts@1.0.0`] } },
      workspaceYaml: 'dangerouslyAllowAllBuilds: true\n',
      npmrc: 'dangerously-allow-all-builds=true\n',
    });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'denyscripts'), out(r)).toBe(false);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
  });

  it('unapproved: "refuse" fails the install listing the package', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-unapproved`]: '1.0.0' }, { policy: { scripts: { unapproved: 'refuse' } } });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain(`${S}/pn-unapproved`);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });

  it('mode "warn" refuses nothing and reports findings', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-denied`]: '1.0.0' }, {
      policy: { mode: 'warn', packages: { deny: [`${S}/pn-denied`] } },
    });
    const r = await pnpm(ctx, dir, ['install']);
    // pnpm 11/12 fail on ignored builds by default (strictDepBuilds): warn mode leaves pnpm's own behaviour.
    expect(out(r)).toContain('LIFEGUARD_DENY');
    expect(existsSync(join(dir, 'node_modules', S, 'pn-denied', 'package.json')), out(r)).toBe(true);
  });

  it('no policy file: defaults apply and are announced once', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-unapproved`]: '1.0.0' });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(out(r).match(/built-in default policy applies/g)?.length, out(r)).toBe(1);
    // Other commands also run updateConfig: no Lifeguard chatter there.
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, scripts: { hello: 'node -e "console.log(42)"' } }));
    const run = await pnpm(ctx, dir, ['run', 'hello']);
    expect(run.code, out(run)).toBe(0);
    expect(out(run)).toContain('42');
    expect(out(run)).not.toContain('Lifeguard');
  });
});
