// `pnpm demo`: bundles scripts/demo.ts (and the test harness it uses) with esbuild and runs it.
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Two levels below the repo, like test/harness/, so the harness finds the repo root.
const outfile = join(root, '.tmp', 'demo', 'demo.mjs');
await build({
  entryPoints: [join(root, 'scripts', 'demo.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
