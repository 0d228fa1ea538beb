// Bundles src/index.ts into dist/yarn-plugin-lifeguard.cjs: one self-contained file that
// `yarn plugin import` accepts. Yarn's own modules come from the `require` Yarn hands the factory.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

// semver too: Yarn already has it loaded, so the plugin does not initialise a second copy.
const YARN_PROVIDED = ['@yarnpkg/core', '@yarnpkg/cli', '@yarnpkg/fslib', 'clipanion', 'typanion', 'semver'];
/**
 * npm-high-impact's name lists are 400 kB array literals: as a JSON string they parse several
 * times faster, and every Yarn command that loads the plugin pays that parse.
 */
const jsonLists = {
  name: 'json-lists',
  setup(b) {
    b.onLoad({ filter: /npm-high-impact[\\/]lib[\\/]top[^\\/]*\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const m = /^export const (\w+) = (\[[\s\S]*\])\s*$/.exec(src);
      if (!m) return undefined;
      const list = JSON.parse(m[2].replace(/'/g, '"').replace(/,(\s*)\]$/, '$1]'));
      return { contents: `export const ${m[1]} = JSON.parse(${JSON.stringify(JSON.stringify(list))});\n`, loader: 'js' };
    });
  },
};

const out = await build({
  plugins: [jsonLists],
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node18',
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
