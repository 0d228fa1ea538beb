// One self-contained CommonJS file: a bundled CLI starts in tens of milliseconds.
import { copyFileSync } from 'node:fs';
import { build } from 'esbuild';
import { lazyNameLists } from '../../scripts/lazy-name-lists.mjs';

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/lifeguard.cjs', import.meta.url).pathname,
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', legalComments: 'none',
  logLevel: 'warning', plugins: [lazyNameLists],
});

// lifeguard.json's "$schema" points here from a project that depends on `lifeguard` (init/schema.ts).
copyFileSync(new URL('../core/lifeguard.schema.json', import.meta.url), new URL('./dist/lifeguard.schema.json', import.meta.url));
