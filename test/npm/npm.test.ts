/**
 * npm has no install hook, so Lifeguard covers it from outside: `ignore-scripts=true` (what
 * `lifeguard init` writes), `lifeguard check` as the CI gate, and `lifeguard rebuild` to run
 * the approved packages' scripts afterwards. Real npm against a local verdaccio.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO, TMP, hashTree, hermeticEnv, markerExists, markerScript, publish, run, startRegistry, tempProject, tool,
  type Registry, type Tool,
} from '../harness/index';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
const S = '@lg-npm';
let reg: Registry;
let npm: Tool;
let markers: string;

function lifeguard(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: hermeticEnv({}) });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function npmProject(deps: Record<string, string>, files: Record<string, string> = {}): string {
  const host = reg.url.replace(/^https?:/, '');
  return tempProject({
    'package.json': JSON.stringify({ name: 'lg-npm-e2e', version: '1.0.0', private: true, dependencies: deps }, null, 2),
    '.npmrc': `registry=${reg.url}\n${host}:_authToken=${reg.token}\nignore-scripts=true\ncache=${join(TMP, 'e2e', 'npm-cache')}\naudit=false\nfund=false\n`,
    ...files,
  });
}

beforeAll(async () => {
  [reg, npm] = await Promise.all([startRegistry(), tool('npm')]);
  markers = mkdtempSync(join(TMP, 'e2e', 'npm-markers-'));
  // `app-native` checks at install time that its dependency `builds` already ran: dependency order.
  const after = `node -e "if(!require('fs').existsSync(${JSON.stringify(join(markers, 'builds')).replace(/"/g, "'")}))process.exit(3)" && ${markerScript(markers, 'app-native')}`;
  await publish(reg, [
    { name: `${S}/builds`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'builds') } },
    { name: `${S}/app-native`, version: '1.0.0', dependencies: { [`${S}/builds`]: '1.0.0' }, scripts: { install: after } },
    { name: `${S}/sneaky`, version: '1.0.0', scripts: { preinstall: markerScript(markers, 'sneaky') } },
    { name: `${S}/denied`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'denied') } },
  ]);
}, 300_000);

afterAll(async () => {
  await reg?.stop();
});

describe('npm with lifeguard check + rebuild', () => {
  it('installs with no script run, then rebuild runs only the approved ones, dependencies first', async () => {
    const dir = npmProject(
      { [`${S}/app-native`]: '1.0.0', [`${S}/sneaky`]: '1.0.0' },
      { 'lifeguard.json': JSON.stringify({ scripts: { allow: [`${S}/builds@^1.0.0`, `${S}/app-native`] } }) },
    );
    const install = await run(npm, ['install'], { cwd: dir });
    expect(install.code, install.stderr).toBe(0);
    for (const m of ['builds', 'app-native', 'sneaky']) expect(markerExists(markers, m)).toBe(false);

    const check = lifeguard(dir, 'check', '--installed');
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`SKIPPED ${S}/sneaky@1.0.0`);
    expect(check.out).toContain('(preinstall)');

    const rebuild = lifeguard(dir, 'rebuild');
    expect(rebuild.code, rebuild.out).toBe(0);
    expect(rebuild.out).toContain(`skip ${S}/sneaky@1.0.0`);
    expect(markerExists(markers, 'builds')).toBe(true);
    expect(markerExists(markers, 'app-native')).toBe(true);
    expect(markerExists(markers, 'sneaky')).toBe(false);
  });

  it('check fails CI on a lockfile with a denied package, and rebuild refuses to run anything', async () => {
    const dir = npmProject(
      { [`${S}/denied`]: '1.0.0' },
      { 'lifeguard.json': JSON.stringify({ packages: { deny: [`${S}/denied`] }, scripts: { allow: [`${S}/denied`] } }) },
    );
    expect((await run(npm, ['install'], { cwd: dir })).code).toBe(0);
    const before = hashTree(dir, ['package.json', 'package-lock.json', 'node_modules']);
    const check = lifeguard(dir, 'check');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`REFUSED ${S}/denied@1.0.0 LIFEGUARD_DENY`);
    const rebuild = lifeguard(dir, 'rebuild');
    expect(rebuild.code).toBe(1);
    expect(rebuild.out).toContain('refusing to run any script');
    expect(markerExists(markers, 'denied')).toBe(false);
    expect(hashTree(dir, ['package.json', 'package-lock.json', 'node_modules'])).toBe(before);
  });

  it('init approves what has scripts today, by exact version, and is idempotent', async () => {
    const dir = npmProject({ [`${S}/sneaky`]: '1.0.0' });
    expect((await run(npm, ['install'], { cwd: dir })).code).toBe(0);
    const first = lifeguard(dir, 'init');
    expect(first.code, first.out).toBe(0);
    const policy = JSON.parse(readFileSync(join(dir, 'lifeguard.json'), 'utf8'));
    expect(policy.scripts.allow).toEqual([{ package: `${S}/sneaky@1.0.0`, reason: 'had install scripts at init: preinstall' }]);
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
    const snapshot = hashTree(dir, ['lifeguard.json', '.npmrc']);
    const second = lifeguard(dir, 'init');
    expect(second.out).toContain('kept      lifeguard.json');
    expect(hashTree(dir, ['lifeguard.json', '.npmrc'])).toBe(snapshot);
    expect(lifeguard(dir, 'rebuild').code).toBe(0);
    expect(markerExists(markers, 'sneaky')).toBe(true);
    expect(existsSync(join(dir, 'node_modules', S, 'sneaky'))).toBe(true);
  });
});
