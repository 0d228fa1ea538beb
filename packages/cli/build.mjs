// One self-contained CommonJS file: a bundled CLI starts in tens of milliseconds.
import { build } from 'esbuild';
import { lazyNameLists } from '../../scripts/lazy-name-lists.mjs';

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/lifeguard.cjs', import.meta.url).pathname,
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', legalComments: 'none',
  logLevel: 'warning', plugins: [lazyNameLists],
});
