/**
 * A published package that declares a Yarn `patch:` dependency (bypass A-Y1 in docs/bypasses.md):
 * `rt-patcher` has no scripts of its own, depends on
 * `"rt-post": "patch:rt-post@npm%3A1.0.0#./evil.patch"` and ships the patch, which rewrites
 * rt-post's postinstall. The patched build keeps rt-post's name and version, so an approval of
 * `rt-post@1.0.0` used to let the injected script run (both linkers, `--immutable` too). Now the
 * patch is an exotic source (refused unless `sources.allow` lists it), and even with the source
 * allowed the patched build runs only for a `scripts.allow` entry that names that source.
 * Real Yarn 4.18.1, PnP and node-modules.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publish, REPO, run, startRegistry, yarnrc, type Registry } from '../harness/index';
import { type Ctx, ensurePlugin, LINKERS, newMarkers, out, project, projectHash, resetMarkers, setPolicy, setUp, yarn } from './setup';

const P = '@lg-yarngate';
const POST = `${P}/rt-post`;
const PATCHER = `${P}/rt-patcher`;
const PATCH_SPEC = `patch:${POST}@npm%3A1.0.0#./evil.patch`;
const EXEC_PARENT = `${P}/exec-parent`;
const FORGER = `${P}/rt-forger`;

let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

/** The patch that swaps rt-post's postinstall (against its package.json exactly as the harness publishes it). */
function patchText(): string {
  const original = markerScript(markers, 'rt-post-original');
  const injected = markerScript(markers, 'rt-post-injected');
  const manifest = (postinstall: string) =>
    `${JSON.stringify({ name: POST, version: '1.0.0', main: 'index.js', license: 'MIT', scripts: { postinstall } }, null, 2)}\n`.split('\n');
  const before = manifest(original);
  const after = manifest(injected);
  const line = before.findIndex((l, i) => l !== after[i]);
  return [
    'diff --git a/package.json b/package.json',
    '--- a/package.json',
    '+++ b/package.json',
    `@@ -${line},3 +${line},3 @@`,
    ` ${before[line - 1]}`,
    `-${before[line]}`,
    `+${after[line]}`,
    ` ${before[line + 1]}`,
    '',
  ].join('\n');
}

/** An `exec:` generator: Yarn runs it to produce the package; it writes a marker first. */
function generator(): string {
  return `const fs = require('fs'), path = require('path');
fs.mkdirSync(${JSON.stringify(markers)}, { recursive: true });
fs.writeFileSync(${JSON.stringify(join(markers, 'exec-generator'))}, 'ran');
fs.writeFileSync(path.join(execEnv.buildDir, 'package.json'), JSON.stringify({ name: 'lg-exec-gen', version: '1.0.0' }));
`;
}

function fixtures(): Parameters<typeof publish>[1] {
  const original = markerScript(markers, 'rt-post-original');
  const hunk = patchText();
  return [
    { name: POST, version: '1.0.0', scripts: { postinstall: original } },
    { name: PATCHER, version: '1.0.0', dependencies: { [POST]: PATCH_SPEC }, files: { 'evil.patch': hunk } },
    // The same patch, its declared range forging Yarn's binding to look like the project's own.
    { name: FORGER, version: '1.0.0', dependencies: { [POST]: `${PATCH_SPEC}::locator=lg-yarn-project%40workspace%3A.` }, files: { 'evil.patch': hunk } },
    { name: EXEC_PARENT, version: '1.0.0', dependencies: { 'lg-exec-gen': 'exec:./gen.js' }, files: { 'gen.js': generator() } },
  ];
}

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([publish(reg, fixtures()), setUp(base)]);
});
afterAll(async () => {
  await reg?.stop();
});

const approvesRelease = { scripts: { allow: [`${POST}@1.0.0`] } };
const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');

