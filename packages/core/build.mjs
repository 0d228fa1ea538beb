// Writes lifeguard.schema.json from the one definition in src/policy/schema.ts, and the published
// form: dist/index.js (one ESM file; its npm dependencies stay imports) and dist/types (tsc).
// In the workspace `exports` points at src/index.ts; publishConfig swaps in dist at pack time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = (p) => new URL(p, import.meta.url).pathname;
const out = await build({
  entryPoints: [here('./src/policy/schema.ts')],
  bundle: true, write: false, format: 'esm', platform: 'neutral',
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
writeFileSync(here('./lifeguard.schema.json'), `${JSON.stringify(mod.toJsonSchema(), null, 2)}\n`);

const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8'));
rmSync(here('./dist'), { recursive: true, force: true });
await build({
  entryPoints: [here('./src/index.ts')], outfile: here('./dist/index.js'),
  bundle: true, format: 'esm', platform: 'neutral', target: 'node20', legalComments: 'none', logLevel: 'warning',
  external: Object.keys(pkg.dependencies ?? {}),
});
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', here('./tsconfig.build.json')], { stdio: 'inherit' });
