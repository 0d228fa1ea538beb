/**
 * The config-dependency plugin form: pnpm-plugin-lifeguard (its root pnpmfile.cjs) published to
 * the local registry, added with `pnpm add --config`, enforcing the policy on resolving and
 * frozen installs.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, markerExists, publish, REPO, startRegistry, type Registry } from '../harness/index';
import { type Ctx, ensurePnpmfile, getTool, newMarkers, out, pnpm, project, publishAll, resetMarkers, S, setDeps, setPolicy, VERSIONS } from './setup';

let reg: Registry;
const markers = newMarkers();
const PLUGIN_VERSION = '0.1.0';

beforeAll(async () => {
  reg = await startRegistry();
  ensurePnpmfile();
  const manifest = JSON.parse(readFileSync(join(REPO, 'packages/pnpm-hook/package.json'), 'utf8')) as { name: string };
  await Promise.all([
    publishAll(reg, markers),
    publish(reg, [
      {
        name: manifest.name,
        version: PLUGIN_VERSION,
        files: { 'pnpmfile.cjs': readFileSync(join(REPO, 'packages/pnpm-hook/pnpmfile.cjs'), 'utf8') },
      },
    ]),
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

describe.each(VERSIONS)('%s: config-dependency plugin', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  });

  it('gates scripts and refuses on resolving and frozen installs', async () => {
    resetMarkers(markers);
    const dir = project(ctx, {}, { policy: { scripts: { allow: [`${S}/pn-approved`] } }, pnpmfile: false });
    const add = await pnpm(ctx, dir, ['add', '--config', `pnpm-plugin-lifeguard@${PLUGIN_VERSION}`]);
    expect(add.code, out(add)).toBe(0);

    setDeps(dir, { [`${S}/pn-approved`]: '1.0.0', [`${S}/pn-unapproved`]: '1.0.0' });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'approved'), out(r)).toBe(true);
    expect(markerExists(markers, 'unapproved'), out(r)).toBe(false);
    expect(out(r)).toContain('Lifeguard: install scripts of 1 package did not run');

    // Frozen install from the lockfile on a clean checkout: same decisions.
    resetMarkers(markers);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const frozen = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(frozen.code, out(frozen)).toBe(0);
    expect(markerExists(markers, 'approved'), out(frozen)).toBe(true);
    expect(markerExists(markers, 'unapproved'), out(frozen)).toBe(false);

    // Editing the policy does not invalidate the lockfile (no policy data in the pnpmfile), and a
    // frozen install of a lockfile holding a now-denied package is refused.
    setPolicy(dir, { packages: { deny: [`${S}/pn-approved@1.0.0`] } });
    const before = hashTree(dir, ['package.json', 'pnpm-lock.yaml']);
    const denied = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(denied.code, out(denied)).not.toBe(0);
    expect(out(denied)).toContain('LIFEGUARD_DENY');
    expect(out(denied)).not.toContain('LOCKFILE_CONFIG_MISMATCH');
    expect(hashTree(dir, ['package.json', 'pnpm-lock.yaml'])).toBe(before);
  });
});
