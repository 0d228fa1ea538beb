import { describe, expect, it } from 'vitest';
import { policyOf } from './checks/test-policy';
import { evaluate } from './evaluate';
import type { PackageFacts } from './types';

// Manifests come from registries and archives an attacker controls: whatever they hold, a
// verdict comes back (never a crash that an adapter might swallow into an allow).
const HOSTILE: unknown[] = [
  { name: '', version: '' },
  { name: '@', version: '1.0.0' },
  { name: '@/', version: '1.0.0' },
  { name: '__proto__', version: '1.0.0' },
  { name: 'constructor', version: 'toString' },
  { name: 'x'.repeat(1_000_000), version: '1.0.0' },
  { name: 'lodash', version: '9'.repeat(100_000) },
  { name: 'ехpress', version: '1.0.0' }, // Cyrillic е and х
  { name: 'a\u0000b', version: '1.0.0\n' },
  { name: 'pkg', version: '1.0.0', scripts: JSON.parse('{"__proto__":{"postinstall":"x"},"install":null,"postinstall":["a"]}') },
  { name: 'pkg', version: '1.0.0', scripts: 'node install.js' },
  { name: 'pkg', version: '1.0.0', scripts: { postinstall: 'x'.repeat(2_000_000) } },
  { name: 'pkg', version: '1.0.0', dependencies: JSON.parse('{"__proto__":"github:a/b","toString":42,"x":null}') },
  { name: 'pkg', version: '1.0.0', dependencies: 'not an object' },
  { name: 'pkg', version: '1.0.0', dependencies: { y: 'https://' + 'a'.repeat(100_000) } },
  { name: 'pkg', version: '1.0.0', requiredBy: ['a', 'b'], hasBindingGyp: 'yes', hasInstallScript: 1 },
];

describe('hostile package facts', () => {
  const policies = [policyOf({}), policyOf({ mode: 'warn' }), policyOf({ scripts: { allow: ['*'], unapproved: 'refuse' }, packages: { deny: ['@*/*'] } })];

  it.each(HOSTILE.map((f, i) => [i, f]))('case %i gets a verdict', (_i, facts) => {
    for (const policy of policies) {
      const v = evaluate(policy, facts as PackageFacts);
      expect(['allow', 'strip', 'refuse']).toContain(v.decision);
      for (const f of v.findings) expect(f.message.length).toBeLessThan(5_000_000);
    }
  });

  it('still refuses what it must with hostile extras around it', () => {
    const v = evaluate(policyOf({}), { name: 'pkg', version: '1.0.0', dependencies: JSON.parse('{"__proto__":"https://evil.test/x.tgz"}') });
    expect(v.decision).toBe('refuse');
    expect(evaluate(policyOf({}), { name: 'pkg', version: '1.0.0', scripts: JSON.parse('{"__proto__":{"x":1},"postinstall":"node x"}') }).decision).toBe('strip');
  });
});
