// Yarn plugin cost: a no-op `yarn install` (everything already installed, lockfile and cache
// warm) of a 300-package tree published to a local verdaccio, on Yarn 4.18.1 with the PnP
// linker: without the plugin, with it (warm verdict cache), and with it after deleting its
// cache file (every archive manifest read again). Target: with/without <= 1.05x.
// Runs are interleaved (without, with, cold) so the machine's noise is shared; median of 15,
// wall time and CPU time (user + sys, via /usr/bin/time when present).
// Skipped with BENCH_SKIP_INSTALL=1. BENCH_YARN_LINKER=node-modules for the other linker.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { builtBundle, importTs, median, msSince, report, root } from './lib.mjs';

if (process.env.BENCH_SKIP_INSTALL === '1') {
  console.log('(yarn install benchmark skipped: BENCH_SKIP_INSTALL=1)');
  process.exit(0);
}
const PLUGIN = builtBundle('yarn-plugin', 'dist/yarn-plugin-lifeguard.cjs');

const linker = process.env.BENCH_YARN_LINKER ?? 'pnp';

const h = await importTs('test/harness/index.ts');
const y = await importTs('test/yarn/setup.ts');
const reg = await h.startRegistry();
const dirs = [];
try {
  const { fixtures, rootDeps } = h.wideTree('@lg-bench');
  const N = fixtures.length;
  await h.publishFast(reg, fixtures);
  const t = await h.tool('yarn4');
  const ctx = { reg, t, linker, markers: '' };

  const variants = [
    { label: 'without plugin', plugin: false, cold: false },
    { label: 'with Lifeguard (warm verdict cache)', plugin: true, cold: false },
    { label: 'with Lifeguard (cache file deleted)', plugin: true, cold: true },
  ].map((v) => ({ ...v, dir: y.project(ctx, rootDeps, { plugin: v.plugin, policy: v.plugin ? {} : undefined }), times: [], cpu: [] }));
  // CPU time (user + sys) of the Yarn process, less sensitive than wall time to a busy machine.
  const timed = existsSync('/usr/bin/time') ? { ...ctx, t: { ...t, cmd: '/usr/bin/time', args: ['-f', 'LGCPU %U %S', t.cmd, ...t.args] } } : ctx;
  for (const v of variants) {
    dirs.push(v.dir);
    const first = await y.yarn(ctx, v.dir, ['install']);
    if (first.code !== 0) throw new Error(`${v.label}: install failed\n${first.stdout}\n${first.stderr}`);
  }
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 16);
  for (let i = 0; i < ROUNDS; i++) {
    for (const v of variants) {
      if (v.cold) rmSync(join(v.dir, '.yarn', 'lifeguard-cache.json'), { force: true });
      const t0 = process.hrtime.bigint();
      const r = await y.yarn(timed, v.dir, ['install']);
      const took = msSince(t0);
      if (r.code !== 0) throw new Error(`${v.label}: no-op install failed\n${r.stdout}\n${r.stderr}`);
      if (i > 0) {
        // the first round warms the OS cache
        v.times.push(took);
        const cpu = /LGCPU (\S+) (\S+)/.exec(r.stderr);
        if (cpu) v.cpu.push((Number(cpu[1]) + Number(cpu[2])) * 1000);
      }
    }
  }
  const n = ROUNDS - 1;
  for (const v of variants) report(`no-op yarn install, ${N} pkgs, ${linker}, ${v.label}, wall (median of ${n})`, median(v.times), 'ms');
  for (const v of variants) if (v.cpu.length) report(`no-op yarn install, ${N} pkgs, ${linker}, ${v.label}, CPU (median of ${n})`, median(v.cpu), 'ms');
  const ratio = median(variants[1].times) / median(variants[0].times);
  report('with / without, wall (warm verdict cache)', ratio, 'x', { text: '<= 1.05x', ok: ratio <= 1.05 });
  report('with / without, wall (cache file deleted)', median(variants[2].times) / median(variants[0].times), 'x');
  if (variants[0].cpu.length) {
    const cpuRatio = median(variants[1].cpu) / median(variants[0].cpu);
    report('with / without, CPU (warm verdict cache)', cpuRatio, 'x', { text: '<= 1.05x', ok: cpuRatio <= 1.05 });
    report('with / without, CPU (cache file deleted)', median(variants[2].cpu) / median(variants[0].cpu), 'x');
  }
} finally {
  await reg.stop();
  if (process.env.BENCH_KEEP === '1') console.log(`kept: ${dirs.join(' ')}`);
  else for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
