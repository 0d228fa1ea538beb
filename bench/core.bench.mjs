// Issue 2 figures: verdicts/s with the default policy, policy + indexes ready time, and
// `lifeguard check` wall time on a generated 3,000-package lockfile.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cjsBundle, importTs, report, root } from './lib.mjs';

const core = await importTs('bench/entry.ts');
const dir = join(root, '.tmp', 'bench-core');
mkdirSync(dir, { recursive: true });

// A 10,000-name advisory feed laid out like ossf/malicious-packages (one OSV file per record,
// osv/malicious/npm/<name>/MAL-….json); the loader caches its compiled index beside it.
const feedDir = join(dir, 'osv', 'malicious', 'npm');
if (!existsSync(join(feedDir, 'bench-mal-9999'))) {
  for (let i = 0; i < 10_000; i++) {
    const name = `bench-mal-${i}`;
    mkdirSync(join(feedDir, name), { recursive: true });
    writeFileSync(join(feedDir, name, `MAL-2025-${100000 + i}.json`), JSON.stringify({
      schema_version: '1.5.0',
      id: `MAL-2025-${100000 + i}`,
      summary: `Malicious code in ${name} (npm)`,
      affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
    }));
  }
}
writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ advisories: { feeds: ['./osv/malicious/npm'] } }));
for (const f of core.feedCacheFiles(feedDir)) rmSync(f, { force: true });
let t = performance.now();
core.loadPolicyFile(join(dir, 'lifeguard.json'));
report('first policy load with the 10,000-record feed folder (builds the cached index)', performance.now() - t, 'ms');

// 1. Cold start: a fresh process loads core + loader bundled as the adapters ship them (CommonJS),
// the policy, the feed and the popular-name index, and judges a near miss.
const probe = join(dir, 'ready.cjs');
writeFileSync(
  probe,
  `const t0 = performance.now();
const core = require(${JSON.stringify(await cjsBundle('bench/entry.ts'))});
const policy = core.loadPolicyFile(${JSON.stringify(join(dir, 'lifeguard.json'))});
core.evaluate(policy, { name: 'exprress', version: '1.0.0' });
process.stdout.write(String(performance.now() - t0));`,
);
const readies = [];
for (let i = 0; i < 7; i++) readies.push(Number(spawnSync(process.execPath, [probe], { encoding: 'utf8' }).stdout));
readies.sort((a, b) => a - b);
const ready = readies[3];
report('policy + popular index + 10,000-name advisory index ready (cached feed, median of 7, cold process)', ready, 'ms', { text: '<= 50 ms', ok: ready <= 50 });

// 2. Verdicts per second, default policy + the 10k feed, on realistic names.
const policy = core.loadPolicyFile(join(dir, 'lifeguard.json'));
const popular = readFileSync(join(root, '../shared/data/popular_names.npm-high-impact-1.13.0.jsonl'), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l).name);
const facts = [];
for (let i = 0; i < 20_000; i++) {
  const name = i % 10 === 9 ? `${popular[i % popular.length]}-x${i}` : popular[(i * 7919) % popular.length];
  facts.push({
    name,
    version: `${i % 5}.${i % 13}.${i % 7}`,
    dependencies: { a: '^1.0.0', b: '~2.3.0' },
    ...(i % 20 === 0 ? { scripts: { postinstall: 'node install.js' } } : { scripts: {} }),
  });
}
for (const f of facts) core.evaluate(policy, f); // warm-up (JIT, lazy index build)
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < 2000) for (const f of facts) { core.evaluate(policy, f); n++; }
const perSec = n / ((performance.now() - t0) / 1000);
report('verdicts per second (default policy, typosquat + 10k advisories)', perSec, '/s', { text: '>= 200,000/s', ok: perSec >= 200_000 });

// 3. `lifeguard check` on a generated 3,000-package pnpm lockfile, start-up included.
const names = popular.slice(0, 3000);
let lock = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n";
for (const name of names.slice(0, 50)) lock += `      '${name}':\n        specifier: ^1.0.0\n        version: 1.0.0\n`;
lock += '\npackages:\n';
for (const name of names) lock += `  '${name}@1.0.0':\n    resolution: {integrity: sha512-${Buffer.from(name).toString('base64')}}\n`;
lock += '\nsnapshots:\n';
names.forEach((name, i) => {
  const kids = [names[(i * 3 + 1) % names.length], names[(i * 5 + 2) % names.length]];
  lock += `  '${name}@1.0.0':\n    dependencies:\n${kids.map((k) => `      '${k}': 1.0.0\n`).join('')}`;
});
const proj = join(dir, 'lock3000');
mkdirSync(proj, { recursive: true });
writeFileSync(join(proj, 'pnpm-lock.yaml'), lock);
const cli = join(root, 'packages/cli/bin/lifeguard.cjs');
const walls = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd: proj, encoding: 'utf8', env: { ...process.env, LIFEGUARD_POLICY: '' } });
  walls.push(performance.now() - t);
  if (r.status !== 0 && r.status !== 1) throw new Error(`lifeguard check failed: ${r.stderr}`);
  if (i === 0 && JSON.parse(r.stdout).summary.packages !== 3000) throw new Error('expected 3,000 packages checked');
}
walls.sort((a, b) => a - b);
report('lifeguard check, 3,000-package pnpm-lock.yaml (median of 5, wall)', walls[2], 'ms', { text: '<= 1000 ms', ok: walls[2] <= 1000 });
