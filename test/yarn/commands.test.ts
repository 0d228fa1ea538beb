/**
 * Yarn commands other than install: `yarn rebuild` (Y10) and `yarn dlx` (bypass Y3 in docs/bypasses.md): dlx installs into a temporary project of its own
 * (`<tmp>/dlx-<pid>`), which copies the project's .yarnrc.yml (Lifeguard's plugin comes along) but
 * not its lifeguard.json, so the built-in default policy applied there and a package the project
 * denies was installed and run. Now the plugin judges a dlx install by the policy of the project
 * dlx was run from. Real Yarn 4.18.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publish, startRegistry, type Registry } from '../harness/index';
import { type Ctx, newMarkers, out, project, resetMarkers, setPolicy, setUp, yarn } from './setup';

const P = '@lg-yarndlx';
const TOOL = `${P}/tool`;
let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

beforeAll(async () => {
  reg = await startRegistry();
  const bin = `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(`${markers}/tool-bin`)}, 'ran');\n`;
  await Promise.all([
    // writeFixture writes `files` after its own package.json: this one (with `bin`) wins.
    publish(reg, [{ name: TOOL, version: '1.0.0', files: { 'bin.js': bin, 'package.json': JSON.stringify({ name: TOOL, version: '1.0.0', license: 'MIT', bin: { tool: 'bin.js' }, scripts: { postinstall: markerScript(markers, 'tool-postinstall') } }) } }]),
    setUp(base),
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

describe('yarn 4.18.1: yarn dlx inside a project applies that project\'s lifeguard.json', () => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker: 'pnp' });
  });

  it('a package the project denies is refused by `yarn dlx`; one it approves runs its install script', async () => {
    resetMarkers(markers);
    const dir = project(ctx, {}, { policy: { packages: { deny: [TOOL] } } });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const r = await yarn(ctx, dir, ['dlx', '-p', `${TOOL}@1.0.0`, 'tool']);
    expect(r.code, out(r)).not.toBe(0);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(r.stdout).toContain(`${dir}/lifeguard.json`);
    expect(markerExists(markers, 'tool-postinstall')).toBe(false);
    expect(markerExists(markers, 'tool-bin')).toBe(false);

    const ok = project(ctx, {}, { policy: { scripts: { allow: [TOOL] } } });
    const r1 = await yarn(ctx, ok, ['install']);
    expect(r1.code, out(r1)).toBe(0);
    const r2 = await yarn(ctx, ok, ['dlx', '-p', `${TOOL}@1.0.0`, 'tool']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'tool-postinstall'), 'the project\'s approval applies in the dlx project').toBe(true);
    expect(markerExists(markers, 'tool-bin')).toBe(true);
  });
});

describe('yarn 4.18.1: yarn rebuild', () => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker: 'node-modules' });
  });

  it('`yarn rebuild <pkg>` of an unapproved package does not run its script; of an approved one it does', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [TOOL]: '1.0.0' }, { policy: {} });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const r = await yarn(ctx, dir, ['rebuild', TOOL]);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'tool-postinstall'), out(r)).toBe(false);
    setPolicy(dir, { scripts: { allow: [TOOL] } });
    const r2 = await yarn(ctx, dir, ['rebuild', TOOL]);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'tool-postinstall'), 'control: an approved rebuild runs').toBe(true);
  });
});
