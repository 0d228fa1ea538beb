import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('is never made by unbuilt code', () => {
    expect(dev.stampKey(dir, pkgs, none, {})).toBeUndefined();
  });

  it('changes with the packages, the policy bytes, LIFEGUARD_POLICY and the project\'s own specs, and only with them', () => {
    const base = stampKey(dir, pkgs, none, {});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(stampKey(dir, [...pkgs].reverse(), none, {})).toBe(base);
    expect(stampKey(dir, [pkg('a', '1.0.1'), pkg('b', '2.0.0')], none, {})).not.toBe(base);
    expect(stampKey(dir, [pkg('a', '1.0.0', 'https://x.test/a.tgz'), pkg('b', '2.0.0')], none, {})).not.toBe(base);
    expect(stampKey(dir, pkgs, new Map([['a', new Set(['github:x/a'])]]), {})).not.toBe(base);
    writeFileSync(join(dir, 'lifeguard.json'), '{}');
    const withFile = stampKey(dir, pkgs, none, {});
    expect(withFile).not.toBe(base);
    writeFileSync(join(dir, 'lifeguard.json'), '{"packages":{"deny":["a"]}}');
    expect(stampKey(dir, pkgs, none, {})).not.toBe(withFile);
    writeFileSync(join(dir, 'other.json'), '{"packages":{"deny":["a"]}}');
    expect(stampKey(dir, pkgs, none, { LIFEGUARD_POLICY: join(dir, 'other.json') })).not.toBe(stampKey(dir, pkgs, none, {}));
    expect(stampKey(dir, pkgs, none, { LIFEGUARD_POLICY: 'relative.json' })).toBeUndefined();
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
