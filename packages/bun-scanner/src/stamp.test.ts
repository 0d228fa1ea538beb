import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RegistrySources } from './registries';
import type { BunPackage } from './scan';

// A built scanner has its build id; unbuilt code never remembers (checked first).
const dev = await import('./stamp');
(globalThis as { LIFEGUARD_BUILD_ID?: string }).LIFEGUARD_BUILD_ID = 'test-build';
const { readStamp, stampFile, stampKey, writeStamp } = (await import('./stamp?built' as string)) as typeof import('./stamp');

const pkg = (name: string, version: string, requestedRange = version): BunPackage => ({ name, version, requestedRange, tarball: `https://r.test/${name}-${version}.tgz` });

describe('Bun scanner stamp (a package set found clean)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-bun-stamp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const none = new Map<string, Set<string>>();
  const pkgs = [pkg('a', '1.0.0'), pkg('b', '2.0.0')];
  const config: RegistrySources = { bunfig: ['', ''], npmrc: ['', ''], env: [] };

  it('is never made by unbuilt code', () => {
    expect(dev.stampKey(dir, pkgs, none, config, {})).toBeUndefined();
  });

  it('changes with the packages, the policy bytes, LIFEGUARD_POLICY and the project\'s own specs', () => {
    const base = stampKey(dir, pkgs, none, config, {});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(stampKey(dir, [...pkgs].reverse(), none, config, {})).toBe(base);
    expect(stampKey(dir, [pkg('a', '1.0.1'), pkg('b', '2.0.0')], none, config, {})).not.toBe(base);
    expect(stampKey(dir, [pkg('a', '1.0.0', 'https://x.test/a.tgz'), pkg('b', '2.0.0')], none, config, {})).not.toBe(base);
    expect(stampKey(dir, pkgs, new Map([['a', new Set(['github:x/a'])]]), config, {})).not.toBe(base);
    writeFileSync(join(dir, 'lifeguard.json'), '{}');
    const withFile = stampKey(dir, pkgs, none, config, {});
    expect(withFile).not.toBe(base);
    writeFileSync(join(dir, 'lifeguard.json'), '{"packages":{"deny":["a"]}}');
    expect(stampKey(dir, pkgs, none, config, {})).not.toBe(withFile);
    writeFileSync(join(dir, 'other.json'), '{"packages":{"deny":["a"]}}');
    expect(stampKey(dir, pkgs, none, config, { LIFEGUARD_POLICY: join(dir, 'other.json') })).not.toBe(stampKey(dir, pkgs, none, config, {}));
    expect(stampKey(dir, pkgs, none, config, { LIFEGUARD_POLICY: 'relative.json' })).toBeUndefined();
  });

  it('changes with the registry config (where a tarball may come from)', () => {
    const base = stampKey(dir, pkgs, none, config, {});
    expect(stampKey(dir, pkgs, none, { ...config, bunfig: ['[install]\nregistry = "https://r.test/"\n', ''] }, {})).not.toBe(base);
    expect(stampKey(dir, pkgs, none, { ...config, npmrc: ['', 'registry=https://r.test/\n'] }, {})).not.toBe(base);
    expect(stampKey(dir, pkgs, none, { ...config, env: ['https://r.test/'] }, {})).not.toBe(base);
  });

  it('lives in node_modules/.cache and is written only where node_modules exists', () => {
    expect(stampFile(dir)).toBe(join(dir, 'node_modules', '.cache', 'lifeguard', 'bun-checked'));
    writeStamp(dir, 'k1');
    expect(readStamp(stampFile(dir))).toBeUndefined();
    mkdirSync(join(dir, 'node_modules'));
    writeStamp(dir, 'k1');
    expect(readStamp(stampFile(dir))).toBe('k1');
  });
});
