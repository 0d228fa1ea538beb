/**
 * Refusals of yarn-plugin-lifeguard on real Yarn 4.18.1, PnP and node-modules linkers: denied,
 * typosquat, advisory and exotic-source packages fail the install in the fetch step and leave
 * package.json, yarn.lock and .pnp.cjs / node_modules byte-identical; `--immutable` installs of
 * a lockfile that already holds a refused package fail; an invalid lifeguard.json fails closed;
 * `yarn add` of a denied package changes nothing; `yarn lifeguard check` exit codes.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publishFast, startRegistry, type Registry } from '../harness/index';
import {
  assertTyposquatFixture, type Ctx, LINKERS, newMarkers, OSV_RECORD, out, project, projectHash, publishAll, resetMarkers, S, setDeps,
  setPolicy, setUp, TYPOSQUAT, yarn,
} from './setup';

let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

beforeAll(async () => {
  assertTyposquatFixture();
  reg = await startRegistry();
  await Promise.all([publishAll(reg, markers), setUp(base)]);
});
afterAll(async () => {
  await reg?.stop();
});

const policy = {
  packages: { deny: [`${S}/denied`] },
  advisories: { feeds: ['security/osv'] },
};
const files = { 'security/osv/MAL-2099-0002.json': `${JSON.stringify(OSV_RECORD, null, 2)}\n` };

const CASES = [
  { what: 'a denied package', dep: `${S}/denied`, code: 'LIFEGUARD_DENY', names: [`${S}/denied`, 'packages.deny'], marker: 'denied' },
  { what: 'a typosquat', dep: TYPOSQUAT, code: 'LIFEGUARD_TYPOSQUAT', names: [TYPOSQUAT, 'express', 'typosquat.ignore'], marker: 'typosquat' },
  { what: 'an advisory (OSV feed file)', dep: `${S}/malicious`, code: 'LIFEGUARD_ADVISORY', names: ['MAL-2099-0002', `${S}/malicious`], marker: 'malicious' },
  {
    what: 'a transitive http-tarball dependency',
    dep: `${S}/exotic-parent`,
    code: 'LIFEGUARD_SOURCE',
    names: [`${S}/exotic-parent`, `${S}/tarball-child`, 'sources.allow', 'pulled in by lg-yarn-project'],
    marker: 'tarball-child',
  },
];

describe.each(LINKERS)('yarn 4.18.1, %s linker: refusals', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it.each(CASES)('refuses $what and leaves the project byte-identical', async (c) => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy, files });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/plain`]: '1.0.0', [c.dep]: '1.0.0' });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain(c.code);
    for (const n of c.names) expect(r.stdout).toContain(n);
    expect(r.stdout).toContain('lifeguard.json');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, c.marker)).toBe(false);
    // Name/version refusals happen before the download: the archive is not even in Yarn's cache.
    if (c.code !== 'LIFEGUARD_SOURCE') {
      const cached = readdirSync(join(dir, '.yarn/cache')).filter((f) => f.includes(c.dep.replace('/', '-').replace('@', '')));
      expect(cached).toEqual([]);
    }
  });

  it('refuses on a fresh project too: no yarn.lock entries, no .pnp.cjs, no node_modules written', async () => {
    const dir = project(ctx, { [`${S}/denied`]: '1.0.0' }, { policy, files });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before);
  });

  it('refuses under --immutable when the lockfile already contains the package (warm cache and cold cache)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0' }, { policy: {}, files });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setPolicy(dir, policy);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install', '--immutable']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before);
    // CI shape: a checkout with only package.json, yarn.lock and the policy.
    for (const p of ['.yarn', '.pnp.cjs', '.pnp.loader.mjs', 'node_modules', '.yarn-global']) rmSync(`${dir}/${p}`, { recursive: true, force: true });
    const before2 = projectHash(dir);
    const r2 = await yarn(ctx, dir, ['install', '--immutable']);
    expect(r2.code, out(r2)).toBe(1);
    expect(r2.stdout).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before2);
    expect(markerExists(markers, 'denied')).toBe(false);
  });

  it('fails closed on an invalid lifeguard.json, naming the file, the JSON path and the expectation', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy: { scripts: { allow: ['ok', 42] } } });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain(`${dir}/lifeguard.json`);
    expect(r.stdout).toContain('$.scripts.allow[1]');
    expect(r.stdout).toMatch(/expected [^\n]*spec/);
    expect(projectHash(dir)).toBe(before);
    setPolicy(dir, '{ "mode": "enforce", ');
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(1);
    expect(r2.stdout).toContain('valid JSON');
  });

  it('`yarn add` of a denied package leaves package.json, yarn.lock and the install unchanged', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy, files });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['add', `${S}/denied@1.0.0`]);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before);
  });

  it('`yarn lifeguard check`: the CLI\'s reports; 0 when nothing is refused, 1 when the lockfile holds a refused package, 2 on a policy error', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0', [`${S}/unapproved`]: '1.0.0' }, { policy: {}, files });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const ok = await yarn(ctx, dir, ['lifeguard', 'check']);
    expect(ok.code, out(ok)).toBe(0);
    expect(ok.stdout).toContain(`SKIPPED ${S}/unapproved@1.0.0 LIFEGUARD_SCRIPTS`);
    expect(ok.stdout).toContain('Lifeguard: nothing refused.');
    setPolicy(dir, policy);
    const bad = await yarn(ctx, dir, ['lifeguard', 'check', '--json']);
    expect(bad.code, out(bad)).toBe(1);
    const json = JSON.parse(bad.stdout) as { target: string; policy: string; findings: { code: string; action: string; package: string }[]; summary: { refused: number; skipped: number } };
    expect(json.findings).toContainEqual(expect.objectContaining({ code: 'LIFEGUARD_DENY', action: 'refuse', package: `${S}/denied` }));
    expect(json).toMatchObject({ target: 'yarn.lock', policy: 'lifeguard.json', summary: { refused: 1, skipped: 2 } }); // denied has a postinstall too
    const sarif = await yarn(ctx, dir, ['lifeguard', 'check', '--format', 'sarif', '--output', 'lifeguard.sarif']);
    expect(sarif.code, out(sarif)).toBe(1);
    const log = JSON.parse(readFileSync(join(dir, 'lifeguard.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results).toContainEqual(expect.objectContaining({ ruleId: 'LIFEGUARD_DENY', level: 'error' }));
    const usage = await yarn(ctx, dir, ['lifeguard', 'check', '--format', 'xml']);
    expect(usage.code, out(usage)).toBe(2);
    // A fresh CI checkout: no install state, no cache, no .pnp.cjs / node_modules: the lockfile alone.
    for (const p of ['.yarn', '.pnp.cjs', '.pnp.loader.mjs', 'node_modules', '.yarn-global']) rmSync(join(dir, p), { recursive: true, force: true });
    const fresh = await yarn(ctx, dir, ['lifeguard', 'check']);
    expect(fresh.code, out(fresh)).toBe(1);
    expect(fresh.stdout).toContain(`REFUSED ${S}/denied@1.0.0 LIFEGUARD_DENY`);
    expect(fresh.stdout).toContain('Lifeguard: install would be refused.');
    const explain = await yarn(ctx, dir, ['lifeguard', 'explain', `${S}/denied`]);
    expect(explain.code, out(explain)).toBe(1);
    expect(explain.stdout).toContain('packages.deny');
    setPolicy(dir, '{"mode": "sometimes"}');
    const err = await yarn(ctx, dir, ['lifeguard', 'check']);
    expect(err.code, out(err)).toBe(2);
    expect(out(err)).toContain('$.mode');
  });
});

// Issue 10: names compare case-insensitively, and look-alikes with real traffic (the 2026-03
// download snapshot) are installed. The upper-case fixture goes in with a direct PUT (`npm
// publish` refuses capital letters; mirrors do not).
describe('yarn 4.18.1, pnp linker: letter case and the download snapshot', () => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, base, { reg, markers, linker: 'pnp' });
    await publishFast(reg, [
      { name: 'Express', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'upper-case') } },
      { name: 'ansicolor', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'established') } },
      { name: 'plain-crypto-js', version: '4.2.1', scripts: { postinstall: markerScript(markers, 'extra-word') } },
      { name: 'crypto-js-extra', version: '1.0.0' },
    ]);
  });

  it('refuses an upper-case look-alike of a popular name (Express) and leaves the project byte-identical', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy: {} });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setDeps(dir, { [`${S}/plain`]: '1.0.0', Express: '1.0.0' });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    const text = out(r).replace(/\s+/g, ' ');
    expect(text).toContain('LIFEGUARD_TYPOSQUAT');
    expect(text).toContain('"Express" is "express" in different letter case');
    expect(text).toContain('"typosquat": { "ignore": ["Express"] }');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'upper-case')).toBe(false);
  });

  it('installs an established look-alike (ansicolor: 540,000 downloads a month, one separator from ansi-color)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { ansicolor: '1.0.0' }, { policy: {} });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).not.toContain('LIFEGUARD_TYPOSQUAT');
    expect(readFileSync(join(dir, 'yarn.lock'), 'utf8')).toContain('ansicolor@npm:1.0.0');
    expect(markerExists(markers, 'established')).toBe(false); // its script is still not approved
  });

  it('an extra word around a popular name warns, and refuses when the package runs install scripts (plain-crypto-js)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { 'crypto-js-extra': '1.0.0' }, { policy: {} });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).toContain('LIFEGUARD_TYPOSQUAT');
    expect(readFileSync(join(dir, 'yarn.lock'), 'utf8')).toContain('crypto-js-extra@npm:1.0.0');
    setDeps(dir, { 'crypto-js-extra': '1.0.0', 'plain-crypto-js': '4.2.1' });
    const before = projectHash(dir);
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).not.toBe(0);
    const text = out(r2).replace(/\s+/g, ' ');
    expect(text).toContain('refused because it runs install scripts');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'extra-word')).toBe(false);
  });
});
