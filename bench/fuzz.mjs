// 1,000,000 fuzz cases over test/fuzz/properties.ts (not in CI: test/fuzz/fuzz.test.ts runs a few
// thousand). `node bench/fuzz.mjs [total] [name filter]`; prints each property's runs, time and any counterexample.
import { importTs } from './lib.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const fc = (await import('fast-check')).default;
const only = process.argv[3];
const properties = (await importTs('test/fuzz/properties.ts')).properties.filter((p) => !only || p.name.includes(only));
let failed = 0;
const start = performance.now();
for (const p of properties) {
  const numRuns = Math.round(total * p.share);
  const t0 = performance.now();
  const r = fc.check(p.property, { numRuns });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.failed) failed++;
  console.log(`${r.failed ? 'FAIL' : 'ok  '} ${String(r.numRuns).padStart(8)} runs ${s.padStart(7)} s  ${p.name}`);
  if (r.failed) console.log(`     seed ${r.seed}, counterexample ${JSON.stringify(r.counterexample)?.slice(0, 300)}${r.errorInstance ? `\n     ${String(r.errorInstance).slice(0, 300)}` : ''}`);
}
console.log(`total ${properties.reduce((n, p) => n + Math.round(total * p.share), 0)} cases planned in ${((performance.now() - start) / 1000).toFixed(1)} s, ${failed} properties failed`);
process.exit(failed > 0 ? 1 : 0);
