/**
 * The main job: Lifeguard protecting real pnpm, Yarn and Bun installs against a local registry.
 * Bundled by scripts/demo.mjs into .tmp/demo/ (the harness finds the repo two levels up).
 */
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import {
  REPO, TYPOSQUAT, assertTyposquatFixture, bunProject, cleanup, ensureBuilt, hashTree, markerExists, markerScript, pnpmProject, publish, run, startRegistry, tempProject, tool, yarnrc,
  type Registry, type RunResult, type Tool,
} from '../test/harness/index';

const S = '@lg-demo';
const PNPMFILE = ensureBuilt('pnpm-hook', 'dist/pnpmfile.cjs');
const YARN_PLUGIN = ensureBuilt('yarn-plugin', 'dist/yarn-plugin-lifeguard.cjs');
const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');

const say = (s = '') => process.stdout.write(`${s}\n`);
const head = (s: string) => say(`\n${pc.bold(pc.cyan(`## ${s}`))}`);
const ok = (s: string) => say(`   ${pc.green('✔')} ${s}`);
const bad = (s: string) => say(`   ${pc.red('✘')} ${s}`);
let failures = 0;
const expectThat = (cond: boolean, good: string, wrong: string) => (cond ? ok(good) : (failures++, bad(wrong)));

/** Shows what the user would see, minus progress noise. */
function show(cmd: string, r: RunResult, maxLines = 28): void {
  say(pc.dim(`$ ${cmd}`));
  const lines = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l && !/^(Progress|Packages: |\+{3,}|Downloading|Already up to date|➤ YN0000: ┌|➤ YN0000: └)/.test(l));
  for (const l of lines.slice(0, maxLines)) say(`   ${l}`);
  if (lines.length > maxLines) say(pc.dim(`   … ${lines.length - maxLines} more lines`));
  say(pc.dim(`   (exit code ${r.code})`));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build`);
  assertTyposquatFixture();
  head('Setting up: a local registry (verdaccio on 127.0.0.1) with fixture packages');
  const [reg, pnpm, yarn, bun] = await Promise.all([startRegistry(), tool('pnpm12'), tool('yarn4'), tool('bun')]);
  const markers = tempProject({});
  try {
    // A payload that looks like the 2025 worms: a base64 blob decoded and evaluated at install time.
    const payload = Buffer.from(`require('fs').writeFileSync(${JSON.stringify(join(markers, 'analytics'))},'stole your ~/.npmrc')`).toString('base64');
    await publish(reg, [
      { name: `${S}/fast-native`, version: '1.0.0', scripts: { postinstall: `node -e "console.log('compiling the native addon...')" && ${markerScript(markers, 'fast-native')}` } },
      { name: `${S}/analytics`, version: '1.0.0', scripts: { postinstall: `node -e "eval(Buffer.from('${payload}','base64').toString())"` } },
      { name: TYPOSQUAT, version: '1.0.0', scripts: { postinstall: markerScript(markers, TYPOSQUAT) } },
      { name: `${S}/codec`, version: '2.0.0', scripts: { postinstall: markerScript(markers, 'codec') } },
    ]);
    // A published package whose dependency is an http tarball URL (verdaccio serves codec's tarball).
    await publish(reg, [
      { name: `${S}/image-utils`, version: '1.0.0', dependencies: { [`${S}/codec`]: `${reg.url}${S}/codec/-/codec-2.0.0.tgz` } },
    ]);
    say(`   registry ${reg.url}`);
    say(`   ${S}/fast-native@1.0.0   benign, needs its postinstall build`);
    say(`   ${S}/analytics@1.0.0     postinstall evaluates a base64 payload (a worm-style dropper)`);
    say(`   ${`${TYPOSQUAT}@1.0.0`.padEnd(27)}a look-alike of "express"`);
    say(`   ${S}/image-utils@1.0.0   depends on ${S}/codec through an http tarball URL`);

    await pnpmDemo(reg, pnpm, markers);
    await yarnDemo(reg, yarn, markers);
    await bunDemo(reg, bun, markers);
  } finally {
    await reg.stop();
    cleanup(markers);
  }
  head(`Done in ${((Date.now() - t0) / 1000).toFixed(1)} s${failures ? pc.red(` with ${failures} unexpected result(s)`) : ''}`);
  if (failures) process.exitCode = 1;
}

const policy = (allow: string[] = []) => `${JSON.stringify({ scripts: { allow } }, null, 2)}\n`;
const reset = (markers: string): void => {
  for (const m of ['fast-native', 'analytics', TYPOSQUAT, 'codec']) rmSync(join(markers, m), { force: true });
};

async function pnpmDemo(reg: Registry, pnpm: Tool, markers: string): Promise<void> {
  head('pnpm 12.21.0 with Lifeguard (.pnpmfile.cjs)');
  reset(markers);
  const dir = pnpmProject(reg, { dependencies: { [`${S}/fast-native`]: '1.0.0', [`${S}/analytics`]: '1.0.0' } }, { files: { 'lifeguard.json': policy() } });
  copyFileSync(PNPMFILE, join(dir, '.pnpmfile.cjs'));
  try {
    let r = await run(pnpm, ['install'], { cwd: dir });
    show('pnpm install', r);
    expectThat(r.code === 0, 'install succeeded', 'install failed');
    expectThat(!markerExists(markers, 'analytics'), 'the dropper in @lg-demo/analytics did not run', 'the dropper ran');
    expectThat(!markerExists(markers, 'fast-native'), 'no unapproved build ran (fast-native waits for approval)', 'fast-native ran unapproved');

    const before = hashTree(dir, ['package.json', 'pnpm-lock.yaml', 'node_modules']);
    r = await run(pnpm, ['add', TYPOSQUAT], { cwd: dir });
    show(`pnpm add ${TYPOSQUAT}`, r, 14);
    expectThat(r.code !== 0 && /LIFEGUARD_TYPOSQUAT/.test(r.stderr + r.stdout) && hashTree(dir, ['package.json', 'pnpm-lock.yaml', 'node_modules']) === before, 'refused; package.json, lockfile and node_modules unchanged', 'typosquat not refused cleanly');

    r = await run(pnpm, ['add', `${S}/image-utils`], { cwd: dir });
    show(`pnpm add ${S}/image-utils`, r, 14);
    expectThat(r.code !== 0 && /LIFEGUARD_SOURCE/.test(r.stderr + r.stdout) && hashTree(dir, ['package.json', 'pnpm-lock.yaml', 'node_modules']) === before, 'refused; project unchanged', 'exotic source not refused cleanly');

    say(`\n   The one-line fix: approve the benign build in lifeguard.json:  "allow": ["${S}/fast-native@1.0.0"]`);
    writeFileSync(join(dir, 'lifeguard.json'), policy([`${S}/fast-native@1.0.0`]));
    r = await run(pnpm, ['install'], { cwd: dir });
    show('pnpm install', r, 12);
    expectThat(r.code === 0 && markerExists(markers, 'fast-native'), 'fast-native built', 'fast-native did not build');
    expectThat(!markerExists(markers, 'analytics'), 'analytics still not run', 'analytics ran');

    const check = await run({ cmd: process.execPath, args: [CLI], env: {} }, ['check', '--installed'], { cwd: dir });
    show('lifeguard check --installed   (the same policy in CI, offline)', check, 14);
  } finally {
    cleanup(dir);
  }
}

async function yarnDemo(reg: Registry, yarn: Tool, markers: string): Promise<void> {
  head('Yarn 4.18.1 (node-modules linker) with the Lifeguard plugin');
  reset(markers);
  const dir = tempProject({
    'package.json': JSON.stringify({ name: 'demo', private: true, dependencies: { [`${S}/fast-native`]: '1.0.0', [`${S}/analytics`]: '1.0.0' } }, null, 2),
    'lifeguard.json': policy(),
    // An empty lockfile marks a project of its own (the temp dir sits inside this repo).
    'yarn.lock': '',
    '.yarnrc.yml': yarnrc(reg, 'node-modules', ['plugins:', `  - ${JSON.stringify(YARN_PLUGIN)}`]),
  });
  const env = { YARN_GLOBAL_FOLDER: join(dir, '.yarn-global'), YARN_ENABLE_GLOBAL_CACHE: 'false' };
  const state = ['package.json', 'yarn.lock', 'node_modules'];
  try {
    let r = await run(yarn, ['install'], { cwd: dir, env });
    show('yarn install', r, 20);
    expectThat(r.code === 0, 'install succeeded', 'install failed');
    expectThat(!markerExists(markers, 'analytics') && !markerExists(markers, 'fast-native'), 'no unapproved script ran', 'an unapproved script ran');

    const before = hashTree(dir, state);
    r = await run(yarn, ['add', TYPOSQUAT], { cwd: dir, env });
    show(`yarn add ${TYPOSQUAT}`, r, 10);
    expectThat(r.code !== 0 && /LIFEGUARD_TYPOSQUAT/.test(r.stderr + r.stdout) && hashTree(dir, state) === before, 'refused; project unchanged', 'typosquat not refused cleanly');

    say(`\n   The same one-line fix in lifeguard.json:  "allow": ["${S}/fast-native@1.0.0"]`);
    writeFileSync(join(dir, 'lifeguard.json'), policy([`${S}/fast-native@1.0.0`]));
    r = await run(yarn, ['install'], { cwd: dir, env });
    show('yarn install', r, 12);
    expectThat(r.code === 0 && markerExists(markers, 'fast-native'), 'fast-native built', 'fast-native did not build');
    expectThat(!markerExists(markers, 'analytics'), 'analytics still not run', 'analytics ran');
  } finally {
    cleanup(dir);
  }
}

async function bunDemo(reg: Registry, bun: Tool, markers: string): Promise<void> {
  head('Bun 1.4.5 with the Lifeguard security scanner (wired by `lifeguard init`)');
  reset(markers);
  const dir = bunProject(reg, { dependencies: { [`${S}/fast-native`]: '1.0.0', [`${S}/analytics`]: '1.0.0' } }, { files: { 'lifeguard.json': policy() } });
  const lifeguard = (args: string[]) => run({ cmd: process.execPath, args: [CLI], env: {} }, args, { cwd: dir });
  const state = ['package.json', 'bun.lock', 'node_modules'];
  try {
    show('lifeguard init', await lifeguard(['init']), 12);
    let r = await run(bun, ['install'], { cwd: dir });
    show('bun install', r, 12);
    expectThat(r.code === 0, 'install succeeded', 'install failed');
    expectThat(!markerExists(markers, 'analytics') && !markerExists(markers, 'fast-native'), 'no unapproved script ran (trustedDependencies: [])', 'an unapproved script ran');

    const before = hashTree(dir, state);
    r = await run(bun, ['add', TYPOSQUAT], { cwd: dir });
    show(`bun add ${TYPOSQUAT}`, r, 12);
    expectThat(r.code !== 0 && /LIFEGUARD_TYPOSQUAT/.test(r.stderr + r.stdout) && hashTree(dir, state) === before, 'refused before Bun downloaded anything; project unchanged', 'typosquat not refused cleanly');

    r = await run(bun, ['add', `${S}/image-utils`], { cwd: dir });
    show(`bun add ${S}/image-utils`, r, 12);
    expectThat(r.code !== 0 && /LIFEGUARD_SOURCE/.test(r.stderr + r.stdout) && hashTree(dir, state) === before, 'refused; project unchanged', 'exotic source not refused cleanly');

    say(`\n   The same one-line fix in lifeguard.json, then \`lifeguard export --to bun --write\` (Bun trusts names only)`);
    writeFileSync(join(dir, 'lifeguard.json'), policy([`${S}/fast-native@1.0.0`]));
    show('lifeguard export --to bun --write', await lifeguard(['export', '--to', 'bun', '--write']), 6);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    r = await run(bun, ['install'], { cwd: dir });
    show('bun install', r, 12);
    expectThat(r.code === 0 && markerExists(markers, 'fast-native'), 'fast-native built', 'fast-native did not build');
    expectThat(!markerExists(markers, 'analytics'), 'analytics still not run', 'analytics ran');
  } finally {
    cleanup(dir);
  }
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
