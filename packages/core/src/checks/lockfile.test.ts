import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { parseTarballUrl, tarballFile } from '../tarball-url';
import type { LockfileEntry, PackageFacts } from '../types';
import { lockfileCheck } from './lockfile';
import { policyOf } from './test-policy';

const policy = policyOf({});
const NPM = 'https://registry.npmjs.org';
const entry = (over: Partial<LockfileEntry> = {}): LockfileEntry => ({ key: 'k', registries: [], ...over });
const check = (facts: PackageFacts) => lockfileCheck(facts, { policy });
const pkg = (name: string, version: string, lockfile: LockfileEntry, over: Partial<PackageFacts> = {}): PackageFacts => ({ name, version, lockfile, ...over });

describe('tarball URLs', () => {
  it('reads the registry layout, scoped names, %2f, query strings and fragments', () => {
    expect(parseTarballUrl(`${NPM}/left-pad/-/left-pad-1.3.0.tgz`)).toEqual({ host: 'registry.npmjs.org', name: 'left-pad', file: 'left-pad-1.3.0.tgz' });
    expect(parseTarballUrl(`${NPM}/@babel/core/-/core-7.0.0.tgz`)).toMatchObject({ name: '@babel/core', file: 'core-7.0.0.tgz' });
    expect(parseTarballUrl(`${NPM}/@babel%2fcore/-/core-7.0.0.tgz?x=1#sha`)).toMatchObject({ name: '@babel/core', file: 'core-7.0.0.tgz' });
    expect(parseTarballUrl('HTTP://Mirror.Example:8080/api/npm/npm/a/-/a-1.0.0.tgz')).toMatchObject({ host: 'mirror.example:8080', name: 'a' });
    expect(parseTarballUrl('https://npm.pkg.github.com/download/@a/b/1.0.0/abc')).toEqual({ host: 'npm.pkg.github.com' });
    expect(parseTarballUrl('file:../x.tgz')).toBeUndefined();
    expect(parseTarballUrl('not a url')).toBeUndefined();
    expect(parseTarballUrl(`${NPM}/a/-/a-%E0%A4%A.tgz`)).toBeUndefined();
    expect(tarballFile('@s/n', '1.0.0')).toBe('n-1.0.0.tgz');
    // The fast path for plain URLs reads what the WHATWG parser reads.
    expect(parseTarballUrl('https://registry.npmjs.org:443/a/-/a-1.0.0.tgz')).toEqual({ host: 'registry.npmjs.org', name: 'a', file: 'a-1.0.0.tgz' });
    expect(parseTarballUrl('http://127.0.0.1:04873/a/-/a-1.0.0.tgz')?.host).toBe('127.0.0.1:4873');
    expect(parseTarballUrl(`${NPM}/a/-/a-1.0.0.tgz/%2e%2e/%2E%2E/b/-/b-6.6.6.tgz`)).toMatchObject({ name: 'b', file: 'b-6.6.6.tgz' });
    expect(parseTarballUrl(`${NPM}\\evil/-/evil-1.0.0.tgz`)).toMatchObject({ name: 'evil' });
    expect(parseTarballUrl(`https://user@${'registry.npmjs.org'}/a/-/a-1.0.0.tgz`)?.host).toBe('registry.npmjs.org');
  });
});

