// pnpm adapter cost (issue 13 targets printed ok/MISSED). Every figure comes from interleaved
// rounds (BENCH_ROUNDS, default 15) and is printed as median and interquartile range; ratios are
// medians of the per-round ratios, so both sides of a ratio share each round's machine load.
// 1. `require` of the pnpmfile in a fresh node, over bare `node -e 0` (pnpm 12 loads it in a fresh
//    worker on every command): the entry alone; the entry answering updateConfig from a remembered
//    answer (cache warm); a miss that compiles the engine with its V8 code cache, and without it
//    (cache cold).
//    And readPackage's steady-state cost per package once the engine is loaded.
// 2. Installs of a 300-package tree from a local verdaccio, warm store: a frozen `--offline` install
//    into an empty node_modules (CI, fresh checkout) and an up-to-date `pnpm install --offline`
//    (what developers run all day). pnpm 12 with Lifeguard / a trivial pnpmfile / none, pnpm 10 with
//    Lifeguard / none. Lifeguard's own time inside pnpm's hook workers comes from LIFEGUARD_TRACE.
//    Skipped with BENCH_SKIP_INSTALL=1.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtBundle, importTs, msSince, report, root } from './lib.mjs';

const PNPMFILE = builtBundle('pnpm-hook', 'dist/pnpmfile.cjs');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 15));
const tmp = mkdtempSync(join(root, '.tmp', 'bench-pnpm-'));

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
};
const median = (xs) => quantile(xs, 0.5);
const spread = (xs, digits = 1) => `IQR ${quantile(xs, 0.25).toFixed(digits)}–${quantile(xs, 0.75).toFixed(digits)}`;
/** One figure: median, with its IQR after the unit. */
function figure(name, xs, unit, target, digits = 1) {
  report(name, median(xs), `${unit} (${spread(xs, digits)}, n=${xs.length})`, target);
}

