import { describe, expect, it } from 'vitest';
import { readLockfileObject, wantedKeys } from './lockfile';

// pnpm 12's in-memory shape: importers with { specifier, version }, packages + snapshots apart.
const LOCK = {
  importers: {
    '.': {
      dependencies: {
        keep: { specifier: '^1.0.0', version: '1.0.0' },
        gone: { specifier: '1.0.0', version: '1.0.0' },
        alias: { specifier: 'npm:real@^2.0.0', version: 'real@2.0.0' },
      },
    },
  },
  packages: { 'keep@1.0.0': {}, 'child@1.0.0': {}, 'gone@1.0.0': {}, 'only-gone@1.0.0': {}, 'real@2.0.0': {} },
  snapshots: {
    'keep@1.0.0': { dependencies: { child: '1.0.0' } },
    'gone@1.0.0': { dependencies: { 'only-gone': '1.0.0', child: '1.0.0' } },
  },
};

describe('wantedKeys', () => {
  const packages = readLockfileObject(LOCK);

  it('walks from the dependencies package.json still declares, with the same specifier', () => {
    const wanted = wantedKeys(LOCK, packages, () => ({ keep: '^1.0.0', alias: 'npm:real@^2.0.0' }));
    expect([...(wanted ?? [])].sort()).toEqual(['child@1.0.0', 'keep@1.0.0', 'real@2.0.0']);
  });

  it('drops a dependency whose specifier changed (it is resolved again, through readPackage)', () => {
    const wanted = wantedKeys(LOCK, packages, () => ({ keep: '^1.0.0', gone: '^2.0.0' }));
    expect(wanted?.has('gone@1.0.0')).toBe(false);
  });

  it('keeps everything when an importer manifest cannot be read (fail closed)', () => {
    expect(wantedKeys(LOCK, packages, () => undefined)?.size).toBe(5);
  });

  it('reads pnpm 10 importers (specifiers + version maps)', () => {
    const v10 = { importers: { '.': { specifiers: { keep: '^1.0.0' }, dependencies: { keep: '1.0.0' } } }, packages: { 'keep@1.0.0': { dependencies: { child: '1.0.0' } }, 'child@1.0.0': {} } };
    expect([...(wantedKeys(v10, readLockfileObject(v10), () => ({ keep: '^1.0.0' })) ?? [])].sort()).toEqual(['child@1.0.0', 'keep@1.0.0']);
  });

  it('is undefined without importers, so the caller checks every package', () => {
    expect(wantedKeys({ packages: {} }, [], () => ({}))).toBeUndefined();
  });
});
