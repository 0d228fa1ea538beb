import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy } from '@lifeguard/core';
import { configDependencies, lockedConfigDependencies, configDependencyFindings } from './config-deps';

const LOCK = `---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies:
      pnpm-plugin-evil:
        specifier: 1.0.0
        version: 1.0.0
      '@acme/pnpm-plugin-x':
        specifier: ^2.0.0
        version: 2.1.0

packages:

  pnpm-plugin-evil@1.0.0:
    resolution: {integrity: sha512-x}

---
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      left-pad:
        specifier: 1.3.0
        version: 1.3.0
`;

describe('config dependencies', () => {
  it('reads the lockfile config document and not the ordinary dependencies', () => {
    expect(lockedConfigDependencies(LOCK)).toEqual([
      { name: 'pnpm-plugin-evil', version: '1.0.0' },
      { name: '@acme/pnpm-plugin-x', version: '2.1.0' },
    ]);
  });
  it('merges the effective config (pnpm 10 "version+integrity", 11/12 "version") with the lockfile', () => {
    const deps = configDependencies({ configDependencies: { 'pnpm-plugin-evil': '1.0.0+sha512-abc', other: '3.0.0', bad: 42 } }, LOCK);
    expect(deps.map((d) => `${d.name}@${d.version}`).sort()).toEqual(['@acme/pnpm-plugin-x@2.1.0', 'other@3.0.0', 'pnpm-plugin-evil@1.0.0']);
  });
  it('refuses a denied config dependency, never for scripts', () => {
    const policy = compilePolicy(parsePolicy(JSON.stringify({ packages: { deny: ['pnpm-plugin-evil'] } }), '/p/lifeguard.json'));
    const refused = configDependencyFindings(policy, [{ name: 'pnpm-plugin-evil', version: '1.0.0' }, { name: 'pnpm-plugin-lifeguard', version: '0.1.0' }]);
    expect(refused.map((f) => `${f.code} ${f.package}`)).toEqual(['LIFEGUARD_DENY pnpm-plugin-evil']);
  });
});
