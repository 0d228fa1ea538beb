// Bundles src/index.ts into dist/yarn-plugin-lifeguard.cjs: one self-contained file that
// `yarn plugin import` accepts. Yarn's own modules come from the `require` Yarn hands the factory.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { lazyNameLists } from '../../scripts/lazy-name-lists.mjs';

// semver too: Yarn already has it loaded, so the plugin does not initialise a second copy.
const YARN_PROVIDED = ['@yarnpkg/core', '@yarnpkg/cli', '@yarnpkg/fslib', 'clipanion', 'typanion', 'semver'];
const out = await build({
  plugins: [lazyNameLists],
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node18', minify: true,
  external: YARN_PROVIDED, logLevel: 'error', legalComments: 'none',
  define: { LIFEGUARD_BUILD_ID: '"@@LIFEGUARD_BUILD_ID@@"' },
});
// Verdicts cached in .yarn/lifeguard-cache.json are tied to this exact build (core's data is in it).
const raw = out.outputFiles[0].text;
const body = raw.replace('@@LIFEGUARD_BUILD_ID@@', createHash('sha256').update(raw).digest('hex').slice(0, 16));
const file = `/* eslint-disable */
//prettier-ignore
module.exports = {
name: "@yarnpkg/plugin-lifeguard",
factory: function (require) {
// Yarn runs the factory twice per command: evaluate the bundle once.
var cached = globalThis[Symbol.for('lifeguard.yarn-plugin.module')];
if (cached) return cached;
var module = { exports: {} }, exports = module.exports;
${body}
globalThis[Symbol.for('lifeguard.yarn-plugin.module')] = module.exports;
return module.exports;
}
};
`;
mkdirSync(new URL('./dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('./dist/yarn-plugin-lifeguard.cjs', import.meta.url), file);
