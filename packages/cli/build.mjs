// One self-contained CommonJS file: a bundled CLI starts in tens of milliseconds.
import { copyFileSync } from 'node:fs';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lazyNameLists } from '../../scripts/lazy-name-lists.mjs';

const jsonc = join(dirname(createRequire(import.meta.url).resolve('jsonc-parser/package.json')), 'lib/esm/main.js');

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/lifeguard.cjs', import.meta.url).pathname,
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', legalComments: 'none',
  logLevel: 'warning', plugins: [lazyNameLists],
  // jsonc-parser's `main` is a UMD build that loads its parts with a dynamic require esbuild cannot follow.
  alias: { 'jsonc-parser': jsonc },
});

// lifeguard.json's "$schema" points here from a project that depends on `lifeguard` (init/schema.ts).
copyFileSync(new URL('../core/lifeguard.schema.json', import.meta.url), new URL('./dist/lifeguard.schema.json', import.meta.url));
