// The published form: dist/index.js (one ESM file for Node; @lifeguard/core stays an import) and
// dist/types (tsc). In the workspace `exports` points at src/index.ts; publishConfig swaps in dist.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = (p) => new URL(p, import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8'));
rmSync(here('./dist'), { recursive: true, force: true });
await build({
  entryPoints: [here('./src/index.ts')], outfile: here('./dist/index.js'),
  bundle: true, format: 'esm', platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning',
  // Only the workspace libraries stay imports; smol-toml (the bunfig.toml parser) is bundled in.
  external: Object.keys(pkg.dependencies ?? {}),
});
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', here('./tsconfig.build.json')], { stdio: 'inherit' });
