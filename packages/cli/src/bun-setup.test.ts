import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lifeguard, project } from './test-cli';

// `lifeguard init` in a Bun project (bunfig.toml marks it), run as the built CLI.
describe('init for Bun', () => {
  it('wires bunfig.toml, copies the scanner and its engine, and writes trustedDependencies: [] with no lockfile', () => {
    const dir = project({ 'package.json': '{"name":"app","version":"1.0.0"}', 'bunfig.toml': '# ours\n[install]\nexact = true\n' });
    const r = lifeguard(dir, 'init');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('bun project (from bunfig.toml)');
    expect(readFileSync(join(dir, 'bunfig.toml'), 'utf8')).toBe('# ours\n[install]\nexact = true\n\n[install.security]\nscanner = "./.lifeguard/bun-scanner.js"\n');
    expect(existsSync(join(dir, '.lifeguard/bun-scanner.js')) && existsSync(join(dir, '.lifeguard/lifeguard-bun-scanner-engine.js'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trustedDependencies).toEqual([]);
  });

  it('keeps another scanner unless --force (Bun runs one), and detects Bun from packageManager', () => {
    const dir = project({ 'package.json': '{"name":"app","packageManager":"bun@1.4.5"}', 'bunfig.toml': '[install.security]\nscanner = "@acme/scanner"\n' });
    const kept = lifeguard(dir, 'init');
    expect(kept.stdout).toContain('bun project (from package.json "packageManager")');
    expect(kept.stdout).toContain('kept      bunfig.toml: [install.security] scanner is "@acme/scanner"');
    expect(readFileSync(join(dir, 'bunfig.toml'), 'utf8')).toContain('"@acme/scanner"');
    expect(lifeguard(dir, 'init', '--force').code).toBe(0);
    expect(readFileSync(join(dir, 'bunfig.toml'), 'utf8')).toBe('[install.security]\nscanner = "./.lifeguard/bun-scanner.js"\n');
  });

  it('stops on a bunfig.toml that is not TOML, naming it, before writing the scanner', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'bunfig.toml': '[install\n', 'lifeguard.json': '{}' });
    const r = lifeguard(dir, 'init');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'bunfig.toml')}: not valid TOML`);
    expect(existsSync(join(dir, '.lifeguard'))).toBe(false);
  });
});
