// Shared by the *.bench.mjs files: load TypeScript sources (bundled on the fly by esbuild)
// and time things the same way everywhere.
import { build } from 'esbuild';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lazyNameLists } from '../scripts/lazy-name-lists.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles a workspace TypeScript module with esbuild, as every shipped bundle is built. `base` is
 * the source tree (the worktree, or a baseline checkout from `baselineTree`).
 */
async function bundleTs(relPath, format, base = root, tag = '') {
  const out = await build({
    entryPoints: [join(base, relPath)], bundle: true, write: false, format, platform: 'node',
    target: 'node20', logLevel: 'error', plugins: [lazyNameLists],
    alias: { '@lifeguard/core': join(base, 'packages/core/src/index.ts') },
    ...(format === 'esm' ? { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } } : {}),
  });
  const dir = join(root, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${tag}${relPath.replace(/[\\/]/g, '_')}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  writeFileSync(file, out.outputFiles[0].text);
  return file;
}

/**
 * The CommonJS bundle of `relPath` as git revision `ref` had it (`BENCH_BASELINE=main`), for A/B
 * figures: on a shared machine only the old and the new build measured in the same run, turn
 * about, compare. The revision's core and loader sources are checked out under .tmp; their
 * dependencies are this worktree's.
 */
export async function baselineBundle(ref, relPath) {
  const sha = spawnSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).stdout.trim();
  if (!sha) throw new Error(`BENCH_BASELINE: ${ref} is not a git revision`);
  const base = join(root, '.tmp', 'bench-baseline', sha);
  if (!existsSync(join(base, relPath))) {
    mkdirSync(base, { recursive: true });
    const tar = spawnSync('git', ['archive', sha, 'bench', 'packages/core/src', 'packages/loader/src'], { cwd: root, maxBuffer: 1 << 28 });
    spawnSync('tar', ['-x', '-C', base], { input: tar.stdout });
    for (const pkg of ['core', 'loader']) symlinkSync(join(root, 'packages', pkg, 'node_modules'), join(base, 'packages', pkg, 'node_modules'));
  }
  return bundleTs(relPath, 'cjs', base, `${sha}-`);
}

/** Imports a workspace TypeScript module (e.g. 'packages/core/src/index.ts') as ESM. */
export async function importTs(relPath) {
  return import(pathToFileURL(await bundleTs(relPath, 'esm')).href);
}

/**
 * Path of a workspace module bundled as CommonJS, the format the pnpmfile, the Yarn plugin and
 * the CLI ship in: what cold-start figures should load.
 */
export const cjsBundle = (relPath) => bundleTs(relPath, 'cjs');

/** Milliseconds, best of `runs` after one warm-up. */
export function bestOf(runs, fn) {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Prints one figure: `name  value unit  (target)`, marking a missed target. */
export function report(name, value, unit, target) {
  const v = typeof value === 'number' ? (value >= 100 ? value.toFixed(0) : value.toFixed(2)) : value;
  const mark = target === undefined ? '' : `  target ${target.text} ${target.ok ? 'ok' : 'MISSED'}`;
  console.log(`${name.padEnd(58)} ${String(v).padStart(10)} ${unit}${mark}`);
}

/** Median of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds since a `process.hrtime.bigint()` reading. */
export const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/** Path of a package's bundle, building it first when missing (`pnpm bench` builds anyway). */
export function builtBundle(pkg, file) {
  const bundle = join(root, 'packages', pkg, file);
  if (!existsSync(bundle)) {
    const r = spawnSync(process.execPath, [join(root, 'packages', pkg, 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  return bundle;
}
