// pnpm adapter cost.
// 1. Time to `require` packages/pnpm-hook/dist/pnpmfile.cjs in a fresh node, over bare `node -e 0`
//    (pnpm 12 starts a node worker and loads the pnpmfile on every install). Target <= 20 ms.
// 2. First-hook cost in process: updateConfig + readPackage of one package (policy load,
//    typosquat index build).
// 3. Frozen install (`--frozen-lockfile --offline`, warm store, node_modules removed) of a
//    300-package tree published to a local verdaccio: pnpm 12 with Lifeguard / a trivial pnpmfile
//    / none, and pnpm 10 with Lifeguard / none. Skipped with BENCH_SKIP_INSTALL=1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtBundle, importTs, median, msSince, report, root } from './lib.mjs';

const PNPMFILE = builtBundle('pnpm-hook', 'dist/pnpmfile.cjs');

function spawnTime(args) {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return msSince(t);
}

// 1. require time, interleaved to share the machine's noise.
const bare = [];
const hook = [];
spawnTime(['-e', '0']);
spawnTime(['-e', `require(${JSON.stringify(PNPMFILE)})`]);
for (let i = 0; i < 40; i++) {
  bare.push(spawnTime(['-e', '0']));
  hook.push(spawnTime(['-e', `require(${JSON.stringify(PNPMFILE)})`]));
}
const over = median(hook) - median(bare);
report('node -e 0 (median of 40)', median(bare), 'ms');
report('node -e require(dist/pnpmfile.cjs) (median of 40)', median(hook), 'ms');
report('require overhead (median difference)', over, 'ms', { text: '<= 20 ms', ok: over <= 20 });
report('require overhead (best-case difference)', Math.min(...hook) - Math.min(...bare), 'ms');

// 2. first hook calls in a fresh process (no lifeguard.json: default policy).
{
  const dir = mkdtempSync(join(root, '.tmp', 'bench-pnpm-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"bench","version":"1.0.0"}');
  const code = `
    const t0 = performance.now();
    const { hooks } = require(${JSON.stringify(PNPMFILE)});
    const t1 = performance.now();
    hooks.updateConfig({ userAgent: 'pnpm/12.21.0', lockfileDir: ${JSON.stringify(dir)} });
    const t2 = performance.now();
    hooks.readPackage({ name: 'left-pad', version: '1.3.0', dist: {} });
    const t3 = performance.now();
    for (let i = 0; i < 1000; i++) hooks.readPackage({ name: 'pkg-' + i, version: '1.0.' + i, dist: {}, dependencies: { a: '^1.0.0' } });
    const t4 = performance.now();
    process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, (t4 - t3) / 1000]));`;
  const runs = Array.from({ length: 5 }, () => JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString()));
  const best = (i) => Math.min(...runs.map((r) => r[i]));
  report('in-process require', best(0), 'ms');
  report('first updateConfig (policy load, lockfile read)', best(1), 'ms');
  report('first readPackage (typosquat index build)', best(2), 'ms');
  report('readPackage, steady state, per package', best(3) * 1000, 'us');
  rmSync(dir, { recursive: true, force: true });
}

// 3. installs of a 300-package tree, variants interleaved round by round (the machine's load
// drifts): a frozen install into an empty node_modules (CI, fresh checkout) and an up-to-date
// `pnpm install` (the one developers run all day; Lifeguard checks the lockfile there).
if (process.env.BENCH_SKIP_INSTALL === '1') {
  console.log('(install benchmark skipped: BENCH_SKIP_INSTALL=1)');
  process.exit(0);
}
const h = await importTs('test/harness/index.ts');
const reg = await h.startRegistry();
try {
  const { fixtures, rootDeps } = h.wideTree('@lg-bench');
  const N = fixtures.length;
  await h.publishFast(reg, fixtures);
  const storeDir = join(root, '.tmp', 'bench-pnpm-store');
  const ROUNDS = 7;
  for (const [toolName, pnpmfiles] of [['pnpm12', ['lifeguard', 'trivial', 'none']], ['pnpm10', ['lifeguard', 'none']]]) {
    const t = await h.tool(toolName);
    const variants = [];
    for (const pnpmfile of pnpmfiles) {
      const dir = h.pnpmProject(reg, { dependencies: rootDeps }, { storeDir });
      if (pnpmfile === 'lifeguard') copyFileSync(PNPMFILE, join(dir, '.pnpmfile.cjs'));
      if (pnpmfile === 'trivial') writeFileSync(join(dir, '.pnpmfile.cjs'), 'module.exports = { hooks: { readPackage: (p) => p } };\n');
      const first = await h.run(t, ['install'], { cwd: dir });
      if (first.code !== 0) throw new Error(`${toolName} ${pnpmfile}: install failed\n${first.stdout}\n${first.stderr}`);
      variants.push({ pnpmfile, dir, frozen: [], noop: [] });
    }
    for (let round = 0; round <= ROUNDS; round++) {
      for (const v of variants) {
        rmSync(join(v.dir, 'node_modules'), { recursive: true, force: true });
        let t0 = process.hrtime.bigint();
        let r = await h.run(t, ['install', '--frozen-lockfile', '--offline'], { cwd: v.dir });
        if (r.code !== 0) throw new Error(`${toolName} ${v.pnpmfile}: frozen install failed\n${r.stdout}\n${r.stderr}`);
        if (round > 0) v.frozen.push(msSince(t0)); // round 0 warms the OS cache
        t0 = process.hrtime.bigint();
        r = await h.run(t, ['install', '--offline'], { cwd: v.dir });
        if (r.code !== 0) throw new Error(`${toolName} ${v.pnpmfile}: up-to-date install failed\n${r.stdout}\n${r.stderr}`);
        if (round > 0) v.noop.push(msSince(t0));
      }
    }
    for (const v of variants) {
      report(`${toolName}, ${N} pkgs, pnpmfile ${v.pnpmfile}: frozen install, median of ${ROUNDS}`, median(v.frozen), 'ms');
      report(`${toolName}, ${N} pkgs, pnpmfile ${v.pnpmfile}: up-to-date install, median of ${ROUNDS}`, median(v.noop), 'ms');
    }
  }
} finally {
  await reg.stop();
}
