/**
 * Sources as the project chose them, on real Yarn 4.18.1 (PnP): a `resolutions` entry that points a
 * published package's dependency at `link:`, and a `file:` fixture whose dependency links back to a
 * workspace package, install (and again with --immutable), and `lifeguard check` passes the yarn.lock
 * Yarn wrote. A published package's own `link:` dependency is still refused, the project unchanged.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermeticEnv, markerExists, markerScript, publish, REPO, startRegistry, type Registry, type RunResult } from '../harness/index';
import { type Ctx, newMarkers, out, project, projectHash, S, setDeps, setUp, yarn } from './setup';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
let reg: Registry;
const markers = newMarkers();
const ctx = { linker: 'pnp' } as Ctx;

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([
    publish(reg, [
      { name: `${S}/src-native`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'native') } },
      { name: `${S}/src-pub`, version: '1.0.0', dependencies: { [`${S}/src-native`]: '^1.0.0' } },
      { name: `${S}/src-linker`, version: '1.0.0', dependencies: { [`${S}/src-ws`]: 'link:../../packages/src-ws' } },
      // Yarn keeps a binding a range arrives with: one forged to name the project's workspace.
      { name: `${S}/src-forger`, version: '1.0.0', dependencies: { [`${S}/src-ws`]: 'link:../../packages/src-ws::locator=lg-yarn-project%40workspace%3A.' } },
    ]),
    setUp(ctx),
  ]);
  Object.assign(ctx, { reg, markers });
});
afterAll(async () => {
  await reg?.stop();
});

const manifest = (name: string, deps: Record<string, string> = {}) => `${JSON.stringify({ name, version: '1.0.0', dependencies: deps }, null, 2)}\n`;
const workspace = { 'packages/src-ws/package.json': manifest(`${S}/src-ws`) };

describe('yarn 4.18.1, pnp linker: sources as the project chose them', () => {
  it("installs the project's resolutions to link: and file: fixtures linking back to a workspace; check agrees", async () => {
    const dir = project(
      ctx,
      { [`${S}/src-pub`]: '1.0.0', [`${S}/src-ws`]: 'workspace:*', fixture: 'file:./fixtures/a' },
      {
        pkg: { workspaces: ['packages/*'], resolutions: { [`${S}/src-native`]: 'link:./stubs/native' } },
        files: {
          ...workspace,
          'stubs/native/package.json': manifest(`${S}/src-native`),
          'fixtures/a/package.json': manifest('fixture', { [`${S}/src-ws`]: 'link:../../packages/src-ws' }),
        },
      },
    );
    const clean = (r: RunResult) => {
      expect(r.code, out(r)).toBe(0);
      expect(out(r)).not.toContain('LIFEGUARD_SOURCE');
    };
    clean(await yarn(ctx, dir, ['install']));
    clean(await yarn(ctx, dir, ['install', '--immutable']));
    expect(markerExists(markers, 'native')).toBe(false); // the resolution replaced it: never fetched
    const check = spawnSync(process.execPath, [CLI, 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: hermeticEnv({}) });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    expect(check.stdout).not.toContain('LIFEGUARD_SOURCE');
  });

  it.each(['src-linker', 'src-forger'])("still refuses a published package's own link: dependency (%s), and leaves the project byte-identical", async (bad) => {
    const dir = project(ctx, { [`${S}/src-pub`]: '1.0.0' }, { pkg: { workspaces: ['packages/*'] }, files: workspace });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/src-pub`]: '1.0.0', [`${S}/${bad}`]: '1.0.0' });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_SOURCE');
    expect(out(r)).toContain(`${S}/${bad}`);
    expect(projectHash(dir)).toBe(before);
  });
});