describe('lockfile identity (LIFEGUARD_LOCKFILE)', () => {
  it('passes an entry whose fields and URL agree with its key, in any case and on a declared registry', () => {
    expect(check(pkg('event-stream', '3.3.5', entry({ version: '3.3.5', tarball: `${NPM}/event-stream/-/event-stream-3.3.5.tgz` })))).toEqual([]);
    expect(check(pkg('@s/n', '1.0.0', entry({ tarball: 'https://registry.yarnpkg.com/@s%2Fn/-/n-1.0.0.tgz#abc' })))).toEqual([]);
    // npmmirror (apache/echarts' lockfile): the public mirror passes with the package's own tarball, not with another's.
    expect(check(pkg('terser', '5.46.0', entry({ tarball: 'https://registry.npmmirror.com/terser/-/terser-5.46.0.tgz' })))).toEqual([]);
    expect(check(pkg('terser', '5.46.0', entry({ tarball: 'https://registry.npmmirror.com/evil/-/evil-5.46.0.tgz' })))).toHaveLength(1);
    expect(check(pkg('A', '1.0.0-RC.1', entry({ name: 'a', tarball: 'https://mirror.test/A/-/a-1.0.0-rc.1.tgz', registries: ['https://MIRROR.test/'] })))).toEqual([]);
    // A registry that does not use the `/-/` layout is trusted to serve what it is asked for.
    expect(check(pkg('@a/b', '1.0.0', entry({ tarball: 'https://npm.pkg.github.com/download/@a/b/1.0.0/abc', registries: ['https://npm.pkg.github.com'] })))).toEqual([]);
    expect(check(pkg('a', '1.0.0', entry({ tarball: 'https://x.test/a.tgz' }), { workspace: true }))).toEqual([]);
    expect(check(pkg('g', '1.0.0', entry({ tarball: 'https://x.test/a.tgz' }), { source: 'git' }))).toEqual([]);
  });

  it('refuses a version or name field that disagrees with the key (pnpm `version: 3.3.5` under event-stream@3.3.6)', () => {
    const [f] = check(pkg('event-stream', '3.3.6', entry({ key: 'event-stream@3.3.6', version: '3.3.5' })));
    expect(f).toMatchObject({ code: 'LIFEGUARD_LOCKFILE', action: 'refuse', package: 'event-stream', version: '3.3.6' });
    expect(f?.message).toContain('version field says "3.3.5"');
    expect(check(pkg('innocent', '1.0.0', entry({ name: 'event-stream' })))[0]?.message).toContain('name field says "event-stream"');
    // The other checks judge the key: the built-in advisory still refuses the forged entry.
    const v = evaluate(policy, pkg('event-stream', '3.3.6', entry({ version: '3.3.5' })));
    expect(v.findings.map((x) => x.code)).toEqual(['LIFEGUARD_LOCKFILE', 'LIFEGUARD_ADVISORY']);
  });

  it('only warns about a version field the policy judges like the key (real lockfiles after a merge), refuses one that changes a script approval', () => {
    const [f] = check(pkg('@lezer/highlight', '1.2.1', entry({ version: '1.2.0' })));
    expect(f).toMatchObject({ code: 'LIFEGUARD_LOCKFILE', action: 'warn' });
    expect(f?.message).toContain('the policy decides the same for both versions');
    const allowOld = policyOf({ scripts: { allow: ['native@1.0.0'] } });
    expect(lockfileCheck(pkg('native', '6.6.6', entry({ version: '1.0.0' })), { policy: allowOld })[0]?.action).toBe('refuse');
    expect(lockfileCheck(pkg('native', '6.6.6', entry({ version: '1.0.0', name: 'other' })), { policy })[0]?.action).toBe('refuse');
  });

  it.each([
    ['another package', `${NPM}/event-stream/-/event-stream-3.3.6.tgz`],
    ['another version', `${NPM}/innocent/-/innocent-6.6.6.tgz`],
    ['another file name', `${NPM}/innocent/-/event-stream-1.0.0.tgz`],
    ['another scope', `${NPM}/@evil/innocent/-/innocent-1.0.0.tgz`],
    ['an encoded other package', `${NPM}/event-stream%2f-%2fevent-stream-3.3.6.tgz`],
    ['a dot-segment walk', `${NPM}/innocent/-/innocent-1.0.0.tgz/../../../event-stream/-/event-stream-3.3.6.tgz`],
  ])('refuses a tarball URL naming %s', (_what, tarball) => {
    const [f] = check(pkg('innocent', '1.0.0', entry({ key: 'node_modules/innocent', tarball })));
    expect(f?.code).toBe('LIFEGUARD_LOCKFILE');
    expect(f?.message).toContain('names');
  });

  it('refuses a registry entry from a host that is not a project registry, and says how to declare one', () => {
    const [f] = check(pkg('innocent', '1.0.0', entry({ tarball: 'https://evil.test/innocent/-/innocent-1.0.0.tgz', registries: ['https://registry.company.test/'] })));
    expect(f?.message).toContain('evil.test, which is not one of the project\'s registries (registry.npmjs.org, registry.yarnpkg.com, registry.npmmirror.com, registry.company.test)');
    expect(f?.fix).toContain('npmRegistryServer');
    // A look-alike of a declared host is another host.
    expect(check(pkg('a', '1.0.0', entry({ tarball: 'https://registry.npmjs.org.evil.test/a/-/a-1.0.0.tgz' })))).toHaveLength(1);
    expect(check(pkg('a', '1.0.0', entry({ tarball: 'https://registry.npmjs.org@evil.test/a/-/a-1.0.0.tgz' })))).toHaveLength(1);
    expect(check(pkg('a', '1.0.0', entry({ tarball: 'ftp://registry.npmjs.org/a/-/a-1.0.0.tgz' })))).toHaveLength(1);
  });

  it('refuses a tarball entry whose URL is not the one its key names', () => {
    const facts = pkg('dep', '1.0.0', entry({ tarball: 'https://evil.test/other.tgz' }), { source: 'tarball', resolved: 'https://good.test/dep.tgz' });
    expect(check(facts)[0]?.message).toContain('is not the URL its key names');
  });

  it('survives hostile entries and is a warning in warn mode', () => {
    for (const tarball of ['', '\u0000', 'https://', `https://${'a'.repeat(100_000)}/-/`, 'https://a/-/-/-/', 'https://[::1]:99999/x']) {
      expect(() => check(pkg('__proto__', 'constructor', entry({ tarball, name: 'toString', registries: ['::', ''] })))).not.toThrow();
    }
    const warn = policyOf({ mode: 'warn' });
    expect(lockfileCheck(pkg('a', '1.0.0', entry({ version: '2.0.0' })), { policy: warn })[0]?.action).toBe('warn');
  });
});

describe('advisories, whatever the source', () => {
  it('refuses a known-malicious release fetched from an http tarball or git, not a workspace package', () => {
    for (const source of ['tarball', 'git', 'file'] as const) {
      expect(evaluate(policy, { name: 'event-stream', version: '3.3.6', source, resolved: 'https://evil.test/x.tgz' }).findings.map((f) => f.code)).toContain('LIFEGUARD_ADVISORY');
    }
    expect(evaluate(policy, { name: 'event-stream', version: '3.3.6', workspace: true, source: 'workspace' }).findings).toEqual([]);
  });
});
