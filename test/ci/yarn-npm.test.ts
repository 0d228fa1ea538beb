/**
 * `lifeguard check` as the CI gate of Yarn 4 and npm projects, and the Yarn plugin on
 * `--immutable` installs: a forged `version:` field and `__archiveUrl` in yarn.lock, a missing or
 * overridden plugin, a script that ran without it; npm-shrinkwrap.json over package-lock.json, a
 * forged `resolved` URL, lockfiles planted beside the real one, and `ignore-scripts`.
 */
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TMP, markerExists, newMarkers, out, publish, resetMarkers, run, startRegistry, tempProject, tool, type Registry, type Tool } from '../harness/index';
import { project as yarnProject, setUp, yarn, projectHash as yarnHash, type Ctx as YarnCtx } from '../yarn/setup';
import { POLICY, S, dist, edit, fixtures, lifeguard } from './setup';

let reg: Registry;
const markers = newMarkers();

beforeAll(async () => {
  reg = await startRegistry();
  await publish(reg, fixtures(markers));
});
afterAll(async () => {
  await reg?.stop();
});

type Found = { code: string; package: string; version: string; message: string };
const findings = (r: { stdout: string }): Found[] => JSON.parse(r.stdout).findings as Found[];

describe('Yarn 4: the CI gate and --immutable installs', () => {
  const ctx = {} as YarnCtx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, linker: 'pnp' });
    await setUp(ctx);
  });

  it('refuses a forged version: field and a forged __archiveUrl, in check and in yarn install --immutable', async () => {
    resetMarkers(markers);
    const dir = yarnProject(ctx, { [`${S}/denied`]: '2.0.0', [`${S}/innocent`]: '1.0.0' }, { policy: { scripts: POLICY.scripts } });
    const r0 = await yarn(ctx, dir, ['install', '--mode=update-lockfile']);
    expect(r0.code, out(r0)).toBe(0);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify(POLICY));
    const clean = lifeguard(dir, 'check', '--format', 'json');
    expect(findings(clean).map((f) => f.code)).toEqual(['LIFEGUARD_DENY']);

    // yarn.lock says `version: 1.0.0` for the 2.0.0 locator Yarn fetches.
    edit(dir, 'yarn.lock', `"${S}/denied@npm:2.0.0":\n  version: 2.0.0`, `"${S}/denied@npm:2.0.0":\n  version: 1.0.0`);
    const forgedVersion = lifeguard(dir, 'check', '--format', 'json');
    expect(forgedVersion.code).toBe(1);
    expect(findings(forgedVersion).filter((f) => f.code === 'LIFEGUARD_LOCKFILE').map((f) => `${f.package}@${f.version}`)).toEqual([`${S}/denied@2.0.0`]);
    const before = yarnHash(dir);
    const r1 = await yarn(ctx, dir, ['install', '--immutable']);
    expect(r1.code, out(r1)).not.toBe(0);
    expect(out(r1)).toContain('LIFEGUARD_LOCKFILE');
    expect(yarnHash(dir)).toBe(before);
    expect(markerExists(markers, 'denied-2')).toBe(false);

    // The innocent entry's archive URL pointed at the denied tarball (a project of its own: the lockfile must stay up to date).
    const only = yarnProject(ctx, { [`${S}/innocent`]: '1.0.0' }, { policy: POLICY });
    expect((await yarn(ctx, only, ['install', '--mode=update-lockfile'])).code).toBe(0);
    const d = await dist(reg, `${S}/denied`, '2.0.0');
    edit(only, 'yarn.lock', `resolution: "${S}/innocent@npm:1.0.0"`, `resolution: "${S}/innocent@npm:1.0.0::__archiveUrl=${encodeURIComponent(d.tarball)}"`);
    edit(only, 'yarn.lock', new RegExp(`("${S}/innocent@npm:1.0.0":\\n(?:  .*\\n)*?)  checksum: .*\\n`), '$1');
    const forgedUrl = lifeguard(only, 'check', '--format', 'json');
    expect(forgedUrl.code).toBe(1);
    expect(findings(forgedUrl).find((f) => f.code === 'LIFEGUARD_LOCKFILE')?.message).toContain(`names "${S}/denied/-/denied-2.0.0.tgz"`);
    const r2 = await yarn(ctx, only, ['install', '--immutable']);
    expect(r2.code, out(r2)).not.toBe(0);
    expect(out(r2)).toContain('LIFEGUARD_LOCKFILE');
    expect(markerExists(markers, 'denied-2')).toBe(false);

    // The npm: descriptor resolved straight to the denied tarball's URL (Yarn installs it under the innocent name).
    edit(only, 'yarn.lock', `resolution: "${S}/innocent@npm:1.0.0::__archiveUrl=${encodeURIComponent(d.tarball)}"`, `resolution: "${S}/innocent@${d.tarball}"`);
    const urlLocator = lifeguard(only, 'check');
    expect(urlLocator.code, urlLocator.out).toBe(1);
    expect(urlLocator.out).toContain(`REFUSED ${S}/innocent@1.0.0 LIFEGUARD_LOCKFILE`);
    const r3 = await yarn(ctx, only, ['install', '--immutable']);
    expect(r3.code, out(r3)).not.toBe(0);
    expect(out(r3)).toContain('LIFEGUARD_LOCKFILE');
    expect(markerExists(markers, 'denied-2')).toBe(false);
  });

  it('passes a clean install; flags a missing plugin, a plugin patching the same internals after it, and the script that ran without it', async () => {
    resetMarkers(markers);
    const clean = yarnProject(ctx, { [`${S}/builds`]: '1.0.0' }, { policy: {} });
    expect((await yarn(ctx, clean, ['install'])).code).toBe(0);
    expect(markerExists(markers, 'builds')).toBe(false);
    const ok = lifeguard(clean, 'check', '--installed');
    expect(ok.code, ok.out).toBe(0);

    writeFileSync(join(clean, '.yarn', 'other-plugin.cjs'), 'module.exports = { name: "plugin-override", factory: (require) => { const { Project } = require("@yarnpkg/core"); Project.prototype.getDependencyMeta = function () { return { built: true }; }; return {}; } };\n');
    writeFileSync(join(clean, '.yarnrc.yml'), `${readFileSync(join(clean, '.yarnrc.yml'), 'utf8').replace(/(plugins:\n  - .*\n)/, '$1  - .yarn/other-plugin.cjs\n')}`);
    const later = lifeguard(clean, 'check');
    expect(later.code, later.out).toBe(1);
    expect(later.out).toContain(".yarnrc.yml: plugins: .yarn/other-plugin.cjs (plugin-override) after Lifeguard's: it patches Project.prototype.getDependencyMeta");

    const off = yarnProject(ctx, { [`${S}/builds`]: '1.0.0' }, { policy: {}, plugin: false, yarnrc: ['enableScripts: true'] });
    const r = await yarn(ctx, off, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'builds'), 'without the plugin the script runs').toBe(true);
    const check = lifeguard(off, 'check', '--installed', '--format', 'json');
    expect(check.code, check.out).toBe(1);
    expect(findings(check).map((f) => `${f.code} ${f.package}`).sort()).toEqual([`LIFEGUARD_SCRIPTS ${S}/builds`, `LIFEGUARD_SCRIPTS_RAN ${S}/builds`, 'LIFEGUARD_SETUP .yarnrc.yml']);
  });
});

