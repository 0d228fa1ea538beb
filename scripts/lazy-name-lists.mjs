// esbuild plugin shared by the bundles (pnpmfile, Yarn plugin, CLI).
// npm-high-impact's name lists are huge array literals (~350 KB). Evaluated eagerly they
// dominate the time to load a bundle, yet only the typosquat check reads them, on its first
// call. Each list becomes a CommonJS module with a lazy getter over one JSON string (V8 parses
// JSON faster than an array literal); the content is unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const lazyNameLists = {
  name: 'lazy-name-lists',
  setup(b) {
    // A namespace of our own: outside the package's `"type": "module"`, so the replacement is
    // bundled as CommonJS and its getter survives esbuild's interop (`__toESM` copies getters).
    b.onResolve({ filter: /^\.\/top\.js$/ }, (args) =>
      /npm-high-impact[\\/]lib$/.test(args.resolveDir) ? { path: join(args.resolveDir, args.path), namespace: 'lazy-name-list' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-name-list' }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const m = /^export const (\w+) = (\[[\s\S]*\])\s*$/.exec(src);
      if (!m) throw new Error(`${args.path}: unexpected shape; update scripts/lazy-name-lists.mjs`);
      const list = Function(`return ${m[2]}`)();
      if (!Array.isArray(list) || list.length < 1000) throw new Error(`${args.path}: not a name list`);
      const json = JSON.stringify(JSON.stringify(list));
      return {
        contents: `let v;\nObject.defineProperty(exports, ${JSON.stringify(m[1])}, { enumerable: true, get: () => (v ??= JSON.parse(${json})) });\n`,
        loader: 'js',
      };
    });
  },
};
