/**
 * What a newcomer sees at install time once Lifeguard is wired in: the skipped-builds summary
 * when the registry sends no `hasInstallScript` (pnpm 12), a dropper flagged as risky next to a
 * benign build (pnpm 10, 11 and 12, Yarn 4, npm), the native approvals Lifeguard overrides, and a
 * refusal that pnpm 12 shows once and unwrapped.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO, editedMetadataRegistry, ensureBuilt, hashTree, hermeticEnv, markerExists, markerScript, newMarkers, out, pnpmProject, publish, run,
  startRegistry, tempProject, tool, yarnrc, type Registry,
} from '../harness/index';

const S = '@lg-adopt2';
const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
const payload = Buffer.from("require('fs').writeFileSync(require('path').join(process.cwd(), 'dropped'), 'x')").toString('base64');
let reg: Registry;
/** The same packages, served without `hasInstallScript` (and without scripts) in the metadata. */
let bare: Registry;
let markers: string;

beforeAll(async () => {
  ensureBuilt('pnpm-hook', 'dist/pnpmfile.cjs');
  ensureBuilt('yarn-plugin', 'dist/yarn-plugin-lifeguard.cjs');
  reg = await startRegistry();
  markers = newMarkers();
  await publish(reg, [
    { name: `${S}/benign`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'benign') } },
    { name: `${S}/dropper`, version: '1.0.0', scripts: { postinstall: `node -e "eval(Buffer.from('${payload}','base64').toString())"` } },
    { name: `${S}/denied`, version: '1.0.0' },
  ]);
  bare = await editedMetadataRegistry(reg, (v) => {
    delete v.hasInstallScript;
    delete v.scripts;
  });
}, 300_000);

afterAll(async () => {
  await bare?.stop();
  await reg?.stop();
});

const DEPS = { [`${S}/benign`]: '1.0.0', [`${S}/dropper`]: '1.0.0' };
const RISKY = new RegExp(`- ${S}/dropper@1\\.0\\.0 \\(postinstall\\) \\[scripts\\.unapproved\\] RISKY: its postinstall decodes and runs an encoded payload`);

function pnpmAdoptProject(registry: Registry, workspaceYaml = ''): string {
  const dir = pnpmProject(registry, { dependencies: DEPS }, { workspaceYaml });
  copyFileSync(join(REPO, 'packages/pnpm-hook/dist/pnpmfile.cjs'), join(dir, '.pnpmfile.cjs'));
  writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: [] } }));
  return dir;
}