describe('npm: the CI gate', () => {
  let npm: Tool;
  beforeAll(async () => {
    npm = await tool('npm');
  });
  const npmProject = (deps: Record<string, string>, ignoreScripts = true): string =>
    tempProject({
      'package.json': JSON.stringify({ name: 'lg-ci-npm', version: '1.0.0', private: true, dependencies: deps }, null, 2),
      '.npmrc': `registry=${reg.url}\n${reg.url.replace(/^https?:/, '')}:_authToken=${reg.token}\n${ignoreScripts ? 'ignore-scripts=true\n' : ''}cache=${join(TMP, 'e2e', 'npm-cache')}\naudit=false\nfund=false\n`,
      'lifeguard.json': JSON.stringify(POLICY),
    });
  const installedVersion = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { name: string; version: string };

  it('reads npm-shrinkwrap.json over package-lock.json, and every lockfile when others are planted beside it', async () => {
    const cleanDir = npmProject({ [`${S}/denied`]: '1.0.0' });
    expect((await run(npm, ['install'], { cwd: cleanDir })).code).toBe(0);
    const ok = lifeguard(cleanDir, 'check', '--installed');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('npm keeps no record of which install scripts ran');

    const dir = npmProject({ [`${S}/denied`]: '2.0.0' });
    expect((await run(npm, ['install'], { cwd: dir })).code).toBe(0);
    renameSync(join(dir, 'package-lock.json'), join(dir, 'npm-shrinkwrap.json'));
    cpSync(join(cleanDir, 'package-lock.json'), join(dir, 'package-lock.json'));
    const shrink = lifeguard(dir, 'check');
    expect(shrink.code, shrink.out).toBe(1);
    expect(shrink.out).toContain(`REFUSED ${S}/denied@2.0.0 LIFEGUARD_DENY`);
    expect(shrink.out).toContain('(npm-shrinkwrap.json; ');
    // npm installs what the shrinkwrap says.
    rmSync(join(dir, 'node_modules'), { recursive: true });
    expect((await run(npm, ['ci'], { cwd: dir })).code).toBe(0);
    expect(installedVersion(dir, `${S}/denied`).version).toBe('2.0.0');

    writeFileSync(join(dir, 'yarn.lock'), '');
    writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    const planted = lifeguard(dir, 'check');
    expect(planted.code, planted.out).toBe(1);
    expect(planted.out).toContain(`REFUSED ${S}/denied@2.0.0 LIFEGUARD_DENY`);
    expect(planted.out).toContain('(pnpm-lock.yaml, yarn.lock, npm-shrinkwrap.json; ');
  });

  it('refuses a resolved URL pointing an innocent name at a denied tarball, and a project without ignore-scripts', async () => {
    const dir = npmProject({ [`${S}/innocent`]: '1.0.0' });
    expect((await run(npm, ['install'], { cwd: dir })).code).toBe(0);
    expect(lifeguard(dir, 'check').code).toBe(0);
    const d = await dist(reg, `${S}/denied`, '2.0.0');
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    Object.assign(lock.packages[`node_modules/${S}/innocent`], { resolved: d.tarball, integrity: d.integrity });
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const check = lifeguard(dir, 'check', '--format', 'json');
    expect(check.code, check.out).toBe(1);
    expect(findings(check).map((f) => `${f.code} ${f.package}@${f.version}`)).toEqual([`LIFEGUARD_LOCKFILE ${S}/innocent@1.0.0`]);
    // What npm ci installs under the innocent name is the denied package.
    rmSync(join(dir, 'node_modules'), { recursive: true });
    expect((await run(npm, ['ci'], { cwd: dir })).code).toBe(0);
    expect(installedVersion(dir, `${S}/innocent`)).toMatchObject({ name: `${S}/denied`, version: '2.0.0' });

    edit(dir, '.npmrc', 'ignore-scripts=true\n', '');
    const setup = lifeguard(dir, 'check');
    expect(setup.out).toContain('REFUSED .npmrc LIFEGUARD_SETUP');
    expect(setup.out).toContain('add `ignore-scripts=true` to .npmrc');
  });
});
