/**
 * LIFEGUARD_MANIFEST_MISMATCH says only what is true, on real Yarn 4.18.1 (PnP): no warning for a
 * napi-rs style `*-wasm32-wasi` platform package that Yarn does not fetch on this machine (its metadata
 * and its package.json list the same dependencies), nor for dependencies the project's own
 * `packageExtensions` added. Registry metadata is compared with the archive, like with like.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, startRegistry, type Registry } from '../harness/index';
import { type Ctx, newMarkers, out, project, S, setUp, yarn } from './setup';

let reg: Registry;
const markers = newMarkers();
const ctx = { linker: 'pnp' } as Ctx;
const wasi = `${S}/napi-binding-wasm32-wasi`;

beforeAll(async () => {
  reg = await startRegistry();
  const manifest = (extra: object) => `${JSON.stringify({ name: wasi, version: '1.0.0', main: 'index.js', license: 'MIT', ...extra }, null, 2)}\n`;
  await Promise.all([
    publish(reg, [
      { name: `${S}/plain`, version: '1.0.0' },
      { name: `${S}/extended`, version: '1.0.0' },
      // What napi-rs publishes: a wasm32 package that depends on its runtime, listed by both metadata and package.json.
      { name: wasi, version: '1.0.0', dependencies: { [`${S}/plain`]: '^1.0.0' }, files: { 'package.json': manifest({ cpu: ['wasm32'], dependencies: { [`${S}/plain`]: '^1.0.0' } }) } },
      { name: `${S}/napi-binding`, version: '1.0.0', files: { 'package.json': `${JSON.stringify({ name: `${S}/napi-binding`, version: '1.0.0', main: 'index.js', optionalDependencies: { [wasi]: '1.0.0' } })}\n` } },
    ]),
    setUp(ctx),
  ]);
  Object.assign(ctx, { reg, markers });
});
afterAll(async () => {
  await reg?.stop();
});

describe('yarn 4.18.1, pnp linker: manifest mismatch', () => {
  it('does not warn for a platform package Yarn did not fetch, nor for the project\'s packageExtensions', async () => {
    const dir = project(ctx, { [`${S}/napi-binding`]: '1.0.0', [`${S}/extended`]: '1.0.0' }, {
      policy: {},
      yarnrc: ['packageExtensions:', `  "${S}/extended@*":`, '    dependencies:', `      "${S}/plain": "^1.0.0"`],
    });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).not.toContain('LIFEGUARD_MANIFEST_MISMATCH');
  });
});
