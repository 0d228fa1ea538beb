import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstalled } from './installed';

/** node_modules with a binding.gyp package that says `"gypfile": false` (better-sqlite3 13) and one that does not. */
function tree(marker: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeguard-installed-'));
  const pkg = (name: string, extra: object) => {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...extra }));
    writeFileSync(join(dir, 'node_modules', name, 'binding.gyp'), '{ "targets": [] }');
  };
  pkg('gyp-off', { gypfile: false });
  pkg('gyp-on', {});
  for (const [file, text] of Object.entries(marker)) writeFileSync(join(dir, 'node_modules', file), text);
  return dir;
}

describe('readInstalled: the implicit node-gyp build', () => {
  it.each([
    ['npm', false, {}],
    ['pnpm 12', false, { '.modules.yaml': '{\n  "packageManager": "pnpm@12.21.0"\n}\n' }],
    ['pnpm 11', false, { '.modules.yaml': 'packageManager: pnpm@11.28.10\n' }],
    ['pnpm 10', true, { '.modules.yaml': '{\n  "packageManager": "pnpm@10.34.9"\n}\n' }],
    ['Yarn (node-modules linker)', true, { '.yarn-state.yml': '__metadata:\n  version: 1\n' }],
  ] as const)('%s: a "gypfile": false package is built: %s', (_, builds, marker) => {
    const found = readInstalled(tree(marker));
    expect(found.get('gyp-off@1.0.0')?.hasBindingGyp).toBe(builds);
    expect(found.get('gyp-on@1.0.0')?.hasBindingGyp).toBe(true);
  });
});
