/**
 * `lifeguard report` and `lifeguard incident` on real installs: pnpm 12 (with the Lifeguard hook), Yarn 4
 * (with the plugin, PnP and node-modules) and npm (ignore-scripts), against one local registry. The dropper
 * fixture's postinstall runs setup.js, which writes a marker and carries a URL and an IP (it connects nowhere).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schema from '../../packages/cli/vendor/osv-schema/schema.json';
import {
  REPO, TMP, hermeticEnv, markerExists, newMarkers, publish, resetMarkers, run, startRegistry, tempProject, tool,
  type Registry, type RunResult, type Tool,
} from '../harness/index';
import { project as pnpmProject, pnpm, projectHash, type Ctx as PnpmCtx } from '../pnpm/setup';
import { project as yarnProject, setUp as yarnSetUp, yarn, type Ctx as YarnCtx } from '../yarn/setup';

const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
const S = '@lg-incident';
const DROPPER = `${S}/dropper`;
const URL = 'https://collect.exfil-example.test/v1/upload';
const IP = '203.0.113.77';

let reg: Registry;
let markers: string;
let npm: Tool;
const pctx = {} as PnpmCtx;
const pctx10 = {} as PnpmCtx;
const yctx = {} as YarnCtx;

const out = (r: RunResult): string => `${r.stdout}\n${r.stderr}`;
function lifeguard(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: hermeticEnv({}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  markers = newMarkers();
  const setup = [
    "const fs = require('fs'), path = require('path');",
    '// Indicators only: nothing here connects anywhere.',
    `const C2 = ${JSON.stringify(URL)};`,
    `const FALLBACK = ${JSON.stringify(IP)};`,
    `fs.mkdirSync(${JSON.stringify(markers)}, { recursive: true });`,
    `fs.writeFileSync(path.join(${JSON.stringify(markers)}, 'dropper'), C2 + ' ' + FALLBACK);`,
    '',
  ].join('\n');
  const yctxBase: Partial<YarnCtx> = {};
  [reg, npm] = await Promise.all([startRegistry(), tool('npm'), yarnSetUp(yctxBase)]);
  await publish(reg, [
    { name: DROPPER, version: '1.0.0', scripts: { postinstall: 'node setup.js' }, files: { 'setup.js': setup } },
    { name: `${S}/parent`, version: '1.0.0', dependencies: { [DROPPER]: '^1.0.0' } },
    { name: `${S}/plain`, version: '1.0.0' },
  ]);
  Object.assign(pctx, { reg, markers, v: 'pnpm12', t: await tool('pnpm12') });
  Object.assign(pctx10, { reg, markers, v: 'pnpm10', t: await tool('pnpm10') });
  Object.assign(yctx, yctxBase, { reg, markers });
}, 300_000);
afterAll(async () => {
  await reg?.stop();
});

const allow = { scripts: { allow: [DROPPER] } };

describe('lifeguard report', () => {
  it('drafts a schema-valid OSV record with the URL and IP of the script it runs; --feed makes the next pnpm install refuse the release', async () => {
    resetMarkers(markers);
    const dir = pnpmProject(pctx, { [`${S}/parent`]: '1.0.0' }, { policy: allow });
    const install = await pnpm(pctx, dir, ['install']);
    expect(install.code, out(install)).toBe(0);
    expect(markerExists(markers, 'dropper'), 'fixture: the approved postinstall ran').toBe(true);

    const r = lifeguard(dir, 'report', `${DROPPER}@1.0.0`, '--reason', 'runs setup.js, which sends tokens to a collector', '--output', 'draft.json', '--feed', 'security/osv');
    expect(r.code, r.out).toBe(0);
    const draft = JSON.parse(readFileSync(join(dir, 'draft.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    // The database assigns the id; everything else is checked against the full OSV schema.
    validate({ id: 'MAL-0000-check', ...draft });
    expect(validate.errors ?? [], JSON.stringify(draft, null, 2)).toEqual([]);
    expect(draft.id).toBeUndefined();
    expect(draft.summary).toBeUndefined();
    expect(draft.affected).toEqual([{ package: { ecosystem: 'npm', name: DROPPER }, versions: ['1.0.0'] }]);
    expect(draft.database_specific.iocs.urls).toContain(URL);
    expect(draft.database_specific.iocs.domains).toContain('collect.exfil-example.test');
    expect(draft.database_specific.iocs.ip_addresses).toContain(IP);
    expect(draft.details).toContain('postinstall: `node setup.js`');
    expect(draft.details).toMatch(/Files run at install: setup\.js \(sha256 [0-9a-f]{64}/);
    expect(draft.details).toMatch(/Tarball integrity \(from pnpm-lock\.yaml\): sha512-/);
    expect(draft.details).toContain(`Pulled in by: ${S}/parent@1.0.0 > ${DROPPER}`);
    expect(r.stdout).toContain(`osv/malicious/npm/${DROPPER}/MAL-0000-`);
    expect(r.stdout).toContain('https://www.npmjs.com/package/@lg-incident/dropper');
    expect(r.stdout).toContain('Add "security/osv" to "advisories.feeds"');

    // The team adds the feed: a fresh install from the same lockfile is refused before anything runs.
    writePolicy(dir, { ...allow, advisories: { feeds: ['security/osv'] } });
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    resetMarkers(markers);
    const before = projectHash(dir);
    const refused = await pnpm(pctx, dir, ['install']);
    expect(refused.code, out(refused)).not.toBe(0);
    expect(out(refused)).toContain('LIFEGUARD_ADVISORY');
    expect(out(refused).replace(/\s+/g, '')).toContain('x_lifeguard-lg-incident__dropper-1.0.0');
    expect(markerExists(markers, 'dropper')).toBe(false);
    expect(projectHash(dir)).toBe(before);
  }, 180_000);

  it('fails with a usage error on a range or a bad name, naming what it expected', () => {
    const dir = tempProject({});
    expect(lifeguard(dir, 'report', `${DROPPER}@^1.0.0`)).toMatchObject({ code: 2 });
    expect(lifeguard(dir, 'report', `${DROPPER}@^1.0.0`).stderr).toContain('is not an exact version');
    expect(lifeguard(dir, 'report', 'Not A Name@1.0.0').code).toBe(2);
  });
});

function writePolicy(dir: string, policy: unknown): void {
  writeFileSync(join(dir, 'lifeguard.json'), `${JSON.stringify(policy, null, 2)}\n`);
}

function npmProject(deps: Record<string, string>): string {
  const host = reg.url.replace(/^https?:/, '');
  return tempProject({
    'package.json': JSON.stringify({ name: 'lg-incident-npm', version: '1.0.0', private: true, dependencies: deps }, null, 2),
    '.npmrc': `registry=${reg.url}\n${host}:_authToken=${reg.token}\nignore-scripts=true\ncache=${join(TMP, 'e2e', 'npm-cache')}\naudit=false\nfund=false\n`,
  });
}

describe('lifeguard incident', () => {
  it('finds the release in pnpm 12 and 10, Yarn 4 and npm projects and says where its script ran', async () => {
    const org = tempProject({});
    const place = (dir: string, name: string): void => {
      mkdirSync(join(org, 'team'), { recursive: true });
      renameSync(dir, join(org, 'team', name));
    };
    const ran: Record<string, boolean> = {};
    const installed = async (name: string, dir: string, go: () => Promise<RunResult>) => {
      resetMarkers(markers);
      const r = await go();
      expect(r.code, `${name}\n${out(r)}`).toBe(0);
      ran[name] = markerExists(markers, 'dropper');
      place(dir, name);
    };
    const p1 = pnpmProject(pctx, { [`${S}/parent`]: '1.0.0' }, { policy: allow });
    await installed('pnpm-ran', p1, () => pnpm(pctx, p1, ['install']));
    const p2 = pnpmProject(pctx, { [`${S}/parent`]: '1.0.0' }, { policy: {} });
    await installed('pnpm-skipped', p2, () => pnpm(pctx, p2, ['install']));
    const p3 = pnpmProject(pctx10, { [`${S}/parent`]: '1.0.0' }, { policy: {} });
    await installed('pnpm10-skipped', p3, () => pnpm(pctx10, p3, ['install']));
    const y1 = yarnProject({ ...yctx, linker: 'pnp' }, { [DROPPER]: '1.0.0' }, { policy: allow });
    const yarnReport = async (): Promise<RunResult> => {
      const r = await yarn({ ...yctx, linker: 'pnp' }, y1, ['install']);
      // PnP keeps packages zipped; the one that built is unplugged, and report reads its files there.
      const draft = lifeguard(y1, 'report', `${DROPPER}@1.0.0`);
      expect(draft.code, draft.out).toBe(0);
      expect(JSON.parse(draft.stdout).database_specific.iocs).toMatchObject({ urls: [URL], ip_addresses: [IP] });
      return r;
    };
    await installed('yarn-pnp-ran', y1, yarnReport);
    const y2 = yarnProject({ ...yctx, linker: 'node-modules' }, { [`${S}/parent`]: '1.0.0' }, { policy: {} });
    await installed('yarn-nm-skipped', y2, () => yarn({ ...yctx, linker: 'node-modules' }, y2, ['install']));
    const n1 = npmProject({ [`${S}/parent`]: '1.0.0' });
    await installed('npm-skipped', n1, () => run(npm, ['install'], { cwd: n1 }));
    const n2 = npmProject({ [`${S}/plain`]: '1.0.0' });
    await installed('npm-clean', n2, () => run(npm, ['install'], { cwd: n2 }));
    // Ground truth from the marker files.
    expect(ran).toEqual({ 'pnpm-ran': true, 'pnpm-skipped': false, 'pnpm10-skipped': false, 'yarn-pnp-ran': true, 'yarn-nm-skipped': false, 'npm-skipped': false, 'npm-clean': false });

    const r = lifeguard(org, 'incident', `${DROPPER}@^1.0.0`, '--format', 'json');
    expect(r.code, r.out).toBe(1);
    const json = JSON.parse(r.stdout);
    const rows = Object.fromEntries(json.affected.map((a: { project: string }) => [a.project.replace('team/', ''), a]));
    expect(Object.keys(rows).sort()).toEqual(['npm-skipped', 'pnpm-ran', 'pnpm-skipped', 'pnpm10-skipped', 'yarn-nm-skipped', 'yarn-pnp-ran']);
    expect(rows['pnpm-ran']).toEqual({ project: 'team/pnpm-ran', lockfile: 'team/pnpm-ran/pnpm-lock.yaml', package: DROPPER, version: '1.0.0', via: [`${S}/parent@1.0.0`], scripts: 'ran' });
    expect(rows['pnpm-skipped'].scripts).toBe('not-run');
    expect(rows['pnpm10-skipped']).toMatchObject({ via: [`${S}/parent@1.0.0`], scripts: 'not-run' });
    expect(rows['yarn-pnp-ran']).toMatchObject({ lockfile: 'team/yarn-pnp-ran/yarn.lock', via: [], scripts: 'ran' });
    expect(rows['yarn-nm-skipped']).toMatchObject({ via: [`${S}/parent@1.0.0`], scripts: 'not-run' });
    expect(rows['npm-skipped']).toMatchObject({ lockfile: 'team/npm-skipped/package-lock.json', via: [`${S}/parent@1.0.0`], scripts: 'not-run' });
    expect(json.summary).toMatchObject({ affectedProjects: 6, scripts: { ran: 2, 'not-run': 4 } });

    const text = lifeguard(org, 'incident', `${DROPPER}@^1.0.0`);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/team\/pnpm-ran: remove @lg-incident\/dropper@1\.0\.0 or pin away from it[^\n]*\n\s+Rotate every credential/);
    expect(text.stdout).not.toMatch(/team\/npm-skipped: remove[^\n]*\n\s+Rotate/);
    expect(text.stdout.trimEnd()).toMatch(/clean-looking node_modules is no proof[\s\S]*advisories\.feeds[^\n]*$/);

    const lines = lifeguard(org, 'incident', `${DROPPER}@^1.0.0`, '--format', 'jsonl').stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(json.affected);
    // A range that misses the release: nothing affected, exit 0.
    expect(lifeguard(org, 'incident', `${DROPPER}@>=2`, '--format', 'json')).toMatchObject({ code: 0 });
  }, 300_000);
});
