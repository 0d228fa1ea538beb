import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileOsvRecord, compilePolicy, OsvIndex, parsePolicy, type Policy } from '@lifeguard/core';
import type { LockedPackage } from './lockfile';

// A built pnpmfile has its build id; unbuilt code never reuses a stamp (checked below first).
const dev = await import('./stamp');
(globalThis as { LIFEGUARD_BUILD_ID?: string }).LIFEGUARD_BUILD_ID = 'test-build';
const { readStamp, stampFile, stampKey, writeStamp } = await import('./stamp?built' as string) as typeof import('./stamp');

const policy = (feedRecords: unknown[] = []): Policy => {
  const doc = parsePolicy(new TextEncoder().encode('{}'), '/p/lifeguard.json');
  const index = new OsvIndex();
  for (const r of feedRecords) for (const e of compileOsvRecord(r, 'feed')) index.add(e);
  return compilePolicy(doc, { feeds: [index] });
};
const pkgs: LockedPackage[] = [{ key: 'a@1.0.0', name: 'a', version: '1.0.0', source: 'registry' }];
const record = { id: 'MAL-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, versions: ['1.0.0'] }] };

describe('lockfile stamp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-stamp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is never made by unbuilt code', () => {
    expect(dev.stampKey(policy(), 'fp', pkgs)).toBeUndefined();
  });

  it('changes with the locked packages, the policy fingerprint and the feeds\' matches, and only with them', () => {
    const base = stampKey(policy(), 'fp', pkgs);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const b: LockedPackage = { key: 'b@2.0.0', name: 'b', version: '2.0.0', source: 'registry', dependencies: { a: '1.0.0' } };
    expect(stampKey(policy(), 'fp', [...pkgs, b])).toBe(stampKey(policy(), 'fp', [b, ...pkgs])); // order does not matter
    expect(stampKey(policy(), 'fp', [...pkgs, b])).not.toBe(base);
    expect(stampKey(policy(), 'fp', [...pkgs, { ...b, dependencies: { a: 'https://x.test/a.tgz' } }])).not.toBe(stampKey(policy(), 'fp', [...pkgs, b]));
    expect(stampKey(policy(), 'fp', [{ ...pkgs[0]!, version: '1.0.1' }])).not.toBe(base);
    expect(stampKey(policy(), 'fp2', pkgs)).not.toBe(base);
    // A separator inside a version cannot pass for another dependency.
    const glued: LockedPackage = { ...b, dependencies: { a: '1.0.0;x,https://x.test/x.tgz' } };
    const split: LockedPackage = { ...b, dependencies: { a: '1.0.0', x: 'https://x.test/x.tgz' } };
    expect(stampKey(policy(), 'fp', [glued])).not.toBe(stampKey(policy(), 'fp', [split]));
    expect(stampKey(policy([record]), 'fp', pkgs)).not.toBe(base);
  });

  it('lives in Lifeguard\'s cache folder, one file per project', () => {
    const env = { LIFEGUARD_CACHE_DIR: join(dir, 'cache') };
    const a = stampFile('/projects/a', env);
    expect(a.startsWith(join(dir, 'cache', 'pnpm-checked'))).toBe(true);
    expect(stampFile('/projects/b', env)).not.toBe(a);
    expect(readStamp(a)).toBeUndefined();
    writeStamp(a, 'k1');
    expect(readStamp(a)).toBe('k1');
    writeFileSync(a, 'garbage');
    expect(readStamp(a)).toBe('garbage'); // a wrong stamp only fails to match a key
  });
});
