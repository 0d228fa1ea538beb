import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedScripts } from './installed';

function store(entries: Record<string, { name: string; manifest: string; gyp?: boolean }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lg-installed-'));
  for (const [entry, p] of Object.entries(entries)) {
    const pkg = join(dir, 'node_modules/.pnpm', entry, 'node_modules', p.name);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), p.manifest);
    if (p.gyp) writeFileSync(join(pkg, 'binding.gyp'), '{}');
  }
  return dir;
}

describe('installedScripts: the unpacked manifests in node_modules/.pnpm', () => {
  it('finds scoped names, peer-suffixed folders and binding.gyp; skips what is not there or unreadable', () => {
    const dir = store({
      '@swc+core@1.7.0': { name: '@swc/core', manifest: '{"scripts":{"postinstall":"node postinstall.js"}}' },
      'react-dom@18.3.1_react@18.3.1': { name: 'react-dom', manifest: '{"name":"react-dom"}' },
      'bcrypt@5.1.1': { name: 'bcrypt', manifest: '{}', gyp: true },
      'broken@1.0.0': { name: 'broken', manifest: '{not json' },
    });
    const found = installedScripts(dir, ['@swc/core@1.7.0', 'react-dom@18.3.1', 'bcrypt@5.1.1', 'broken@1.0.0', 'absent@1.0.0', 'nonsense']);
    expect(Object.fromEntries(found)).toEqual({
      '@swc/core@1.7.0': { scripts: { postinstall: 'node postinstall.js' }, hasBindingGyp: false },
      'react-dom@18.3.1': { scripts: {}, hasBindingGyp: false },
      'bcrypt@5.1.1': { scripts: {}, hasBindingGyp: true },
    });
    expect(installedScripts(mkdtempSync(join(tmpdir(), 'lg-none-')), ['a@1.0.0']).size).toBe(0);
  });
});
