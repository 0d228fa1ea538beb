// `pnpm bench`: runs every bench/*.bench.mjs in order and prints their figures.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib.mjs';

const only = process.argv[2];
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
let failed = false;
for (const f of files) {
  console.log(`\n## ${f.replace('.bench.mjs', '')}`);
  const r = spawnSync(process.execPath, [join(root, 'bench', f)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
