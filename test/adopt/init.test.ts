/**
 * Adoption on a real project tree: a project that already installed with its build scripts
 * running, then `lifeguard init`, then the next install runs exactly the approved scripts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO, hermeticEnv, markerExists, markerScript, pnpmProject, publish, run, startRegistry, tempProject, tool, yarnrc,
  type Registry,
} from '../harness/index';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
const S = '@lg-adopt';
let reg: Registry;
let markers: string;

const lifeguard = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: hermeticEnv({}) });
const clearMarkers = () => {
  for (const m of ['esbuild-like', 'gyp-like', 'newcomer']) rmSync(join(markers, m), { force: true });
};

beforeAll(async () => {
  reg = await startRegistry();
  markers = tempProject({});
  await publish(reg, [
    { name: `${S}/esbuild-like`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'esbuild-like') } },
    { name: `${S}/gyp-like`, version: '2.1.0', scripts: { install: markerScript(markers, 'gyp-like') } },
    { name: `${S}/plain`, version: '1.0.0' },
    { name: `${S}/newcomer`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'newcomer') } },
  ]);
}, 300_000);

afterAll(async () => {
  await reg?.stop();
});

const DEPS = { [`${S}/esbuild-like`]: '1.0.0', [`${S}/gyp-like`]: '2.1.0', [`${S}/plain`]: '1.0.0' };

describe('lifeguard init on an installed project', () => {
  it('pnpm 12: the next install runs the approved builds and nothing else', async () => {
    const pnpm = await tool('pnpm12');
    // Before Lifeguard: the team let every build run.
    const dir = pnpmProject(reg, { dependencies: DEPS }, { workspaceYaml: 'dangerouslyAllowAllBuilds: true' });
    expect((await run(pnpm, ['install'], { cwd: dir })).code).toBe(0);
    expect(markerExists(markers, 'esbuild-like')).toBe(true);
    clearMarkers();

    const init = lifeguard(dir, 'init');
    expect(init.status, init.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
    expect(policy.scripts.allow.map((a: { package: string }) => a.package)).toEqual([`${S}/esbuild-like@1.0.0`, `${S}/gyp-like@2.1.0`]);
    expect(existsSync(join(dir, '.pnpmfile.cjs'))).toBe(true);

    // A dependency added later has not been reviewed: its script is skipped.
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.dependencies[`${S}/newcomer`] = '1.0.0';
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const install = await run(pnpm, ['install'], { cwd: dir });
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(markerExists(markers, 'esbuild-like')).toBe(true);
    expect(markerExists(markers, 'gyp-like')).toBe(true);
    expect(markerExists(markers, 'newcomer')).toBe(false);
  });

  it('pnpm 10, fresh project once set up for npm: init imports the native approval and drops its stale ignore-scripts=true, so the approved build runs', async () => {
    const pnpm = await tool('pnpm10');
    const dir = pnpmProject(reg, { dependencies: DEPS }, {
      workspaceYaml: `onlyBuiltDependencies:\n  - "${S}/esbuild-like"`,
      npmrc: '# lifeguard init (npm): npm has no install hook, so dependency scripts stay off; `lifeguard rebuild` runs the approved ones\nignore-scripts=true',
    });
    const init = lifeguard(dir, 'init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('pnpm project (from pnpm-workspace.yaml)');
    expect(init.stdout).toContain('removed   ignore-scripts=true from .npmrc');
    expect(init.stdout).toContain('nothing is installed yet');
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).not.toContain('ignore-scripts');
    const policy = JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
    expect(policy.scripts.allow.map((a: { package: string }) => a.package)).toEqual([`${S}/esbuild-like`]);

    clearMarkers();
    const install = await run(pnpm, ['install'], { cwd: dir });
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(markerExists(markers, 'esbuild-like'), install.stdout).toBe(true);
    expect(markerExists(markers, 'gyp-like')).toBe(false);
  });

  it('Yarn 4: init wires the plugin and the next install runs the approved builds only', async () => {
    const yarn = await tool('yarn4');
    const dir = tempProject({
      'package.json': JSON.stringify({ name: 'adopt', private: true, dependencies: DEPS }, null, 2),
      'yarn.lock': '',
      '.yarnrc.yml': yarnrc(reg, 'node-modules', ['enableScripts: true']),
    });
    const env = { YARN_GLOBAL_FOLDER: join(dir, '.yarn-global'), YARN_ENABLE_GLOBAL_CACHE: 'false' };
    expect((await run(yarn, ['install'], { cwd: dir, env })).code).toBe(0);
    expect(markerExists(markers, 'esbuild-like')).toBe(true);
    clearMarkers();

    const init = lifeguard(dir, 'init');
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(join(dir, '.yarnrc.yml'), 'utf8')).toContain('.yarn/plugins/yarn-plugin-lifeguard.cjs');

    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.dependencies[`${S}/newcomer`] = '1.0.0';
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const install = await run(yarn, ['install'], { cwd: dir, env });
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(markerExists(markers, 'esbuild-like')).toBe(true);
    expect(markerExists(markers, 'gyp-like')).toBe(true);
    expect(markerExists(markers, 'newcomer')).toBe(false);
  });
});
