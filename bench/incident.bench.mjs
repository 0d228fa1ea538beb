// `lifeguard incident` at organisation scale: 1,000 checkouts (a third each pnpm, npm, Yarn Berry), each
// with a 1,000-package lockfile, generated once into .tmp/bench-incident/ and reused. Two figures, one run
// each (the CLI bundle as shipped, cold process):
// - typical: the affected name sits in 5% of the checkouts (the text pre-filter skips the rest unparsed);
// - worst case: a name in every lockfile whose range matches nothing, so every lockfile is parsed.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { report, root } from './lib.mjs';

const CHECKOUTS = Number(process.env.LIFEGUARD_BENCH_CHECKOUTS ?? 1000);
const PACKAGES = Number(process.env.LIFEGUARD_BENCH_LOCK_PACKAGES ?? 1000);
const base = join(root, '.tmp', 'bench-incident', `c${CHECKOUTS}-p${PACKAGES}`);
const CLI = join(root, 'packages', 'cli', 'bin', 'lifeguard.cjs');

const name = (i) => (i % 10 === 0 ? `@scope${i % 7}/pkg-${i}` : `pkg-${i}`);
const version = (i) => `${1 + (i % 5)}.${i % 13}.${i % 3}`;
/** Package i depends on 3i+1..3i+3: a connected tree about 7 levels deep, as real trees are. */
const deps = (i) => [3 * i + 1, 3 * i + 2, 3 * i + 3].filter((j) => j < PACKAGES);

function releases(c) {
  const list = Array.from({ length: PACKAGES }, (_, i) => ({ name: name(i), version: version(i), deps: deps(i) }));
  list.push({ name: 'common-lib', version: '1.0.0', deps: [] });
  if (c % 20 === 0) list.push({ name: 'evil-dropper', version: '1.0.0', deps: [] });
  return list;
}

function pnpmLock(c) {
  const rs = releases(c);
  const key = (r) => `'${r.name}@${r.version}'`;
  const lines = ["lockfileVersion: '9.0'", '', 'importers:', '  .:', '    dependencies:'];
  for (const r of [rs[0], ...rs.slice(PACKAGES)]) lines.push(`      '${r.name}':`, `        specifier: ${r.version}`, `        version: ${r.version}`);
  lines.push('', 'packages:', '');
  for (const r of rs) lines.push(`  ${key(r)}:`, `    resolution: {integrity: sha512-${'a'.repeat(86)}==}`, '');
  lines.push('snapshots:', '');
  for (const r of rs) {
    lines.push(`  ${key(r)}:${r.deps.length ? '' : ' {}'}`);
    if (r.deps.length) {
      lines.push('    dependencies:');
      for (const j of r.deps) lines.push(`      '${rs[j].name}': ${rs[j].version}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function npmLock(c) {
  const rs = releases(c);
  const packages = { '': { name: `app-${c}`, version: '1.0.0', dependencies: Object.fromEntries([rs[0], ...rs.slice(PACKAGES)].map((r) => [r.name, r.version])) } };
  for (const r of rs) {
    packages[`node_modules/${r.name}`] = {
      version: r.version,
      resolved: `https://registry.npmjs.org/${r.name}/-/${r.name.split('/').pop()}-${r.version}.tgz`,
      integrity: `sha512-${'a'.repeat(86)}==`,
      ...(r.deps.length ? { dependencies: Object.fromEntries(r.deps.map((j) => [rs[j].name, rs[j].version])) } : {}),
    };
  }
  return JSON.stringify({ name: `app-${c}`, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

function yarnLock(c) {
  const rs = releases(c);
  const lines = ['__metadata:', '  version: 8', '  cacheKey: 10c0', ''];
  lines.push(`"app@workspace:.":`, '  version: 0.0.0-use.local', '  resolution: "app@workspace:."', '  dependencies:');
  for (const r of [rs[0], ...rs.slice(PACKAGES)]) lines.push(`    "${r.name}": "npm:${r.version}"`);
  lines.push('  languageName: unknown', '  linkType: soft', '');
  for (const r of rs) {
    lines.push(`"${r.name}@npm:${r.version}":`, `  version: ${r.version}`, `  resolution: "${r.name}@npm:${r.version}"`);
    if (r.deps.length) {
      lines.push('  dependencies:');
      for (const j of r.deps) lines.push(`    "${rs[j].name}": "npm:${rs[j].version}"`);
    }
    lines.push(`  checksum: 10c0/${'b'.repeat(128)}`, '  languageName: node', '  linkType: hard', '');
  }
  return lines.join('\n');
}

const stamp = join(base, '.complete');
if (!existsSync(stamp)) {
  rmSync(base, { recursive: true, force: true });
  const t = performance.now();
  for (let c = 0; c < CHECKOUTS; c++) {
    const dir = join(base, `team-${c % 10}`, `repo-${c}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app-${c}`, version: '1.0.0' }));
    const kind = c % 3;
    if (kind === 0) writeFileSync(join(dir, 'pnpm-lock.yaml'), pnpmLock(c));
    else if (kind === 1) writeFileSync(join(dir, 'package-lock.json'), npmLock(c));
    else writeFileSync(join(dir, 'yarn.lock'), yarnLock(c));
  }
  writeFileSync(stamp, '');
  console.log(`generated ${CHECKOUTS} checkouts x ${PACKAGES} packages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

function timed(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'incident', ...args, base, '--format', 'jsonl'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`lifeguard incident failed (${r.status}): ${r.stderr}`);
  return { ms, lines: r.stdout.trim() === '' ? 0 : r.stdout.trim().split('\n').length };
}

const typical = timed(['evil-dropper@1.0.0']);
const expected = Math.ceil(CHECKOUTS / 20);
if (typical.lines !== expected) throw new Error(`expected ${expected} affected checkouts, got ${typical.lines}`);
report(`incident, ${CHECKOUTS} checkouts x ${PACKAGES} pkgs, hit in 5%`, typical.ms / 1000, 's', { text: '< 60 s', ok: typical.ms < 60_000 });
const worst = timed(['common-lib@>=2']);
if (worst.lines !== 0) throw new Error(`expected no affected checkout, got ${worst.lines}`);
report(`incident, ${CHECKOUTS} checkouts x ${PACKAGES} pkgs, every lockfile parsed`, worst.ms / 1000, 's', { text: '< 60 s', ok: worst.ms < 60_000 });
