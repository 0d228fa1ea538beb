import { describe, expect, it } from 'vitest';
import { sourcesCheck } from './sources';
import { policyOf } from './test-policy';

const deps = (dependencies: Record<string, string>) => ({ name: 'lib', version: '1.0.0', dependencies });

describe('exotic sources', () => {
  const policy = policyOf({ sources: { allow: ['github:acme/*', 'https://cdn.acme.test/**'] } });

  it.each([
    ['git+https://github.com/evil/x.git', 'git'],
    ['git+ssh://git@github.com/evil/x.git#v1', 'git'],
    ['github:evil/x', 'git'],
    ['evil/x#main', 'git'],
    ['https://evil.test/x-1.0.0.tgz', 'tarball'],
    ['http://127.0.0.1:9/x.tgz', 'tarball'],
    ['file:../x', 'file'],
    ['link:../x', 'link'],
    ['npm:other@https://evil.test/x.tgz', 'tarball'],
    ['patch:rt-post@npm%3A1.0.0#./evil.patch', 'patch'],
    ['exec:./gen.js', 'exec'],
  ])('refuses %s in a published package', (spec, kind) => {
    const [f] = sourcesCheck(deps({ x: spec }), { policy });
    expect(f?.code).toBe('LIFEGUARD_SOURCE');
    expect(f?.action).toBe('refuse');
    expect(f?.details?.kind).toBe(kind);
    expect(f?.fix).toBe(`add ${JSON.stringify(spec)} to "sources.allow" in lifeguard.json`);
  });

  it.each(['^1.0.0', '1.2.3', 'latest', '>=1 <2', 'npm:string-width@^4.2.0', 'workspace:*', '*', ''])('allows registry spec %j', (spec) => {
    expect(sourcesCheck(deps({ x: spec }), { policy })).toEqual([]);
  });

  it('allows what sources.allow lists', () => {
    expect(sourcesCheck(deps({ x: 'github:acme/tools#v1', y: 'https://cdn.acme.test/a/b.tgz' }), { policy })).toEqual([]);
  });

  it("leaves the project's own manifests alone", () => {
    expect(sourcesCheck({ ...deps({ x: 'github:evil/x' }), workspace: true }, { policy })).toEqual([]);
  });

  it('leaves the packages the project pulls in from its own directories alone', () => {
    expect(sourcesCheck({ ...deps({ x: 'link:../packages/x', y: 'github:acme/y' }), source: 'file', local: true }, { policy })).toEqual([]);
    // A file: package that is not the project's (a published package named it) is judged like any other.
    expect(sourcesCheck({ ...deps({ x: 'link:../packages/x' }), source: 'file' }, { policy })).toHaveLength(1);
  });

  it('leaves the specs the project chose alone, and only those', () => {
    const found = sourcesCheck({ ...deps({ sharp: 'link:stubs/empty', evil: 'link:stubs/empty' }), projectChosen: ['sharp'] }, { policy });
    expect(found.map((f) => f.details?.dependency)).toEqual(['evil']);
  });

  it('honours exotic "warn", "off" and packages.trust', () => {
    expect(sourcesCheck(deps({ x: 'github:evil/x' }), { policy: policyOf({ sources: { exotic: 'warn' } }) })[0]?.action).toBe('warn');
    expect(sourcesCheck(deps({ x: 'github:evil/x' }), { policy: policyOf({ sources: { exotic: 'off' } }) })).toEqual([]);
    expect(sourcesCheck(deps({ x: 'github:evil/x' }), { policy: policyOf({ packages: { trust: ['lib'] } }) })).toEqual([]);
  });

  it('does not trip over prototype keys in dependency maps', () => {
    const d = JSON.parse('{"__proto__":"https://evil.test/x.tgz","constructor":"^1.0.0"}') as Record<string, string>;
    const found = sourcesCheck(deps(d), { policy });
    expect(found.map((f) => f.details?.dependency)).toEqual(['__proto__']);
  });

  it('a patch shipped by a published package: the allow entry is the spec as declared (Yarn\'s binding dropped)', () => {
    const bound = 'patch:rt-post@npm%3A1.0.0#./evil.patch::locator=rt-patcher%40npm%3A1.0.0';
    const [f] = sourcesCheck(deps({ 'rt-post': bound }), { policy });
    expect(f?.details).toMatchObject({ kind: 'patch', spec: 'patch:rt-post@npm%3A1.0.0#./evil.patch' });
    const allowed = policyOf({ sources: { allow: ['patch:rt-post@npm%3A1.0.0#./evil.patch'] } });
    expect(sourcesCheck(deps({ 'rt-post': bound }), { policy: allowed })).toEqual([]);
  });

  it('Yarn\'s built-in patches and the project\'s own are not exotic', () => {
    expect(sourcesCheck(deps({ typescript: 'patch:typescript@npm%3A^5#optional!builtin<compat/typescript>' }), { policy })).toEqual([]);
    expect(sourcesCheck(deps({ x: 'patch:x@npm%3A1.0.0#~/.yarn/patches/x-npm-1.0.0-abc.patch' }), { policy })).toEqual([]);
    expect(sourcesCheck(deps({ x: 'patch:x@npm%3A1.0.0#./fix.patch::locator=app%40workspace%3A.' }), { policy })).toEqual([]);
  });

  it('a patched build bound to a published package is refused itself (a forged ::locator= in the declaring manifest cannot hide it)', () => {
    const resolved = 'patch:rt-post@npm%3A1.0.0#./evil.patch::version=1.0.0&hash=a9&locator=rt-patcher%40npm%3A1.0.0';
    const [f] = sourcesCheck({ name: 'rt-post', version: '1.0.0', source: 'patch', resolved }, { policy });
    expect(f).toMatchObject({ code: 'LIFEGUARD_SOURCE', action: 'refuse', details: { kind: 'patch', spec: 'patch:rt-post@npm%3A1.0.0#./evil.patch' } });
    const allowed = policyOf({ sources: { allow: ['patch:rt-post@npm%3A1.0.0#./evil.patch'] } });
    expect(sourcesCheck({ name: 'rt-post', version: '1.0.0', source: 'patch', resolved }, { policy: allowed })).toEqual([]);
  });
});
