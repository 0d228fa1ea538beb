/**
 * Sources as the project chose them, on real pnpm 12: an override to `link:` of a published package's
 * dependency, a published package's peer resolved to a workspace package (`link:packages/...`) and a
 * `file:` fixture whose dependency links back to a workspace package all install, fresh and frozen,
 * and `lifeguard check` passes the lockfile pnpm wrote. A published package's own `link:` is still
 * refused, with the project left byte-identical.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermeticEnv, markerExists, markerScript, publish, REPO, startRegistry, writeFiles, type Registry, type RunResult } from '../harness/index';
import { type Ctx, getTool, newMarkers, out, pnpm, project, projectHash, S, setDeps } from './setup';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
let reg: Registry;
const markers = newMarkers();
const ctx = {} as Ctx;

beforeAll(async () => {
  reg = await startRegistry();
  await publish(reg, [
    { name: `${S}/src-native`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'native') } },
    { name: `${S}/src-pub`, version: '1.0.0', dependencies: { [`${S}/src-native`]: '^1.0.0' } },
    { name: `${S}/src-peer-user`, version: '1.0.0', files: { 'package.json': JSON.stringify({ name: `${S}/src-peer-user`, version: '1.0.0', peerDependencies: { [`${S}/src-ws`]: '*' } }) } },
    { name: `${S}/src-linker`, version: '1.0.0', dependencies: { [`${S}/src-ws`]: 'link:../../packages/src-ws' } },
    { name: `${S}/src-config`, version: '1.0.0' },
  ]);
  Object.assign(ctx, { reg, markers, v: 'pnpm12', t: await getTool('pnpm12') });
});
afterAll(async () => {
  await reg?.stop();
});

const manifest = (name: string, deps: Record<string, string> = {}) => `${JSON.stringify({ name, version: '1.0.0', dependencies: deps }, null, 2)}\n`;

describe('pnpm12: sources as the project chose them', () => {
  it("installs the project's overrides, peers on its workspace packages and file: fixtures; check agrees", async () => {
    const deps = { [`${S}/src-pub`]: '1.0.0', [`${S}/src-peer-user`]: '1.0.0', [`${S}/src-ws`]: 'workspace:*' };
    const dir = project(ctx, deps, { workspaceYaml: `packages:\n  - packages/*\noverrides:\n  '${S}/src-native': link:./stubs/native\n` });
    writeFiles(dir, {
      'packages/src-ws/package.json': manifest(`${S}/src-ws`),
      'stubs/native/package.json': manifest(`${S}/src-native`),
      'fixtures/a/package.json': manifest('fixture', { [`${S}/src-ws`]: 'link:../../packages/src-ws' }),
    });
    const clean = (r: RunResult) => {
      expect(r.code, out(r)).toBe(0);
      expect(out(r)).not.toContain('LIFEGUARD_SOURCE');
      const check = spawnSync(process.execPath, [CLI, 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: hermeticEnv({}) });
      expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
      expect(check.stdout).not.toContain('LIFEGUARD_SOURCE');
    };
    clean(await pnpm(ctx, dir, ['install']));
    expect(markerExists(markers, 'native')).toBe(false); // the override replaced it: never fetched
    // Frozen: the hook judges the lockfile pnpm wrote (preResolution), links and all.
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    clean(await pnpm(ctx, dir, ['install', '--frozen-lockfile']));

    // A file: fixture whose dependency links back to a workspace package: resolved (readPackage),
    // then judged again from the lockfile by an up-to-date install. (pnpm 12.21 itself calls such a
    // lockfile outdated under --frozen-lockfile, with or without a pnpmfile.)
    setDeps(dir, { ...deps, fixture: 'file:./fixtures/a' });
    clean(await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']));
    clean(await pnpm(ctx, dir, ['install']));
  });

  it("still refuses a published package's own link: dependency, and leaves the project byte-identical", async () => {
    const dir = project(ctx, { [`${S}/src-pub`]: '1.0.0' }, { workspaceYaml: `packages:\n  - packages/*\n` });
    writeFiles(dir, { 'packages/src-ws/package.json': manifest(`${S}/src-ws`) });
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/src-pub`]: '1.0.0', [`${S}/src-linker`]: '1.0.0' });
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--no-frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_SOURCE');
    expect(out(r)).toContain(`${S}/src-linker`);
    expect(projectHash(dir)).toBe(before);
  });

  it('lifeguard check reads the config-dependency document pnpm writes, and judges config dependencies', async () => {
    const dir = project(ctx, { [`${S}/src-pub`]: '1.0.0' });
    const r = await pnpm(ctx, dir, ['add', '--config', `${S}/src-config@1.0.0`]);
    expect(r.code, out(r)).toBe(0);
    const r2 = await pnpm(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8')).toMatch(/^---\n[\s\S]*configDependencies:[\s\S]*\n---\n/);
    const check = (policy?: object) => {
      if (policy) writeFiles(dir, { 'lifeguard.json': JSON.stringify(policy) });
      return spawnSync(process.execPath, [CLI, 'check'], { cwd: dir, encoding: 'utf8', env: hermeticEnv({}) });
    };
    const ok = check();
    expect(ok.status, `${ok.stdout}${ok.stderr}`).toBe(0);
    const denied = check({ packages: { deny: [`${S}/src-config`] } });
    expect(denied.status, `${denied.stdout}${denied.stderr}`).toBe(1);
    expect(denied.stdout).toContain(`REFUSED ${S}/src-config@1.0.0`);
    expect(denied.stdout).toContain("LIFEGUARD_DENY");
  });
});
