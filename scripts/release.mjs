#!/usr/bin/env node
// The release: every package under packages/ at one version (the versions move together), built
// and packed with `pnpm pack` (which rewrites `workspace:` ranges to that version and applies each
// package's publishConfig), each tarball checked for what a registry install needs, into one folder.
//
//   node scripts/release.mjs [--out DIR] [--version X.Y.Z] [--no-build]
//
// --version writes the new version into every package.json first (commit that as the release).
// Publish with `npm publish <tarball>` for each file, in the printed order (dependencies first).
// PNPM=<path to pnpm> picks the pnpm binary (default: pnpm on PATH, else npx pnpm@12.21.0).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tarballProblems } from './release-check.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: { out: { type: 'string', default: join(ROOT, '.tmp/release') }, version: { type: 'string' }, 'no-build': { type: 'boolean' } },
});
const fail = (msg) => {
  process.stderr.write(`release: ${msg}\n`);
  process.exit(1);
};

const dirs = readdirSync(join(ROOT, 'packages')).filter((d) => existsSync(join(ROOT, 'packages', d, 'package.json'))).sort();
const manifests = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(ROOT, 'packages', d, 'package.json'), 'utf8'))]));
if (opts.version !== undefined) {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(opts.version)) fail(`--version ${opts.version} is not a semver version`);
  for (const [d, m] of manifests) {
    m.version = opts.version;
    writeFileSync(join(ROOT, 'packages', d, 'package.json'), `${JSON.stringify(m, null, 2)}\n`);
  }
  // The GitHub Action runs `npx lifeguard@<its version input>`: it moves with the packages.
  const actionFile = join(ROOT, 'action.yml');
  const action = readFileSync(actionFile, 'utf8');
  const moved = action.replace(/(\n  version:\n    description: [^\n]*\n    default: )\S+/, `$1${opts.version}`);
  if (moved === action && !action.includes(`default: ${opts.version}\n`)) fail('action.yml: the version input default was not found');
  writeFileSync(actionFile, moved);
}
const versions = new Set([...manifests.values()].map((m) => m.version));
if (versions.size !== 1) fail(`packages are at different versions (${[...manifests].map(([d, m]) => `${d} ${m.version}`).join(', ')}); use --version to move them together`);
const version = [...versions][0];

const pnpmCmd = () => {
  if (process.env.PNPM) return [process.env.PNPM];
  return spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0 ? ['pnpm'] : ['npx', '-y', 'pnpm@12.21.0'];
};
const [cmd, ...pre] = pnpmCmd();
const pnpm = (args, cwd) => execFileSync(cmd, [...pre, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

if (!opts['no-build']) pnpm(['-r', '--workspace-concurrency=1', 'run', 'build'], ROOT);
const out = resolve(opts.out);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function verify(file, dir) {
  const { manifest, problems } = tarballProblems(file);
  if (problems.length) fail(`${dir}: ${problems.join('; ')}`);
  return manifest;
}

// Dependencies first, so publishing in this order never references a version not yet published.
const order = [];
const visit = (d, seen = new Set()) => {
  if (order.includes(d) || seen.has(d)) return;
  seen.add(d);
  const m = manifests.get(d);
  for (const dep of Object.keys({ ...m.dependencies })) {
    const target = [...manifests].find(([, x]) => x.name === dep)?.[0];
    if (target) visit(target, seen);
  }
  order.push(d);
};
dirs.forEach((d) => visit(d));

const packed = [];
for (const d of order) {
  const before = new Set(readdirSync(out));
  pnpm(['pack', '--pack-destination', out], join(ROOT, 'packages', d));
  const file = readdirSync(out).find((f) => !before.has(f) && f.endsWith('.tgz'));
  if (!file) fail(`pnpm pack in packages/${d} wrote no tarball`);
  const m = verify(join(out, file), `packages/${d}`);
  packed.push(file);
  process.stdout.write(`${m.name}@${m.version}  ${join(out, file)}\n`);
}
writeFileSync(join(out, 'ORDER'), `${packed.join('\n')}\n`);
process.stdout.write(`release ${version}: ${packed.length} tarballs in ${out} (publish in this order; ORDER lists it)\n`);