// ---------------------------------------------------------------- 1. require
{
  const project = join(tmp, 'require-project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"bench","version":"1.0.0"}');
  writeFileSync(join(project, 'lifeguard.json'), '{}\n');
  writeFileSync(join(project, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  const warm = join(tmp, 'cache-warm');
  const config = JSON.stringify({ userAgent: 'pnpm/12.21.0 npm/? node/v20.20.2 linux x64', lockfileDir: project });
  const hook = `require(${JSON.stringify(PNPMFILE)}).hooks.updateConfig(${config})`;
  const node = (args, env = {}) => {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore', cwd: project, env: { ...process.env, ...env } });
    return msSince(t);
  };
  // The warm cache: one miss leaves the remembered answer and the code cache.
  node(['-e', hook], { LIFEGUARD_CACHE_DIR: warm });
  const codeOnly = join(tmp, 'cache-code-only');
  cpSync(join(warm, 'pnpm-engine'), join(codeOnly, 'pnpm-engine'), { recursive: true });
  const variants = {
    bare: () => node(['-e', '0']),
    require: () => node(['-e', `require(${JSON.stringify(PNPMFILE)})`]),
    hit: () => node(['-e', hook], { LIFEGUARD_CACHE_DIR: warm }),
    // A miss with the code cache: a cache folder that holds the code cache and no remembered answer.
    miss: () => {
      const ms = node(['-e', hook], { LIFEGUARD_CACHE_DIR: codeOnly });
      rmSync(join(codeOnly, 'pnpm-answers'), { recursive: true, force: true });
      rmSync(join(codeOnly, 'pnpm-checked'), { recursive: true, force: true });
      return ms;
    },
    cold: () => {
      const cold = join(tmp, `cache-cold-${Math.random().toString(36).slice(2)}`);
      const ms = node(['-e', hook], { LIFEGUARD_CACHE_DIR: cold });
      rmSync(cold, { recursive: true, force: true });
      return ms;
    },
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const fn of Object.values(variants)) fn();
  for (let i = 0; i < Math.max(ROUNDS, 25); i++) for (const [k, fn] of Object.entries(variants)) times[k].push(fn());
  const over = (k) => times[k].map((t, i) => t - times.bare[i]);
  figure('node -e 0', times.bare, 'ms');
  figure('require(pnpmfile) over node -e 0', over('require'), 'ms', { text: '<= 3 ms', ok: median(over('require')) <= 3 });
  figure('require + updateConfig remembered (cache warm), over node -e 0', over('hit'), 'ms');
  figure('require + updateConfig judged, engine from code cache', over('miss'), 'ms');
  figure('require + updateConfig judged, cache cold (no code cache)', over('cold'), 'ms');
}

// readPackage per package once the engine is loaded (best of 5 fresh processes, 1,000 packages each).
{
  const dir = join(tmp, 'readpackage-project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"bench","version":"1.0.0"}');
  writeFileSync(join(dir, 'lifeguard.json'), '{}\n');
  const code = `
    const { hooks } = require(${JSON.stringify(PNPMFILE)});
    hooks.updateConfig({ userAgent: 'pnpm/12.21.0', lockfileDir: ${JSON.stringify(dir)} });
    hooks.readPackage({ name: 'left-pad', version: '1.3.0', dist: {} });
    const t = performance.now();
    for (let i = 0; i < 1000; i++) hooks.readPackage({ name: 'pkg-' + i, version: '1.0.' + i, dist: {}, dependencies: { a: '^1.0.0' } });
    process.stdout.write(String((performance.now() - t) / 1000));`;
  const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', code], { cwd: dir, env: { ...process.env, LIFEGUARD_CACHE_DIR: join(tmp, 'cache-readpackage') }, stdio: ['ignore', 'pipe', 'ignore'] }).toString()));
  report('readPackage, steady state, per package (best of 5)', Math.min(...runs) * 1000, 'us');
}

// ---------------------------------------------------------------- 2. installs
if (process.env.BENCH_SKIP_INSTALL === '1') {
  console.log('(install benchmark skipped: BENCH_SKIP_INSTALL=1)');
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}

/** Lifeguard's in-worker timings of one install: ms per hook (summed per install), from LIFEGUARD_TRACE. */
function traced(file) {
  const sums = {};
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return sums;
  }
  for (const line of text.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    const key = `${e.hook} ${e.answer}`;
    sums[key] = (sums[key] ?? 0) + e.ms;
  }
  rmSync(file, { force: true });
  return sums;
}

const h = await importTs('test/harness/index.ts');
const reg = await h.startRegistry();
try {
  const { fixtures, rootDeps } = h.wideTree('@lg-bench');
  const N = fixtures.length;
  await h.publishFast(reg, fixtures);
  const storeDir = join(root, '.tmp', 'bench-pnpm-store');
  const cacheDir = join(tmp, 'lifeguard-cache');
  for (const [toolName, pnpmfiles, baseline] of [['pnpm12', ['lifeguard', 'trivial', 'none'], 'trivial'], ['pnpm10', ['lifeguard', 'none'], 'none']]) {
    const t = await h.tool(toolName);
    const variants = [];
    for (const pnpmfile of pnpmfiles) {
      const dir = h.pnpmProject(reg, { dependencies: rootDeps }, { storeDir, files: pnpmfile === 'lifeguard' ? { 'lifeguard.json': '{}\n' } : {} });
      if (pnpmfile === 'lifeguard') copyFileSync(PNPMFILE, join(dir, '.pnpmfile.cjs'));
      if (pnpmfile === 'trivial') writeFileSync(join(dir, '.pnpmfile.cjs'), 'module.exports = { hooks: { readPackage: (p) => p } };\n');
      const first = await h.run(t, ['install'], { cwd: dir, env: { LIFEGUARD_CACHE_DIR: cacheDir } });
      if (first.code !== 0) throw new Error(`${toolName} ${pnpmfile}: install failed\n${first.stdout}\n${first.stderr}`);
      variants.push({ pnpmfile, dir, frozen: [], noop: [], inWorker: { frozen: [], noop: [] } });
    }
    const trace = join(tmp, 'trace.jsonl');
    const env = { LIFEGUARD_CACHE_DIR: cacheDir, LIFEGUARD_TRACE: trace };
    for (let round = 0; round <= ROUNDS; round++) {
      for (const v of variants) {
        rmSync(join(v.dir, 'node_modules'), { recursive: true, force: true });
        let t0 = process.hrtime.bigint();
        let r = await h.run(t, ['install', '--frozen-lockfile', '--offline'], { cwd: v.dir, env });
        if (r.code !== 0) throw new Error(`${toolName} ${v.pnpmfile}: frozen install failed\n${r.stdout}\n${r.stderr}`);
        const frozenMs = msSince(t0);
        const frozenHooks = traced(trace);
        t0 = process.hrtime.bigint();
        r = await h.run(t, ['install', '--offline'], { cwd: v.dir, env });
        if (r.code !== 0) throw new Error(`${toolName} ${v.pnpmfile}: up-to-date install failed\n${r.stdout}\n${r.stderr}`);
        const noopMs = msSince(t0);
        const noopHooks = traced(trace);
        if (round === 0) continue; // warms the OS cache and Lifeguard's remembered answers
        v.frozen.push(frozenMs);
        v.noop.push(noopMs);
        v.inWorker.frozen.push(frozenHooks);
        v.inWorker.noop.push(noopHooks);
      }
    }
    const base = variants.find((v) => v.pnpmfile === baseline);
    for (const v of variants) {
      figure(`${toolName}, ${N} pkgs, pnpmfile ${v.pnpmfile}: frozen install`, v.frozen, 'ms', undefined, 0);
      figure(`${toolName}, ${N} pkgs, pnpmfile ${v.pnpmfile}: up-to-date install`, v.noop, 'ms', undefined, 0);
    }
    const lg = variants.find((v) => v.pnpmfile === 'lifeguard');
    const ratio = (kind) => lg[kind].map((x, i) => x / base[kind][i]);
    const diff = (kind) => lg[kind].map((x, i) => x - base[kind][i]);
    const frozenTarget = toolName === 'pnpm12' ? 1.05 : 1.03;
    figure(`${toolName}: frozen, Lifeguard / ${baseline}`, ratio('frozen'), '×', { text: `<= ${frozenTarget}×`, ok: median(ratio('frozen')) <= frozenTarget }, 3);
    if (toolName === 'pnpm12') {
      figure(`${toolName}: up-to-date, Lifeguard − ${baseline}`, diff('noop'), 'ms', { text: '<= +5 ms', ok: median(diff('noop')) <= 5 });
      figure(`${toolName}: up-to-date, Lifeguard / ${baseline}`, ratio('noop'), '×', undefined, 3);
    } else {
      figure(`${toolName}: up-to-date, Lifeguard / ${baseline}`, ratio('noop'), '×', { text: '<= 1.03×', ok: median(ratio('noop')) <= 1.03 }, 3);
    }
    // In-worker timings: what Lifeguard's hooks themselves took, per install (median over rounds).
    for (const kind of ['frozen', 'noop']) {
      const rounds = lg.inWorker[kind];
      const keys = [...new Set(rounds.flatMap((x) => Object.keys(x)))].sort();
      const parts = keys.map((k) => {
        const xs = rounds.map((x) => x[k] ?? 0);
        return `${k} ${median(xs).toFixed(1)}${xs.filter((x) => x > 0).length < xs.length ? ` (in ${xs.filter((x) => x > 0).length}/${xs.length})` : ''}`;
      });
      report(`${toolName}: Lifeguard in the hook workers, ${kind === 'frozen' ? 'frozen' : 'up-to-date'} (ms, median)`, parts.join('; ') || '(no hook ran)', '');
    }
  }
} finally {
  await reg.stop();
  rmSync(tmp, { recursive: true, force: true });
}
