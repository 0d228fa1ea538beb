// Yarn plugin cost: a no-op `yarn install` (everything already installed, lockfile and archive
// cache warm) of a 300-package tree published to a local verdaccio, on Yarn 4.18.1: without the
// plugin, with it (warm: the no-op install is answered from the remembered clean install, the
// engine is not compiled), and with it cold (its verdict cache and the remembered install, both in
// Yarn's global folder, <globalFolder>/lifeguard/, deleted: the engine compiles, reads every archive's
// manifest and judges every package again), and with its verdicts invalidated (lifeguard.json's bytes
// changed every round: the engine compiles and judges every package again from the archive facts it
// keeps per checksum, no archive is read). Targets (issue 13): warm / without <= 1.03x, each
// cold variant / without <= 1.10x.
// Rounds are interleaved (every variant once per round) so the machine's noise is shared; the
// first round only warms the OS cache. Each ratio is the median of the per-round ratios, with the
// spread of those ratios (25th-75th percentile); wall time and CPU time (user + sys, via
// /usr/bin/time when present). BENCH_ROUNDS (default 15, at least 15 for the targets to count),
// BENCH_YARN_LINKER=node-modules for the other linker (default pnp), BENCH_SKIP_INSTALL=1 skips.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtBundle, importTs, median, msSince, report } from './lib.mjs';

if (process.env.BENCH_SKIP_INSTALL === '1') {
  console.log('(yarn install benchmark skipped: BENCH_SKIP_INSTALL=1)');
  process.exit(0);
}
builtBundle('yarn-plugin', 'dist/yarn-plugin-lifeguard.cjs');

const linker = process.env.BENCH_YARN_LINKER ?? 'pnp';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const TARGETS = { warm: 1.03, verdicts: 1.1, cold: 1.1 };

/** The p-th percentile (0..1) of a list, nearest rank. */
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
};
const spread = (xs, digits) => `${percentile(xs, 0.25).toFixed(digits)}-${percentile(xs, 0.75).toFixed(digits)}`;

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
    { id: 'none', label: 'without plugin', plugin: false, cold: false },
    { id: 'warm', label: 'with Lifeguard (warm)', plugin: true, cold: false },
    { id: 'verdicts', label: 'with Lifeguard (verdicts invalidated: policy edited)', plugin: true, edit: true },
    { id: 'cold', label: 'with Lifeguard (cold: caches deleted)', plugin: true, cold: true },
  ].map((v) => ({ ...v, dir: y.project(ctx, rootDeps, { plugin: v.plugin, policy: v.plugin ? {} : undefined }), wall: [], cpu: [] }));
  // CPU time (user + sys) of the Yarn process, less sensitive than wall time to a busy machine.
  const timed = existsSync('/usr/bin/time') ? { ...ctx, t: { ...t, cmd: '/usr/bin/time', args: ['-f', 'LGCPU %U %S', t.cmd, ...t.args] } } : ctx;
  for (const v of variants) {
    dirs.push(v.dir);
    const first = await y.yarn(ctx, v.dir, ['install']);
    if (first.code !== 0) throw new Error(`${v.label}: install failed\n${first.stdout}\n${first.stderr}`);
  }
  for (let i = 0; i <= ROUNDS; i++) {
    for (const v of variants) {
      if (v.edit) writeFileSync(join(v.dir, 'lifeguard.json'), i % 2 ? '{}\n' : '{ }\n');
      if (v.cold) rmSync(join(v.dir, '.yarn-global', 'lifeguard'), { recursive: true, force: true });
      const t0 = process.hrtime.bigint();
      const r = await y.yarn(timed, v.dir, ['install']);
      const took = msSince(t0);
      if (r.code !== 0) throw new Error(`${v.label}: no-op install failed\n${r.stdout}\n${r.stderr}`);
      if (i === 0) continue; // warms the OS cache
      v.wall.push(took);
      const cpu = /LGCPU (\S+) (\S+)/.exec(r.stderr);
      if (cpu) v.cpu.push((Number(cpu[1]) + Number(cpu[2])) * 1000);
    }
  }
  const [none, ...withPlugin] = variants;
  const tag = `no-op yarn install, ${N} pkgs, ${linker}`;
  for (const kind of ['wall', 'cpu']) {
    if (none[kind].length === 0) continue;
    for (const v of variants) report(`${tag}, ${v.label}, ${kind} (median of ${ROUNDS}, p25-p75 ${spread(v[kind], 0)})`, median(v[kind]), 'ms');
  }
  const enough = ROUNDS >= 15;
  for (const kind of ['wall', 'cpu']) {
    if (none[kind].length === 0) continue;
    for (const v of withPlugin) {
      const ratios = v[kind].map((x, i) => x / none[kind][i]);
      const r = median(ratios);
      const goal = TARGETS[v.id];
      const target = kind === 'wall' ? { text: `<= ${goal.toFixed(2)}x${enough ? '' : ' (needs >= 15 rounds)'}`, ok: enough && r <= goal } : undefined;
      report(`${v.id} / without, ${kind} (p25-p75 ${spread(ratios, 3)})`, r, 'x', target);
    }
  }
} finally {
  await reg.stop();
  if (process.env.BENCH_KEEP === '1') console.log(`kept: ${dirs.join(' ')}`);
  else for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
