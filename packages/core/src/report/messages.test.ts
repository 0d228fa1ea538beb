import { describe, expect, it } from 'vitest';
import type { Finding } from '../types';
import { refusalLines, riskFlag, skippedBuild, skippedLines, warningLine } from './messages';

const f = (over: Partial<Finding> = {}): Finding => ({
  code: 'LIFEGUARD_DENY', action: 'refuse', severity: 'high', package: 'evil', version: '1.0.0', rule: 'packages.deny',
  message: 'evil@1.0.0 is denied.', fix: 'remove "evil" from "packages.deny" in lifeguard.json', ...over,
} as Finding);

describe('install messages', () => {
  it('a refusal names the package, code, rule, each distinct finding with its fix, and the policy', () => {
    const lines = refusalLines([f(), f(), f({ code: 'LIFEGUARD_ADVISORY', rule: 'advisories', message: 'MAL-1', fix: 'do not install it' })], '/p/lifeguard.json', 'while resolving');
    expect(lines).toEqual([
      'Lifeguard refused evil@1.0.0 while resolving [LIFEGUARD_DENY, rule packages.deny]',
      '  LIFEGUARD_DENY evil@1.0.0: evil@1.0.0 is denied.',
      '    to allow it: remove "evil" from "packages.deny" in lifeguard.json',
      '  LIFEGUARD_ADVISORY evil@1.0.0: MAL-1',
      '    to allow it: do not install it',
      '  policy: /p/lifeguard.json',
    ]);
  });

  it('the skipped-builds list is sorted, names lifecycle, rule and approval, and says what runs them', () => {
    const skip = (name: string) => skippedBuild(f({ code: 'LIFEGUARD_SCRIPTS', action: 'skip-scripts', package: name, rule: 'scripts.unapproved', fix: `add "${name}@1.0.0" to "scripts.allow" in lifeguard.json`, details: { lifecycle: ['postinstall'] } }));
    expect(skippedLines([skip('b'), skip('a')], undefined, 'yarn install')).toEqual([
      'Lifeguard: install scripts of 2 packages did not run (policy: the built-in default policy (create lifeguard.json at the project root to change it)):',
      '  - a@1.0.0 (postinstall) [scripts.unapproved]: to run them, add "a@1.0.0" to "scripts.allow" in lifeguard.json',
      '  - b@1.0.0 (postinstall) [scripts.unapproved]: to run them, add "b@1.0.0" to "scripts.allow" in lifeguard.json',
      '  After approving them in lifeguard.json, the next `yarn install` builds them.',
    ]);
    expect(warningLine(f({ action: 'warn' }))).toBe('Lifeguard warning [LIFEGUARD_DENY, rule packages.deny]: evil@1.0.0 is denied. (to silence: remove "evil" from "packages.deny" in lifeguard.json)');
  });

  it('a skipped build with risk signals says RISKY and what the script does, so a dropper does not read like a benign build', () => {
    const risk = [{ id: 'eval-decoded', severity: 'high', description: 'evaluates a base64-decoded payload', evidence: 'eval(Buffer.from(', script: 'postinstall' }];
    const b = skippedBuild(f({ code: 'LIFEGUARD_SCRIPTS', action: 'skip-scripts', package: 'drop', rule: 'scripts.unapproved', fix: 'add "drop@1.0.0" to "scripts.allow" in lifeguard.json (only after reading what the script does)', details: { lifecycle: ['postinstall'], risk } }));
    expect(skippedLines([b], '/p/lifeguard.json', 'pnpm install')[1]).toBe(
      '  - drop@1.0.0 (postinstall) [scripts.unapproved] RISKY: its postinstall evaluates a base64-decoded payload (`eval(Buffer.from(`); read it before approving: to run them, add "drop@1.0.0" to "scripts.allow" in lifeguard.json (only after reading what the script does)',
    );
  });

  it('the risk flag escapes control characters of the script text (no terminal escapes from a package)', () => {
    const risk = [{ id: 'x', severity: 'high', description: 'decodes and runs an encoded payload', evidence: 'eval(\u001b[2K\u202e', script: 'postinstall' }];
    expect(riskFlag(f({ details: { risk } }))).toBe('its postinstall decodes and runs an encoded payload (`eval(\\u001b[2K\\u202e`)');
  });
});