describe('pnpm', () => {
  it('pnpm 12, metadata without hasInstallScript: Lifeguard lists the skipped builds (not only pnpm approve-builds), flags the dropper, names the overridden approval', async () => {
    const pnpm = await tool('pnpm12');
    const dir = pnpmAdoptProject(bare, `allowBuilds:\n  "${S}/benign": true\n`);
    const r = await run(pnpm, ['install'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'benign')).toBe(false);
    expect(existsSync(join(dir, 'dropped'))).toBe(false);
    expect(out(r)).toContain('Lifeguard: install scripts of 2 packages did not run');
    expect(out(r)).toContain(`- ${S}/benign@1.0.0 (postinstall) [scripts.unapproved]: to run them, add "${S}/benign@1.0.0" to "scripts.allow"`);
    expect(out(r)).toMatch(RISKY);
    expect(out(r)).toContain('Approve them in lifeguard.json, not with `pnpm approve-builds`');
    expect(out(r)).toContain(`Lifeguard: pnpm's own build approvals for ${S}/benign are not in ${join(dir, 'lifeguard.json')}`);
    expect(out(r).split("pnpm's own build approvals").length - 1).toBe(1);
  });

  it.each(['pnpm10', 'pnpm11'] as const)('%s: the dropper is flagged in the summary too', async (v) => {
    const pnpm = await tool(v);
    const dir = pnpmAdoptProject(reg);
    const r = await run(pnpm, ['install'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(existsSync(join(dir, 'dropped'))).toBe(false);
    expect(out(r)).toMatch(RISKY);
  });

  it('pnpm 10: a leftover ignore-scripts=true is named when lifeguard.json approves builds', async () => {
    const pnpm = await tool('pnpm10');
    const dir = pnpmProject(reg, { dependencies: { [`${S}/benign`]: '1.0.0' } }, { npmrc: 'ignore-scripts=true' });
    copyFileSync(join(REPO, 'packages/pnpm-hook/dist/pnpmfile.cjs'), join(dir, '.pnpmfile.cjs'));
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: [`${S}/benign`] } }));
    const r = await run(pnpm, ['install'], { cwd: dir });
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'benign')).toBe(false);
    expect(out(r)).toContain('Lifeguard: ignore-scripts is on (.npmrc, pnpm-workspace.yaml or the command line): pnpm runs no dependency build at all');
  });

  it('pnpm 12: a refusal is printed once, whole and unwrapped; pnpm\'s box gets one short line', async () => {
    const pnpm = await tool('pnpm12');
    const dir = pnpmProject(reg, { dependencies: { [`${S}/denied`]: '1.0.0' } });
    copyFileSync(join(REPO, 'packages/pnpm-hook/dist/pnpmfile.cjs'), join(dir, '.pnpmfile.cjs'));
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ packages: { deny: [`${S}/denied`] } }));
    const before = hashTree(dir, ['package.json', 'pnpm-lock.yaml', 'node_modules']);
    const r = await run(pnpm, ['install'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(hashTree(dir, ['package.json', 'pnpm-lock.yaml', 'node_modules'])).toBe(before);
    const text = out(r);
    // Each line of the message whole, on its own line: not wrapped by pnpm's 80-column box.
    expect(text).toContain(`\nLifeguard refused ${S}/denied@1.0.0 while resolving [LIFEGUARD_DENY, rule packages.deny]\n`);
    expect(text).toContain(`\n    to allow it: remove "${S}/denied" from "packages.deny" in lifeguard.json\n`);
    expect(text.split('to allow it:').length - 1, text).toBe(1);
    expect(text).toContain('ERR_PNPM_PNPMFILE_FAIL');
    // pnpm wraps its box at 80 columns: compare the box's words.
    expect(text.replace(/[│╰─▶├]/g, ' ').replace(/\s+/g, ' ')).toContain(`Lifeguard refused ${S}/denied@1.0.0 [LIFEGUARD_DENY]: why and how to allow it are printed above.`);
  });
});

describe('Yarn 4', () => {
  it('flags the dropper in the summary and names the dependenciesMeta approval it overrides', async () => {
    const yarn = await tool('yarn4');
    const dir = tempProject({
      'package.json': JSON.stringify({ name: 'adopt2', private: true, dependencies: DEPS, dependenciesMeta: { [`${S}/benign`]: { built: true } } }, null, 2),
      'yarn.lock': '',
      '.yarnrc.yml': yarnrc(reg, 'node-modules', [`plugins:\n  - path: ${JSON.stringify(join(REPO, 'packages/yarn-plugin/dist/yarn-plugin-lifeguard.cjs'))}`]),
      'lifeguard.json': JSON.stringify({ scripts: { allow: [] } }),
    });
    const env = { YARN_GLOBAL_FOLDER: join(dir, '.yarn-global'), YARN_ENABLE_GLOBAL_CACHE: 'false' };
    const r = await run(yarn, ['install'], { cwd: dir, env });
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'benign')).toBe(false);
    expect(existsSync(join(dir, 'dropped'))).toBe(false);
    expect(out(r)).toMatch(RISKY);
    expect(out(r)).toContain(`Lifeguard: package.json dependenciesMeta approves builds that lifeguard.json does not: ${S}/benign.`);
    expect(out(r).split('dependenciesMeta approves builds').length - 1).toBe(1);
  });
});

describe('npm', () => {
  it('lifeguard rebuild flags the dropper it does not run', async () => {
    const dir = tempProject({
      'package.json': JSON.stringify({ name: 'adopt2', private: true, dependencies: DEPS }),
      '.npmrc': `registry=${reg.url}\nignore-scripts=true\n`,
      'lifeguard.json': JSON.stringify({ scripts: { allow: [`${S}/benign`] } }),
    });
    const npm = await tool('npm');
    expect((await run(npm, ['install', '--no-audit', '--no-fund'], { cwd: dir })).code).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'rebuild', '--dry-run'], { cwd: dir, encoding: 'utf8', env: hermeticEnv({}) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`skip ${S}/dropper@1.0.0 (not approved; RISKY: its postinstall decodes and runs an encoded payload`);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).not.toContain('allowScripts');
  });
});
