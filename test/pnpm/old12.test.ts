/**
 * pnpm 12.0–12.15 do not call preResolution on frozen installs: Lifeguard checks the lockfile
 * from updateConfig there (as on every up-to-date install), resolving installs are still refused
 * by readPackage, and builds are still gated by updateConfig.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, startRegistry, tool, type Registry } from '../harness/index';
import { type Ctx, newMarkers, out, pnpm, project, projectHash, publishAll, resetMarkers, S, setDeps, setPolicy } from './setup';

let reg: Registry;
const markers = newMarkers();
const ctx = {} as Ctx;

beforeAll(async () => {
  reg = await startRegistry();
  await publishAll(reg, markers);
  Object.assign(ctx, { reg, markers, v: 'pnpm12', t: await tool('pnpm12.4') });
});
afterAll(async () => {
  await reg?.stop();
});

describe('pnpm 12.4.2 (no preResolution on frozen installs)', () => {
  it('gates builds, refuses while resolving, and refuses a frozen install of a lockfile with a denied package', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/pn-approved`]: '1.0.0', [`${S}/pn-unapproved`]: '1.0.0' }, {
      policy: { scripts: { allow: [`${S}/pn-approved`] }, packages: { deny: [`${S}/pn-denied`] } },
    });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
    expect(markerExists(markers, 'unapproved')).toBe(false);

    setDeps(dir, { [`${S}/pn-approved`]: '1.0.0', [`${S}/pn-denied`]: '1.0.0' });
    const denied = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(denied.code, out(denied)).not.toBe(0);
    expect(out(denied)).toContain('LIFEGUARD_DENY');

    setDeps(dir, { [`${S}/pn-approved`]: '1.0.0', [`${S}/pn-unapproved`]: '1.0.0' });
    setPolicy(dir, { scripts: { allow: [`${S}/pn-approved`] }, packages: { deny: [`${S}/pn-unapproved`] } });
    const before = projectHash(dir);
    const frozen = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(frozen.code, out(frozen)).not.toBe(0);
    expect(out(frozen)).toContain('LIFEGUARD_DENY');
    expect(out(frozen)).toContain(`${S}/pn-unapproved@1.0.0`);
    expect(projectHash(dir)).toBe(before);
  });
});
