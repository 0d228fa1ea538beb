/**
 * `lifeguard check` as the CI gate of pnpm projects, and the pnpm hook on frozen installs, with
 * real pnpm 10, 11 and 12: forged lockfile entries (a `version:` field, a `resolution.tarball`),
 * the set-up switches that turn the hook off, and the evidence of a script that ran without it.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, markerExists, newMarkers, out, publish, resetMarkers, startRegistry, type Registry } from '../harness/index';
import { getTool, pnpm, project, projectHash, VERSIONS, type Ctx } from '../pnpm/setup';
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

const codes = (text: string): string[] => [...new Set(text.match(/LIFEGUARD_[A-Z_]+/g) ?? [])].sort();

describe.each(VERSIONS)('%s: the CI gate', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  });

  it('refuses a forged version: field and a forged resolution.tarball, in check and on a frozen install', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/denied`]: '2.0.0', [`${S}/innocent`]: '1.0.0' }, { policy: { scripts: POLICY.scripts } });
    const r0 = await pnpm(ctx, dir, ['install', '--lockfile-only']);
    expect(r0.code, out(r0)).toBe(0);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify(POLICY));
    const clean = lifeguard(dir, 'check');
    expect(clean.code, clean.out).toBe(1);
    expect(codes(clean.out)).toEqual(['LIFEGUARD_DENY']);

    // `version: 1.0.0` under the denied key: Lifeguard used to judge 1.0.0, pnpm fetches 2.0.0.
    const forged = readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8');
    edit(dir, 'pnpm-lock.yaml', new RegExp(`(\\n  '${S}/denied@2\\.0\\.0':\\n    resolution: \\{[^}]*\\})`), '$1\n    version: 1.0.0');
    // The innocent entry pointed at the denied tarball (pnpm 10 fetches it; 11/12 also refuse it themselves).
    const d = await dist(reg, `${S}/denied`, '2.0.0');
    edit(dir, 'pnpm-lock.yaml', new RegExp(`(\\n  '${S}/innocent@1\\.0\\.0':\\n    resolution: )\\{[^}]*\\}`), `$1{integrity: ${d.integrity}, tarball: ${d.tarball}}`);
    const check = lifeguard(dir, 'check', '--format', 'json');
    expect(check.code, check.out).toBe(1);
    const findings = JSON.parse(check.stdout).findings as { code: string; package: string; version: string; message: string }[];
    expect(findings.filter((f) => f.code === 'LIFEGUARD_LOCKFILE').map((f) => `${f.package}@${f.version}`).sort()).toEqual([`${S}/denied@2.0.0`, `${S}/innocent@1.0.0`]);
    expect(findings.find((f) => f.package === `${S}/innocent`)?.message).toContain(`names "${S}/denied/-/denied-2.0.0.tgz"`);

    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_LOCKFILE');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'denied-2')).toBe(false);
    expect(forged).not.toBe(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'));
  });

  it('refuses a semver specifier locked to another package\'s tarball URL (pnpm 10 and 12 install it)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/innocent`]: '1.0.0' }, { policy: POLICY });
    expect((await pnpm(ctx, dir, ['install', '--lockfile-only'])).code).toBe(0);
    const d = await dist(reg, `${S}/denied`, '2.0.0');
    edit(dir, 'pnpm-lock.yaml', /(specifier: 1\.0\.0\n\s+version: )1\.0\.0/, `$1${d.tarball}`);
    edit(dir, 'pnpm-lock.yaml', new RegExp(`'${S}/innocent@1\\.0\\.0':\\n    resolution: \\{[^}]*\\}`), `'${S}/innocent@${d.tarball}':\n    resolution: {integrity: ${d.integrity}, tarball: ${d.tarball}}\n    version: 1.0.0`);
    edit(dir, 'pnpm-lock.yaml', `'${S}/innocent@1.0.0': {}`, `'${S}/innocent@${d.tarball}': {}`);
    const check = lifeguard(dir, 'check');
    expect(check.code, check.out).toBe(1);
    expect(check.out).toContain(`REFUSED ${S}/innocent@1.0.0 LIFEGUARD_LOCKFILE`);
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install', '--frozen-lockfile']);
    expect(r.code, out(r)).not.toBe(0);
    expect(out(r)).toContain('LIFEGUARD_LOCKFILE');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'denied-2')).toBe(false);
  });

  it('passes a clean install, and catches ignorePnpmfile + dangerouslyAllowAllBuilds and the script they let run', async () => {
    resetMarkers(markers);
    const clean = project(ctx, { [`${S}/builds`]: '1.0.0', [`${S}/innocent`]: '1.0.0' }, { policy: {} });
    const r0 = await pnpm(ctx, clean, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    expect(markerExists(markers, 'builds')).toBe(false);
    const ok = lifeguard(clean, 'check', '--installed');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(`SKIPPED ${S}/builds@1.0.0`);

    // The hook switched off in the project's own config (pnpm 10 reads .npmrc, 11/12 pnpm-workspace.yaml).
    const off = v === 'pnpm10'
      ? { npmrc: 'ignore-pnpmfile=true\ndangerously-allow-all-builds=true' }
      : { workspaceYaml: 'ignorePnpmfile: true\ndangerouslyAllowAllBuilds: true' };
    const dir = project(ctx, { [`${S}/builds`]: '1.0.0', [`${S}/innocent`]: '1.0.0' }, { policy: {}, ...off });
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'builds'), 'the bypass must really run the script').toBe(true);
    const check = lifeguard(dir, 'check', '--installed', '--format', 'json');
    expect(check.code, check.out).toBe(1);
    const findings = JSON.parse(check.stdout).findings as { code: string; package: string; message: string }[];
    const setup = findings.filter((f) => f.code === 'LIFEGUARD_SETUP').map((f) => f.message);
    const file = v === 'pnpm10' ? '.npmrc' : 'pnpm-workspace.yaml';
    expect(setup.some((m) => m.startsWith(`${file}: ${v === 'pnpm10' ? 'ignore-pnpmfile' : 'ignorePnpmfile'}`)), setup.join('\n')).toBe(true);
    expect(setup.some((m) => m.startsWith(`${file}: ${v === 'pnpm10' ? 'dangerously-allow-all-builds' : 'dangerouslyAllowAllBuilds'}`)), setup.join('\n')).toBe(true);
    expect(setup.some((m) => m.startsWith('pnpm-lock.yaml: no pnpmfileChecksum')), setup.join('\n')).toBe(true);
    expect(findings.filter((f) => f.code === 'LIFEGUARD_SCRIPTS_RAN').map((f) => f.package)).toEqual([`${S}/builds`]);
  });
});

describe('set-up checks that need no install, and this repository', () => {
  it('flags a shadowing .pnpmfile.mjs, a pnpmfile setting, a missing hook; passes this repository\'s lockfile', async () => {
    const ctx = { reg, markers, v: 'pnpm12', t: await getTool('pnpm12') } as Ctx;
    const dir = project(ctx, { [`${S}/innocent`]: '1.0.0' }, { policy: {} });
    expect((await pnpm(ctx, dir, ['install', '--lockfile-only'])).code).toBe(0);
    expect(lifeguard(dir, 'check').code).toBe(0);
    writeFileSync(join(dir, '.pnpmfile.mjs'), 'export const hooks = {};\n');
    const mjs = lifeguard(dir, 'check');
    expect(mjs.code, mjs.out).toBe(1);
    expect(mjs.out).toContain('REFUSED .pnpmfile.mjs LIFEGUARD_SETUP');
    expect(mjs.out).toContain('pnpm 11 and 12 load .pnpmfile.mjs');
    rmSync(join(dir, '.pnpmfile.mjs'));
    writeFileSync(join(dir, '.npmrc'), `${readFileSync(join(dir, '.npmrc'), 'utf8')}\npnpmfile=other.cjs\n`);
    writeFileSync(join(dir, 'other.cjs'), 'module.exports = { hooks: {} };\n');
    expect(lifeguard(dir, 'check').out).toContain('.npmrc: pnpmfile=other.cjs: pnpm loads this file instead of .pnpmfile.cjs');
    rmSync(join(dir, '.pnpmfile.cjs'));
    expect(lifeguard(dir, 'check').out).toContain('.pnpmfile.cjs: missing: pnpm installs this project without Lifeguard');
    copyFileSync(join(REPO, 'packages/pnpm-hook/dist/pnpmfile.cjs'), join(dir, 'lg.cjs'));
    edit(dir, '.npmrc', 'pnpmfile=other.cjs', 'pnpmfile=lg.cjs');
    expect(lifeguard(dir, 'check').code).toBe(0);

    expect(existsSync(join(REPO, 'pnpm-lock.yaml'))).toBe(true);
    const own = lifeguard(REPO, 'check');
    expect(own.code, own.out).toBe(0);
    expect(own.out).toContain('Lifeguard: nothing refused.');
  });
});
