// Bundles the plugin into dist/yarn-plugin-lifeguard.cjs: one self-contained file that
// `yarn plugin import` accepts. Yarn's own modules come from the `require` Yarn hands the factory.
// Two parts: the entry (src/index.ts, small: evaluated on every Yarn command) and the engine
// (src/engine.ts: core, the loader, every judgment), embedded as a string that the entry compiles
// only when it cannot answer from a remembered clean install.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { lazyNameLists } from '../../scripts/lazy-name-lists.mjs';

// semver too: Yarn already has it loaded, so the plugin does not initialise a second copy.
const YARN_PROVIDED = ['@yarnpkg/core', '@yarnpkg/cli', '@yarnpkg/fslib', 'clipanion', 'typanion', 'semver'];
const common = {
  bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node18', minify: process.env.LG_NOMINIFY !== '1',
  external: YARN_PROVIDED, logLevel: 'error', legalComments: 'none',
  define: { LIFEGUARD_BUILD_ID: '"@@LIFEGUARD_BUILD_ID@@"' },
};
const src = (f) => new URL(`./src/${f}`, import.meta.url).pathname;
const [engine, entry] = await Promise.all([
  build({ ...common, plugins: [lazyNameLists], entryPoints: [src('engine.ts')] }),
  build({ ...common, entryPoints: [src('index.ts')], define: { ...common.define, LIFEGUARD_ENGINE: '"@@LIFEGUARD_ENGINE@@"' } }),
]);
// Cached verdicts and remembered clean installs are tied to this
// exact build (core's rules and data are in the engine).
const engineText = engine.outputFiles[0].text;
const entryText = entry.outputFiles[0].text;
const buildId = createHash('sha256').update(engineText).update('\0').update(entryText).digest('hex').slice(0, 16);
const withId = (t) => t.replaceAll('@@LIFEGUARD_BUILD_ID@@', buildId);
// The engine as the source of one function expression, compiled by the entry (see engine() in src/index.ts).
const engineSource = `(function (require, module, exports) {${withId(engineText)}\n})`;
const body = withId(entryText).replace('"@@LIFEGUARD_ENGINE@@"', () => JSON.stringify(engineSource));
if (!body.includes(buildId) || body.includes('@@LIFEGUARD_')) throw new Error('build.mjs: a placeholder was not replaced');
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
console.log(`yarn-plugin-lifeguard.cjs: entry ${(entryText.length / 1024).toFixed(1)} kB, engine ${(engineText.length / 1024).toFixed(1)} kB (compiled on demand)`);
