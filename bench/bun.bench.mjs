// Bun scanner cost: a 300-package tree published to a local verdaccio, Bun 1.4.5, warm Bun cache.
// Two installs people run all day: an up-to-date `bun install`, and `bun install --frozen-lockfile`
// into an empty node_modules (a CI job with a cache). Without the scanner, and with Lifeguard's
// (bunfig.toml [install.security] scanner = the files `lifeguard init` copies; an up-to-date install
// of a package set found clean before does not load its engine). Rounds are
// interleaved so the machine's noise is shared; medians. Skipped with BENCH_SKIP_INSTALL=1.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { builtBundle, importTs, median, msSince, report } from './lib.mjs';

if (process.env.BENCH_SKIP_INSTALL === '1') {
  console.log('(bun install benchmark skipped: BENCH_SKIP_INSTALL=1)');
  process.exit(0);
}
const SCANNER = builtBundle('bun-scanner', 'dist/lifeguard-bun-scanner.js');
const ENGINE = 'lifeguard-bun-scanner-engine.js';
const h = await importTs('test/harness/index.ts');
const reg = await h.startRegistry();
const dirs = [];
try {
  const { fixtures, rootDeps } = h.wideTree('@lg-bench');
  const N = fixtures.length;
  await h.publishFast(reg, fixtures);
  const bun = await h.tool('bun');
  const variants = [
    { label: 'without scanner', scanner: undefined },
    // Bun's own cost of any scanner: a module that returns no advisories.
    { label: 'with a trivial scanner', scanner: 'export const scanner = { version: "1", async scan() { return []; } };\n' },
    { label: 'with the Lifeguard scanner', scanner: SCANNER },
  ].map((v) => {
    const dir = h.bunProject(reg, { dependencies: rootDeps }, v.scanner ? { bunfig: '[install.security]\nscanner = "./.lifeguard/bun-scanner.js"' } : {});
    if (v.scanner) {
      mkdirSync(join(dir, '.lifeguard'));
      if (v.scanner === SCANNER) {
        copyFileSync(SCANNER, join(dir, '.lifeguard/bun-scanner.js'));
        copyFileSync(join(dirname(SCANNER), ENGINE), join(dir, '.lifeguard', ENGINE));
      } else writeFileSync(join(dir, '.lifeguard/bun-scanner.js'), v.scanner);
      writeFileSync(join(dir, 'lifeguard.json'), '{}\n');
    }
    dirs.push(dir);
    return { ...v, dir, upToDate: [], frozen: [], cpu: [] };
  });
  // CPU time (user + sys of Bun and the scanner process it waits for): less sensitive than wall time to a busy machine.
  const timed = existsSync('/usr/bin/time') ? { ...bun, cmd: '/usr/bin/time', args: ['-f', 'LGCPU %U %S', bun.cmd, ...bun.args] } : bun;
  const install = async (v, args, cpu) => {
    const t0 = process.hrtime.bigint();
    const r = await h.run(cpu ? timed : bun, args, { cwd: v.dir });
    if (r.code !== 0) throw new Error(`${v.label}: bun ${args.join(' ')} failed\n${r.stdout}\n${r.stderr}`);
    const m = /LGCPU (\S+) (\S+)/.exec(r.stderr);
    if (cpu && m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
    return msSince(t0);
  };
  for (const v of variants) await install(v, ['install']);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
  // Up-to-date installs first (node_modules kept, as in a developer's loop), then frozen ones.
  for (let i = 0; i < ROUNDS; i++) for (const v of variants) {
    const up = await install(v, ['install'], i > 0 ? v.cpu : undefined);
    if (i > 0) v.upToDate.push(up);
  }
  for (let i = 0; i < ROUNDS; i++) for (const v of variants) {
    rmSync(join(v.dir, 'node_modules'), { recursive: true, force: true });
    const frozen = await install(v, ['install', '--frozen-lockfile']);
    if (i > 0) v.frozen.push(frozen);
  }
  const n = ROUNDS - 1;
  for (const v of variants) report(`up-to-date bun install, ${N} pkgs, ${v.label} (median of ${n})`, median(v.upToDate), 'ms');
  for (const v of variants) report(`bun install --frozen-lockfile into empty node_modules, ${N} pkgs, ${v.label} (median of ${n})`, median(v.frozen), 'ms');
  for (const v of variants) if (v.cpu.length) report(`up-to-date bun install, ${N} pkgs, ${v.label}, CPU (median of ${n})`, median(v.cpu), 'ms');
  const [none, trivial, ours] = variants;
  report('Lifeguard scanner - trivial scanner, up-to-date', median(ours.upToDate) - median(trivial.upToDate), 'ms');
  report('Lifeguard scanner - trivial scanner, frozen', median(ours.frozen) - median(trivial.frozen), 'ms');
  report('with Lifeguard / without scanner, up-to-date', median(ours.upToDate) / median(none.upToDate), 'x');
  report('with Lifeguard / without scanner, frozen', median(ours.frozen) / median(none.frozen), 'x');
} finally {
  await reg.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
