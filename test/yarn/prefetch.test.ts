/**
 * Refusals before the fetch step (issue 13 item 4), real Yarn 4.18.1: a refused `yarn add` of a
 * denied package next to allowed new siblings writes no archive at all to `.yarn/cache` (the
 * siblings' archives used to land there, fetched in parallel with the refused one) and leaves
 * package.json, yarn.lock and the install byte-identical. The same for a source refusal that only
 * the resolved dependencies show, for a package denied after it was installed, and for an advisory
 * added to the feed after install (the cached verdicts of the fetch step must not hide either).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, markerExists, startRegistry, type Registry } from '../harness/index';
import { type Ctx, LINKERS, lifeguardFile, newMarkers, OSV_RECORD, out, project, projectHash, publishAll, resetMarkers, S, setPolicy, setUp, yarn } from './setup';

let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([publishAll(reg, markers), setUp(base)]);
});
afterAll(async () => {
  await reg?.stop();
});

const policy = { packages: { deny: [`${S}/denied`] }, advisories: { feeds: ['security/osv'] } };
const feedReadme = { 'security/osv/README.json': '[]\n' };
/** Yarn's archive cache and the project's state: both must be untouched by a refused install. */
const cacheHash = (dir: string): string => hashTree(dir, ['.yarn/cache']);
/** New, allowed packages added next to the refused one: `parent` brings `unapproved` along. */
const SIBLINGS = [`${S}/approved@1.0.0`, `${S}/parent@1.0.0`];

describe.each(LINKERS)('yarn 4.18.1, %s linker: refused before the fetch step', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it('`yarn add` of a denied package next to allowed new siblings: exit 1, the refusal, and no archive written to .yarn/cache', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy, files: feedReadme });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const cache = cacheHash(dir);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['add', ...SIBLINGS, `${S}/denied@1.0.0`]);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_DENY');
    expect(r.stdout).toContain(`${S}/denied@1.0.0 is denied by packages.deny`);
    expect(r.stdout).toContain('lifeguard.json');
    expect(cacheHash(dir)).toBe(cache);
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'denied')).toBe(false);
    // Control: the same siblings without the denied package are fetched and installed.
    const ok = await yarn(ctx, dir, ['add', ...SIBLINGS]);
    expect(ok.code, out(ok)).toBe(0);
    expect(cacheHash(dir)).not.toBe(cache);
  });
});

describe('yarn 4.18.1, pnp linker: refused before the fetch step, from resolution and after a policy or feed change', () => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker: 'pnp' });
  });

  it('a dependency on an http tarball, seen in the resolved dependencies: refused before any sibling is fetched', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy, files: feedReadme });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const cache = cacheHash(dir);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['add', ...SIBLINGS, `${S}/exotic-parent@1.0.0`]);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_SOURCE');
    expect(r.stdout).toContain(`${S}/tarball-child`);
    expect(cacheHash(dir)).toBe(cache);
    expect(projectHash(dir)).toBe(before);
  });

  it('a package denied after it was installed, and an advisory added to the feed after install: the next `yarn add` of a sibling fetches nothing', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0', [`${S}/malicious`]: '1.0.0' }, { policy: { advisories: { feeds: ['security/osv'] } }, files: feedReadme });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const cache = cacheHash(dir);
    const before = projectHash(dir);
    writeFileSync(join(dir, 'security/osv/MAL-2099-0002.json'), JSON.stringify(OSV_RECORD));
    const adv = await yarn(ctx, dir, ['add', SIBLINGS[0]!]);
    expect(adv.code, out(adv)).toBe(1);
    expect(adv.stdout).toContain('LIFEGUARD_ADVISORY');
    expect(adv.stdout).toContain('MAL-2099-0002');
    expect(adv.stdout).not.toContain('LIFEGUARD_DENY');
    expect(cacheHash(dir)).toBe(cache);
    expect(projectHash(dir)).toBe(before);
    setPolicy(dir, policy);
    const both = await yarn(ctx, dir, ['add', SIBLINGS[0]!]);
    expect(both.code, out(both)).toBe(1);
    // Every refused package is reported, each with its locator, as Yarn reports failed fetches.
    expect(both.stdout).toContain(`${S}/denied@npm:1.0.0: Lifeguard refused`);
    expect(both.stdout).toContain(`${S}/malicious@npm:1.0.0: Lifeguard refused`);
    expect(cacheHash(dir)).toBe(cache);
    expect(projectHash(dir)).toBe(before);
  });

  it('a no-op install after a clean one is answered from the remembered clean install (same summary, nothing judged again); a deny added afterwards is still refused before the fetch', async () => {
    resetMarkers(markers);
    const clean = { scripts: { allow: [`${S}/approved`] } };
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0', [`${S}/parent`]: '1.0.0', [`${S}/approved`]: '1.0.0' }, { policy: clean });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const r1 = await yarn(ctx, dir, ['install']);
    expect(r1.code, out(r1)).toBe(0);
    // Remembered outside the project (Yarn's global folder; the suites point it into the project's .yarn-global).
    expect(lifeguardFile(dir, 'clean')).toBeDefined();
    // Judged again, the engine re-creates its verdict cache; answered from the remembered install, nothing does.
    rmSync(lifeguardFile(dir, 'verdicts')!);
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(lifeguardFile(dir, 'verdicts')).toBeUndefined();
    const summary = (r: { stdout: string }) => r.stdout.split('\n').filter((l) => l.includes('Lifeguard') || l.includes('scripts.allow'));
    expect(summary(r2)).toEqual(summary(r1));
    expect(r2.stdout).toContain(`${S}/unapproved@1.0.0`);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    // The policy changed: judged again, and refused before the new sibling is fetched.
    setPolicy(dir, { ...clean, packages: { deny: [`${S}/plain`] } });
    const cache = cacheHash(dir);
    const before = projectHash(dir);
    const r3 = await yarn(ctx, dir, ['add', SIBLINGS[0]!.replace('approved', 'ranged')]);
    expect(r3.code, out(r3)).toBe(1);
    expect(r3.stdout).toContain(`${S}/plain@1.0.0 is denied by packages.deny`);
    expect(cacheHash(dir)).toBe(cache);
    expect(projectHash(dir)).toBe(before);
  });

  it('a verdict cache planted in the repository (a refusal rewritten to "allow" under its real key) is never read: the denied package is refused', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0' }, { policy: {} });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    setPolicy(dir, { packages: policy.packages });
    // `yarn lifeguard check` records the refusal under the key the next install computes.
    const check = await yarn(ctx, dir, ['lifeguard', 'check']);
    expect(check.code, out(check)).toBe(1);
    const written = lifeguardFile(dir, 'verdicts') ?? join(dir, '.yarn/lifeguard-cache.json');
    const cache = JSON.parse(readFileSync(written, 'utf8')) as { entries: Record<string, { verdict?: { verdict: { decision: string; findings: unknown[] } } }> };
    const forged = Object.values(cache.entries).filter((e) => e.verdict?.verdict.decision === 'refuse');
    expect(forged).toHaveLength(1);
    for (const e of forged) Object.assign(e.verdict!.verdict, { decision: 'allow', findings: [] });
    // The pull request's copy, in the project; the CI machine has no cache of its own.
    rmSync(join(dir, '.yarn-global'), { recursive: true, force: true });
    writeFileSync(join(dir, '.yarn/lifeguard-cache.json'), JSON.stringify(cache));
    const r = await yarn(ctx, dir, ['install', '--immutable']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain(`${S}/denied@1.0.0 is denied by packages.deny`);
  });
});
