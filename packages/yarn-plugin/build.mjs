// Bundles src/index.ts into dist/yarn-plugin-lifeguard.cjs: one self-contained file that
// `yarn plugin import` accepts. Yarn's own modules come from the `require` Yarn hands the factory.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

const YARN_PROVIDED = ['@yarnpkg/core', '@yarnpkg/cli', '@yarnpkg/fslib', 'clipanion', 'typanion'];
const out = await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node18',
  external: YARN_PROVIDED, logLevel: 'error', legalComments: 'none',
});
const body = out.outputFiles[0].text;
const file = `/* eslint-disable */
//prettier-ignore
module.exports = {
name: "@yarnpkg/plugin-lifeguard",
factory: function (require) {
var module = { exports: {} }, exports = module.exports;
${body}
return module.exports;
}
};
`;
mkdirSync(new URL('./dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('./dist/yarn-plugin-lifeguard.cjs', import.meta.url), file);
