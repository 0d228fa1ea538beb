/**
 * yarn-plugin-lifeguard on real Yarn 4.18.1, both linkers: `yarn plugin import` of the bundle,
 * `yarn up` to a denied version, an advisory feed updated after install (cached verdicts must
 * not hide it), `releaseAge` driving Yarn's npmMinimalAgeGate, registry metadata that disagrees
 * with the published package.json, and `dependenciesMeta.built` not overriding the policy.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publish, startRegistry, tarball, type Registry } from '../harness/index';
import {
  type Ctx, LINKERS, lifeguardFile, newMarkers, OSV_RECORD, out, PLUGIN, project, projectHash, resetMarkers, S, setDeps, setUp, yarn,
} from './setup';

let reg: Registry;
const markers = newMarkers();
const base: Partial<Ctx> = {};

/**
 * Publishes a package whose registry metadata lists `metaDeps` while the tarball's package.json
 * lists `archiveDeps` (manifest confusion), with a direct registry PUT.
 */
async function publishMismatched(r: Registry, name: string, version: string, metaDeps: Record<string, string>, archiveDeps: Record<string, string>): Promise<void> {
  const manifest = { name, version, main: 'index.js', license: 'MIT' };
  const tgz = tarball({
    'package.json': `${JSON.stringify({ ...manifest, dependencies: archiveDeps }, null, 2)}\n`,
    'index.js': 'module.exports = 1;\n',
  });
  const file = `${name}-${version}.tgz`;
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        dependencies: metaDeps,
        _id: `${name}@${version}`,
        dist: {
          shasum: createHash('sha1').update(tgz).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
          tarball: `${r.url}${name}/-/${name.split('/').pop()}-${version}.tgz`,
        },
      },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
  };
  const res = await fetch(`${r.url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`publishing ${name}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([
    publish(reg, [
      { name: `${S}/plain`, version: '1.0.0' },
      { name: `${S}/ranged`, version: '1.0.0' },
      { name: `${S}/ranged`, version: '2.0.0' },
      { name: `${S}/denied`, version: '1.0.0' },
      { name: `${S}/malicious`, version: '1.0.0' },
      { name: `${S}/unapproved`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'unapproved') } },
    ]).then(() => publishMismatched(reg, `${S}/confused`, '1.0.0', {}, { [`${S}/plain`]: '^1.0.0' })),
    setUp(base),
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

describe.each(LINKERS)('yarn 4.18.1, %s linker: more', (linker) => {
  const ctx = {} as Ctx;
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it('`yarn plugin import` accepts the bundle, and the imported plugin enforces', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { plugin: false, policy: { packages: { deny: [`${S}/denied`] } } });
    const r = await yarn(ctx, dir, ['plugin', 'import', PLUGIN]);
    expect(r.code, out(r)).toBe(0);
    expect(existsSync(join(dir, '.yarn/plugins/@yarnpkg/plugin-lifeguard.cjs'))).toBe(true);
    const ok = await yarn(ctx, dir, ['install']);
    expect(ok.code, out(ok)).toBe(0);
    setDeps(dir, { [`${S}/plain`]: '1.0.0', [`${S}/denied`]: '1.0.0' });
    const before = projectHash(dir);
    const bad = await yarn(ctx, dir, ['install']);
    expect(bad.code, out(bad)).toBe(1);
    expect(bad.stdout).toContain('LIFEGUARD_DENY');
    expect(projectHash(dir)).toBe(before);
  });

  it('`yarn up` to a denied version fails and changes nothing', async () => {
    const dir = project(ctx, { [`${S}/ranged`]: '1.0.0' }, { policy: { packages: { deny: [`${S}/ranged@>=2.0.0`] } } });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['up', `${S}/ranged@2.0.0`]);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain(`${S}/ranged@2.0.0 is denied by packages.deny entry "${S}/ranged@>=2.0.0"`);
    expect(projectHash(dir)).toBe(before);
  });

  it('an advisory added to the feed after install refuses on the next install (cached verdicts do not hide it)', async () => {
    const dir = project(ctx, { [`${S}/malicious`]: '1.0.0' }, { policy: { advisories: { feeds: ['security/osv'] } }, files: { 'security/osv/README.json': '[]\n' } });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    expect(lifeguardFile(dir, 'verdicts')).toBeDefined();
    expect(existsSync(join(dir, '.yarn/lifeguard-cache.json'))).toBe(false); // outside the project
    writeFileSync(join(dir, 'security/osv/MAL-2099-0002.json'), JSON.stringify(OSV_RECORD));
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install', '--immutable']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('MAL-2099-0002');
    expect(projectHash(dir)).toBe(before);
  });

  it('releaseAge.minimum becomes Yarn\'s npmMinimalAgeGate (fresh releases are not resolved); exclude spares them', async () => {
    const dir = project(ctx, {}, { policy: { releaseAge: { minimum: '3d' } } });
    const r = await yarn(ctx, dir, ['add', `${S}/plain@^1.0.0`]);
    expect(r.code, out(r)).not.toBe(0);
    expect(r.stdout).toContain(`${S}/plain@npm:^1.0.0: All versions satisfying "^1.0.0" are quarantined`);
    const dir2 = project(ctx, {}, { policy: { releaseAge: { minimum: '3d', exclude: [`${S}/*`] } } });
    const r2 = await yarn(ctx, dir2, ['add', `${S}/plain@^1.0.0`]);
    expect(r2.code, out(r2)).toBe(0);
  });

  it('warns with LIFEGUARD_MANIFEST_MISMATCH when registry metadata and package.json disagree', async () => {
    const dir = project(ctx, { [`${S}/confused`]: '1.0.0' }, { policy: {} });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toContain('LIFEGUARD_MANIFEST_MISMATCH');
    expect(r.stdout).toContain(`only the archive lists ${S}/plain`);
  });

  it('without lifeguard.json: the default policy applies, is announced, and its verdicts are cached', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/unapproved`]: '1.0.0', [`${S}/plain`]: '1.0.0' });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toContain('no lifeguard.json; the built-in default policy applies');
    expect(markerExists(markers, 'unapproved')).toBe(false);
    const cache = JSON.parse(readFileSync(lifeguardFile(dir, 'verdicts')!, 'utf8')) as { entries: Record<string, { verdict?: unknown }> };
    expect(Object.values(cache.entries)).toHaveLength(2);
    for (const e of Object.values(cache.entries)) expect(e.verdict).toBeDefined();
    const r2 = await yarn(ctx, dir, ['install']);
    expect(r2.code, out(r2)).toBe(0);
    expect(r2.stdout).toContain(`${S}/unapproved@1.0.0 (postinstall)`);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });

  it('fails every install, clearly, when Yarn\'s internals are not what it was verified on', async () => {
    // A plugin loaded first that re-wraps MultiFetcher.prototype.fetch with another arity stands
    // in for a Yarn release whose internals moved.
    const sabotage = `module.exports = { name: '@yarnpkg/plugin-sabotage', factory: (require) => {
      const { MultiFetcher } = require('@yarnpkg/core');
      const f = MultiFetcher.prototype.fetch;
      if (f.length === 2) MultiFetcher.prototype.fetch = function (...args) { return f.apply(this, args); };
      return { default: {} };
    } };\n`;
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { plugin: false, policy: {}, files: { 'sabotage.cjs': sabotage } });
    writeFileSync(join(dir, '.yarnrc.yml'), `${readFileSync(join(dir, '.yarnrc.yml'), 'utf8')}plugins:\n  - ./sabotage.cjs\n  - ${JSON.stringify(PLUGIN)}\n`);
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('Lifeguard cannot enforce its policy on this Yarn (MultiFetcher.prototype.fetch(locator, opts) is missing)');
    expect(projectHash(dir)).toBe(before);
    const check = await yarn(ctx, dir, ['lifeguard', 'check']);
    expect(check.code, out(check)).not.toBe(0);
  });

  it('leaves workspaces\' own scripts alone and gates their dependencies', async () => {
    resetMarkers(markers);
    const ws = { name: 'lg-ws-a', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'workspace-a') }, dependencies: { [`${S}/unapproved`]: '1.0.0' } };
    const dir = project(ctx, {}, { policy: {}, pkg: { workspaces: ['packages/*'] }, files: { 'packages/a/package.json': `${JSON.stringify(ws, null, 2)}\n` } });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'workspace-a')).toBe(true);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(r.stdout).toContain(`${S}/unapproved@1.0.0 (postinstall)`);
  });

  it('`yarn lifeguard explain` of a package that is not in the project judges it on name and version', async () => {
    const dir = project(ctx, { [`${S}/plain`]: '1.0.0' }, { policy: { packages: { deny: ['left-pad@1.3.0'] }, scripts: { allow: ['esbuild@^0.25.0'] } } });
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    const denied = await yarn(ctx, dir, ['lifeguard', 'explain', 'left-pad@1.3.0']);
    expect(denied.code, out(denied)).toBe(1);
    expect(denied.stdout).toContain('not in this project');
    expect(denied.stdout).toContain('packages.deny: "left-pad@1.3.0"');
    const approved = await yarn(ctx, dir, ['lifeguard', 'explain', 'esbuild@0.25.1']);
    expect(approved.code, out(approved)).toBe(0);
    expect(approved.stdout).toContain('scripts: approved by "esbuild@^0.25.0"');
  });

  it('dependenciesMeta.built and enableScripts do not override the policy', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/unapproved`]: '1.0.0' }, {
      policy: {},
      yarnrc: ['enableScripts: true'],
      pkg: { dependenciesMeta: { [`${S}/unapproved`]: { built: true } } },
    });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });
});
