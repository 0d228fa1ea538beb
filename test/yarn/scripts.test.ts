/**
 * The script gate of yarn-plugin-lifeguard on real Yarn 4.18.1, PnP and node-modules linkers:
 * unapproved lifecycle scripts and implicit node-gyp builds do not run (marker files), approved
 * ones do whatever enableScripts says, range entries, scripts.deny, `unapproved: "refuse"`,
 * a `patch:` that adds a postinstall, `mode: "warn"`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, startRegistry, type Registry } from '../harness/index';
import {
  type Ctx, gypMarker, LINKERS, newMarkers, out, project, projectHash, publishAll, resetMarkers, S, setPolicy, setUp, yarn,
} from './setup';

let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([publishAll(reg, markers), setUp(base)]);
});
afterAll(async () => {
  await reg?.stop();
});

describe.each(LINKERS)('yarn 4.18.1, %s linker: script gate', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it('does not run unapproved postinstall (direct or transitive) nor an unapproved binding.gyp build; the summary says how to approve', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/unapproved`]: '1.0.0', [`${S}/parent`]: '1.0.0', [`${S}/gyp`]: '1.0.0' }, { policy: {} });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(markerExists(markers, gypMarker(`${S}/gyp`))).toBe(false);
    expect(r.stdout).toContain('Lifeguard: install scripts of 2 packages did not run');
    expect(r.stdout).toContain(`${S}/unapproved@1.0.0 (postinstall) [scripts.unapproved]: to run them, add "${S}/unapproved@1.0.0" to "scripts.allow" in lifeguard.json`);
    expect(r.stdout).toContain('the next `yarn install` builds them');
    expect(r.stdout).toContain(`${S}/gyp@1.0.0 (node-gyp rebuild)`);
    // A second install (nothing changed) still does not run them.
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });

  it('runs approved scripts and the approved node-gyp build (even with enableScripts: false), and builds a package approved after the fact', async () => {
    resetMarkers(markers);
    const dir = project(
      ctx,
      { [`${S}/approved`]: '1.0.0', [`${S}/unapproved`]: '1.0.0', [`${S}/gyp`]: '1.0.0' },
      { policy: { scripts: { allow: [`${S}/approved`, { package: `${S}/gyp@1.0.0`, reason: 'native' }] } }, yarnrc: ['enableScripts: false'] },
    );
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved')).toBe(true);
    expect(markerExists(markers, gypMarker(`${S}/gyp`))).toBe(true);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    // Approving it later: the next plain install builds it.
    setPolicy(dir, { scripts: { allow: [`${S}/approved`, `${S}/gyp@1.0.0`, `${S}/unapproved@1.0.0`] } });
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(true);
  });

  it('honours semver-range allow entries exactly, and scripts.deny wins over scripts.allow', async () => {
    resetMarkers(markers);
    const dir = project(
      ctx,
      { r1: `npm:${S}/ranged@1.0.0`, r15: `npm:${S}/ranged@1.5.0`, r2: `npm:${S}/ranged@2.0.0`, [`${S}/denyscripts`]: '1.0.0' },
      { policy: { scripts: { allow: [`${S}/ranged@^1.0.0`, `${S}/denyscripts`], deny: [`${S}/denyscripts@1.0.0`] } } },
    );
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'ranged-1.0.0')).toBe(true);
    expect(markerExists(markers, 'ranged-1.5.0')).toBe(true);
    expect(markerExists(markers, 'ranged-2.0.0')).toBe(false);
    expect(markerExists(markers, 'denyscripts')).toBe(false);
    expect(r.stdout).toContain(`remove "${S}/denyscripts@1.0.0" from "scripts.deny"`);
  });

  it('fails the install with unapproved: "refuse", listing the package, and writes nothing', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/unapproved`]: '1.0.0' }, { policy: { scripts: { unapproved: 'refuse' } } });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_SCRIPTS');
    expect(r.stdout).toContain(`add "${S}/unapproved@1.0.0" to "scripts.allow"`);
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });

  it('does not run a postinstall that a patch: dependency adds', async () => {
    resetMarkers(markers);
    const original = `{\n  "name": "${S}/plain",\n  "version": "1.0.0",\n  "main": "index.js",\n  "license": "MIT"\n}\n`;
    const script = JSON.stringify(`node -e "require('fs').writeFileSync(${JSON.stringify(`${markers}/patched`).replace(/"/g, "'")},'ran')"`);
    const patch = [
      'diff --git a/package.json b/package.json',
      '--- a/package.json',
      '+++ b/package.json',
      '@@ -3,4 +3,7 @@',
      '   "version": "1.0.0",',
      '   "main": "index.js",',
      '-  "license": "MIT"',
      '+  "license": "MIT",',
      '+  "scripts": {',
      `+    "postinstall": ${script}`,
      '+  }',
      ' }',
      '',
    ].join('\n');
    expect(original.split('\n').length).toBe(7);
    const dir = project(ctx, { [`${S}/plain`]: `patch:${S}/plain@npm%3A1.0.0#./plain.patch` }, { policy: {}, files: { 'plain.patch': patch } });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toContain(`${S}/plain@1.0.0 (postinstall)`);
    expect(markerExists(markers, 'patched')).toBe(false);
    // Approved, the patched postinstall runs: proof that the patch really added one.
    setPolicy(dir, { scripts: { allow: [`${S}/plain@1.0.0`] } });
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'patched')).toBe(true);
  });

  it('mode "warn": refuses and strips nothing, reports every finding', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/denied`]: '1.0.0', [`${S}/unapproved`]: '1.0.0' }, { policy: { mode: 'warn', packages: { deny: [`${S}/denied`] } }, yarnrc: ['enableScripts: true'] });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(r.stdout).toContain('LIFEGUARD_SCRIPTS');
    // Yarn itself would run them here (enableScripts: true), so warn mode does too.
    expect(markerExists(markers, 'unapproved')).toBe(true);
    expect(markerExists(markers, 'denied')).toBe(true);
  });
});