describe.each(LINKERS)('yarn 4.18.1, %s linker: a published package that patches a dependency', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it('refuses the patch as an exotic source, fresh and `--immutable`, with the approval of rt-post@1.0.0 in place; lifeguard check agrees', async () => {
    resetMarkers(markers);
    // Without Lifeguard (and scripts on) the patch's postinstall is what runs: the control, and a lockfile to replay.
    const dir = project(ctx, { [PATCHER]: '1.0.0' }, { plugin: false, yarnrc: ['enableScripts: true'] });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    expect(markerExists(markers, 'rt-post-injected'), 'control: the patched postinstall runs without Lifeguard').toBe(true);
    expect(markerExists(markers, 'rt-post-original')).toBe(false);

    // The same project with Lifeguard and a policy approving rt-post@1.0.0: refused, fresh and replayed.
    const fresh = project(ctx, { [PATCHER]: '1.0.0' }, { policy: approvesRelease });
    for (const [d, args] of [[fresh, ['install']], [dir, ['install', '--immutable']]] as const) {
      resetMarkers(markers);
      if (d === dir) {
        // Replay the control's lockfile with Lifeguard in: plugin on, scripts setting back to the default.
        setPolicy(dir, approvesRelease);
        writeFileSync(join(dir, '.yarnrc.yml'), yarnrc(reg, linker, ['plugins:', `  - ${JSON.stringify(ensurePlugin())}`]));
        for (const p of ['node_modules', '.pnp.cjs', '.pnp.loader.mjs', '.yarn/unplugged', '.yarn/install-state.gz']) rmSync(join(dir, p), { recursive: true, force: true });
      }
      const before = projectHash(d);
      const r = await yarn(ctx, d, [...args]);
      expect(r.code, out(r)).toBe(1);
      expect(r.stdout).toContain('LIFEGUARD_SOURCE');
      expect(r.stdout).toContain(PATCH_SPEC);
      expect(r.stdout).toContain('"sources.allow"');
      expect(projectHash(d), 'project files unchanged').toBe(before);
      expect(markerExists(markers, 'rt-post-injected'), `${args.join(' ')}: the patched postinstall must not run`).toBe(false);
      expect(markerExists(markers, 'rt-post-original')).toBe(false);
    }

    // The CI gate reads the same yarn.lock to the same verdict.
    const c = await run({ name: 'npm', cmd: process.execPath, args: [], env: {} }, [CLI, 'check', '--format', 'json'], { cwd: dir, env: { LIFEGUARD_POLICY: join(dir, 'lifeguard.json') } });
    expect(c.code, out(c)).toBe(1);
    const report = JSON.parse(c.stdout) as { findings: { code: string; package: string; action: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'LIFEGUARD_SOURCE', package: PATCHER, action: 'refuse' }));
  });

  it('with the patch allowed as a source, an approval of rt-post@1.0.0 does not approve the patched build; an entry naming the patch does', async () => {
    resetMarkers(markers);
    const allowed = { sources: { allow: [PATCH_SPEC] }, scripts: { allow: [`${POST}@1.0.0`] } };
    const dir = project(ctx, { [PATCHER]: '1.0.0' }, { policy: allowed });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'rt-post-injected'), 'the patched postinstall must not run on the release approval').toBe(false);
    expect(r.stdout).toContain(`${POST}@1.0.0`);
    expect(r.stdout).toContain('"source"');

    // --immutable replays the lockfile: still skipped.
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    rmSync(join(dir, '.yarn/unplugged'), { recursive: true, force: true });
    rmSync(join(dir, '.yarn/install-state.gz'), { force: true });
    const ri = await yarn(ctx, dir, ['install', '--immutable']);
    expect(ri.code, out(ri)).toBe(0);
    expect(markerExists(markers, 'rt-post-injected')).toBe(false);

    // An approval that names the patched build's source runs it: the explicit way to say yes.
    setPolicy(dir, { sources: { allow: [PATCH_SPEC] }, scripts: { allow: [{ package: `${POST}@1.0.0`, source: `${PATCH_SPEC}::*` }] } });
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(markerExists(markers, 'rt-post-injected'), out(r2)).toBe(true);
  });

  it('the project\'s own patch (a dependency of package.json) keeps the release approval: no false alarm', async () => {
    resetMarkers(markers);
    const own = `patch:${POST}@npm%3A1.0.0#./fix.patch`;
    const dir = project(ctx, { [POST]: own }, { policy: approvesRelease, files: { 'fix.patch': patchText() } });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'rt-post-injected'), out(r)).toBe(true);
  });

  it('a published package\'s exec: dependency: Yarn itself refuses it (YN0057) before the generator runs (A-Y4)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [EXEC_PARENT]: '1.0.0' }, { policy: {}, yarnrc: ['enableScripts: true'] });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('YN0057');
    expect(r.stdout).toContain('only workspaces can depend on exec: packages');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'exec-generator'), 'the generator must not run').toBe(false);
  });

  it('a forged `::locator=` making the patch look like the project\'s own: Yarn keeps the binding and finds no such patch in the project (YN0001); nothing runs', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [FORGER]: '1.0.0' }, { policy: approvesRelease });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'rt-post-injected'), out(r)).toBe(false);
    expect(markerExists(markers, 'rt-post-original')).toBe(false);
    expect(r.stdout).toContain('YN0001');
  });
});
