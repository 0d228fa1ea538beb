import { evaluate } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../core/src/checks/test-policy';
import { lockfileFacts, parseLockfileText, readLockfileObject, registryList } from './lockfile';

// The hook judges the wanted lockfile on frozen installs: a forged entry must be judged by its key.
const policy = policyOf({});
const lock = (entry: string, key = 'event-stream@3.3.6') =>
  `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      x:\n        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n\n  ${key}:\n${entry}\n\nsnapshots:\n\n  ${key}: {}\n`;
const codes = (text: string, registries: string[] = []) =>
  readLockfileObject(parseLockfileText(text)).flatMap((p) => evaluate(policy, { name: p.name, version: p.version, source: p.source, ...(p.resolved ? { resolved: p.resolved } : {}), ...lockfileFacts(p, registries) }).findings.map((f) => f.code));

describe('pnpm hook: lockfile identity', () => {
  it('judges the key of an entry with a forged version: field (the event-stream@3.3.6 bypass)', () => {
    const [p] = readLockfileObject(parseLockfileText(lock('    resolution: {integrity: sha512-x}\n    version: 3.3.5')));
    expect(p).toMatchObject({ name: 'event-stream', version: '3.3.6', entry: { version: '3.3.5' } });
    expect(codes(lock('    resolution: {integrity: sha512-x}\n    version: 3.3.5'))).toEqual(['LIFEGUARD_LOCKFILE', 'LIFEGUARD_ADVISORY']);
  });

  it('refuses a resolution.tarball naming another package or a foreign host; passes the project registry', () => {
    expect(codes(lock('    resolution: {integrity: sha512-x, tarball: https://registry.npmjs.org/event-stream/-/event-stream-3.3.6.tgz}', 'innocent@1.0.0'))).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(lock("    resolution: {integrity: sha512-x, tarball: 'http://127.0.0.1:9/innocent/-/innocent-1.0.0.tgz'}", 'innocent@1.0.0'))).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(lock("    resolution: {integrity: sha512-x, tarball: 'http://127.0.0.1:9/innocent/-/innocent-1.0.0.tgz'}", 'innocent@1.0.0'), registryList({ default: 'http://127.0.0.1:9/', '@s': 7 }))).toEqual([]);
    expect(codes(lock('    resolution: {integrity: sha512-x}', 'innocent@1.0.0'))).toEqual([]);
  });

  it('refuses a semver specifier locked to a foreign URL (pnpm 10 and 12 fetch it on a frozen install)', () => {
    const text = (specifier: string) => `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      innocent:\n        specifier: ${specifier}\n        version: https://evil.test/x.tgz\n\npackages:\n\n  innocent@https://evil.test/x.tgz:\n    resolution: {integrity: sha512-x, tarball: https://evil.test/x.tgz}\n    version: 1.0.0\n\nsnapshots:\n\n  innocent@https://evil.test/x.tgz: {}\n`;
    expect(codes(text('1.0.0'))).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(text('https://evil.test/x.tgz'))).toEqual([]);
    // pnpm 10's in-memory importers: `specifiers` beside name -> version maps.
    const v10 = readLockfileObject({ importers: { '.': { specifiers: { innocent: '^1.0.0' }, dependencies: { innocent: 'https://evil.test/x.tgz' } } }, packages: { 'innocent@https://evil.test/x.tgz': { resolution: { tarball: 'https://evil.test/x.tgz' }, version: '1.0.0' } } });
    expect(v10[0]).toMatchObject({ source: 'registry', version: '1.0.0', entry: { tarball: 'https://evil.test/x.tgz' } });
  });

  it('reads pnpm 10\'s in-memory shape (packages with version fields) the same way', () => {
    const facts = readLockfileObject({ packages: { '/event-stream@3.3.6': { resolution: { integrity: 'x' }, version: '3.3.5' } } });
    expect(facts[0]).toMatchObject({ version: '3.3.6', entry: { version: '3.3.5' } });
  });
});
