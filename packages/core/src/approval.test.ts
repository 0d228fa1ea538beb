import { describe, expect, it } from 'vitest';
import { approvesOrigin, scriptApproval } from './approval';
import { policyOf } from './checks/test-policy';
import { evaluate } from './evaluate';

const PATCHED = 'patch:rt-post@npm%3A1.0.0#./evil.patch::version=1.0.0&hash=a940c2&locator=rt-patcher%40npm%3A1.0.0';
const GIT = 'git+https://github.com/acme/tool.git#commit=0123abc';

describe('script approval of patched, git and exec builds', () => {
  const policy = policyOf({
    scripts: {
      allow: [
        'rt-post@1.0.0',
        'tool',
        { package: 'fixed@2.0.0', source: 'patch:fixed@npm%3A2.0.0#./f.patch::*' },
        { package: 'built', source: 'git+https://github.com/acme/built.git#*' },
      ],
    },
  });

  it('an approval of name@version approves the registry release, never a patched, git or exec build of it', () => {
    expect(scriptApproval(policy, 'rt-post', '1.0.0').status).toBe('approved');
    expect(scriptApproval(policy, 'rt-post', '1.0.0', { source: 'registry' }).status).toBe('approved');
    const patched = scriptApproval(policy, 'rt-post', '1.0.0', { source: 'patch', resolved: PATCHED });
    expect(patched).toMatchObject({ status: 'unapproved', release: { raw: 'rt-post@1.0.0' } });
    expect(scriptApproval(policy, 'tool', '1.0.0', { source: 'git', resolved: GIT }).status).toBe('unapproved');
    expect(scriptApproval(policy, 'tool', '1.0.0', { source: 'exec', resolved: 'exec:./gen.js' }).status).toBe('unapproved');
    // a rebuilt kind with no reference cannot match any source glob
    expect(scriptApproval(policy, 'built', '1.0.0', { source: 'git' }).status).toBe('unapproved');
  });

  it('an entry naming the source approves that build only, not the registry release or another source', () => {
    expect(scriptApproval(policy, 'fixed', '2.0.0', { source: 'patch', resolved: 'patch:fixed@npm%3A2.0.0#./f.patch::version=2.0.0&hash=1' }).status).toBe('approved');
    expect(scriptApproval(policy, 'fixed', '2.0.0').status).toBe('unapproved');
    expect(scriptApproval(policy, 'fixed', '2.0.0', { source: 'patch', resolved: 'patch:fixed@npm%3A2.0.0#./other.patch::version=2.0.0' }).status).toBe('unapproved');
    expect(scriptApproval(policy, 'built', '0.0.1', { source: 'git', resolved: 'git+https://github.com/acme/built.git#commit=ff' }).status).toBe('approved');
    expect(scriptApproval(policy, 'built', '0.0.1', { source: 'git', resolved: 'git+https://github.com/evil/built.git#commit=ff' }).status).toBe('unapproved');
  });

  it('scripts.deny wins for every build; unapproved "run" runs them all', () => {
    const deny = policyOf({ scripts: { allow: [{ package: 'x', source: '**' }], deny: ['x'] } });
    expect(scriptApproval(deny, 'x', '1.0.0', { source: 'git', resolved: GIT }).status).toBe('denied');
    const run = policyOf({ scripts: { unapproved: 'run' } });
    expect(scriptApproval(run, 'x', '1.0.0', { source: 'patch', resolved: PATCHED }).status).toBe('approved');
  });

  it('approvesOrigin: source entries for rebuilt builds, plain entries for releases (tarball and file builds count as releases)', () => {
    const [plain, , withSource] = policy.scripts.allow.specs;
    expect(approvesOrigin(plain!, { source: 'tarball', resolved: 'https://h/x.tgz' })).toBe(true);
    expect(approvesOrigin(withSource!, {})).toBe(false);
  });

  it('evaluate skips the patched build and the fix names the source to approve', () => {
    const facts = { name: 'rt-post', version: '1.0.0', source: 'patch' as const, resolved: PATCHED, scripts: { postinstall: 'node evil.js' } };
    // Refused as an exotic source until sources.allow lists the patch; then its scripts are judged.
    expect(evaluate(policy, facts).decision).toBe('refuse');
    const sourceAllowed = policyOf({ scripts: { allow: ['rt-post@1.0.0'] }, sources: { allow: ['patch:rt-post@npm%3A1.0.0#./evil.patch'] } });
    const v = evaluate(sourceAllowed, facts);
    expect(v.runScripts).toBe(false);
    expect(v.decision).toBe('strip');
    expect(v.findings[0]?.message).toContain('"rt-post@1.0.0" approves the registry release only');
    expect(v.findings[0]?.fix).toBe(`add ${JSON.stringify({ package: 'rt-post@1.0.0', source: PATCHED })} to "scripts.allow" in lifeguard.json`);
    expect(evaluate(sourceAllowed, { ...facts, source: 'registry' }).runScripts).toBe(true);
  });

  it('a bad source glob is a policy error at its JSON path', () => {
    expect(() => policyOf({ scripts: { allow: [{ package: 'x', source: '' }] } })).toThrow(/\$\.scripts\.allow\[0\]\.source/);
    expect(() => policyOf({ scripts: { deny: [{ package: 'x', source: 'a' }] } })).toThrow(/\$\.scripts\.deny\[0\]\.source/);
  });
});
