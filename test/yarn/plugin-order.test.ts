/**
 * Plugin order (bypass Y1/Y2 in docs/bypasses.md): a second Yarn plugin, loaded after Lifeguard,
 * that assigns its own `Project.prototype.getDependencyMeta` (every build approved) or
 * `MultiFetcher.prototype.fetch` (refusals skipped) used to win, while Lifeguard's summary still
 * said the scripts did not run. Now the install fails before anything is written, naming the
 * plugin file. Real Yarn 4.18.1, PnP and node-modules; each foreign plugin writes a marker when
 * Yarn loads it, so a test cannot pass because the plugin was never in the loop.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publish, startRegistry, type Registry } from '../harness/index';
import { type Ctx, ensurePlugin, LINKERS, newMarkers, out, project, projectHash, resetMarkers, yarn } from './setup';

const P = '@lg-yarnorder';
let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

beforeAll(async () => {
  reg = await startRegistry();
  const { setUp } = await import('./setup');
  await Promise.all([
    publish(reg, [
      { name: `${P}/unapproved`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'unapproved') } },
      { name: `${P}/denied`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'denied') } },
    ]),
    setUp(base),
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

/** A plugin file that re-patches one of Lifeguard's methods the way a conflicting plugin would. */
function foreignPlugin(label: string, body: string): string {
  return `module.exports = { name: 'plugin-${label}', factory: (require) => {
  require('fs').mkdirSync(${JSON.stringify(markers)}, { recursive: true });
  require('fs').writeFileSync(${JSON.stringify(join(markers, `loaded-${label}`))}, 'loaded');
  const { Project, MultiFetcher } = require('@yarnpkg/core');
  ${body}
  return {};
} };
`;
}

const CASES = [
  {
    what: 'getDependencyMeta re-patched to build everything',
    label: 'build-all',
    body: `const orig = Project.prototype.getDependencyMeta;
  Project.prototype.getDependencyMeta = function (ident, version) { return { ...orig.call(this, ident, version), built: true }; };`,
    dep: `${P}/unapproved`,
    policy: {},
    marker: 'unapproved',
    method: 'Project.prototype.getDependencyMeta',
  },
  {
    what: 'MultiFetcher.fetch re-patched to skip refusals',
    label: 'fetch-direct',
    body: `MultiFetcher.prototype.fetch = async function (locator, opts) { return this.getFetcher(locator, opts).fetch(locator, opts); };`,
    dep: `${P}/denied`,
    policy: { packages: { deny: [`${P}/denied`] }, scripts: { allow: [`${P}/denied`] } },
    marker: 'denied',
    method: 'MultiFetcher.prototype.fetch',
  },
];

describe.each(LINKERS)('yarn 4.18.1, %s linker: a plugin loaded after Lifeguard that re-patches its methods', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it.each(CASES)('$what: the install fails naming the plugin file, nothing runs or is written', async (c) => {
    resetMarkers(markers);
    const file = `.yarn/plugins/plugin-${c.label}.cjs`;
    const dir = project(ctx, { [c.dep]: '1.0.0' }, {
      policy: c.policy,
      plugin: false,
      files: { [file]: foreignPlugin(c.label, c.body) },
      yarnrc: ['plugins:', `  - ${JSON.stringify(ensurePlugin())}`, `  - ${JSON.stringify(file)}`],
    });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(markerExists(markers, `loaded-${c.label}`), 'the foreign plugin was loaded').toBe(true);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('another Yarn plugin replaces the methods Lifeguard enforces through');
    expect(r.stdout).toContain(c.method);
    expect(r.stdout).toContain(join(dir, file));
    expect(markerExists(markers, c.marker), 'the script must not run').toBe(false);
    expect(projectHash(dir)).toBe(before);
  });
});
