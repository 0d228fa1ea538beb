import { evaluate, type PackageFacts } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../../core/src/checks/test-policy';
import { readBunLock } from './bun';
import { readNpmLock } from './npm';
import { readPnpmLock } from './pnpm';
import { readYarnLock } from './yarn';

// Forged entries as a pull request would plant them: each reader must hand core the identity the
// package manager fetches (key + URL), so that the lockfile check and the advisories see it.
const policy = policyOf({});
const codes = (facts: PackageFacts[], name: string) =>
  facts.filter((p) => p.name === name).flatMap((p) => evaluate(policy, p).findings.map((f) => f.code));
const NPM = 'https://registry.npmjs.org';

const pnpm = (entry: string, key = 'event-stream@3.3.6') =>
  readPnpmLock(`lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      event-stream:\n        specifier: 3.3.6\n        version: 3.3.6\npackages:\n  ${key}:\n${entry}\nsnapshots:\n  ${key}: {}\n`, 'pnpm-lock.yaml', ['http://127.0.0.1:4873/']).packages;

describe('pnpm-lock.yaml identity', () => {
  it('judges the key, not a forged version: or name: field', () => {
    const forged = pnpm('    resolution: {integrity: sha512-x}\n    version: 3.3.5');
    expect(forged[0]).toMatchObject({ name: 'event-stream', version: '3.3.6' });
    expect(codes(forged, 'event-stream')).toEqual(['LIFEGUARD_LOCKFILE', 'LIFEGUARD_ADVISORY']);
    expect(codes(pnpm("    resolution: {integrity: sha512-x}\n    name: 'left-pad'", 'innocent@1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
  });

  it('leaves protocol keys alone (pnpm 11/12 runtime entries: `node@runtime:26.7.0` with `version: 26.7.0`)', () => {
    expect(codes(pnpm('    resolution: {type: variations}\n    version: 26.7.0', 'node@runtime:26.7.0'), 'node')).toEqual([]);
  });

  it('refuses a resolution.tarball naming another package or host, and passes the real registry URLs', () => {
    expect(codes(pnpm(`    resolution: {integrity: sha512-x, tarball: ${NPM}/event-stream/-/event-stream-3.3.6.tgz}`, 'innocent@1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(pnpm('    resolution: {tarball: https://evil.test/innocent/-/innocent-1.0.0.tgz}', 'innocent@1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(pnpm('    resolution: {integrity: sha512-x, tarball: http://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz}', 'innocent@1.0.0'), 'innocent')).toEqual([]);
    expect(codes(pnpm("    resolution: {integrity: sha512-x, tarball: 'http://127.0.0.1:4873/@s%2finnocent/-/innocent-1.0.0.tgz?x'}", "'@s/innocent@1.0.0'"), '@s/innocent')).toEqual([]);
    // A tarball key whose resolution points elsewhere than the key's URL.
    expect(codes(pnpm('    resolution: {tarball: https://evil.test/x.tgz}\n    version: 1.0.0', "dep@https://good.test/dep.tgz"), 'dep')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(pnpm('    resolution: {tarball: https://good.test/dep.tgz}\n    version: 1.0.0', "dep@https://good.test/dep.tgz"), 'dep')).toEqual([]);
  });
});

describe('pnpm-lock.yaml: a semver specifier locked to a URL', () => {
  const lock = (specifier: string) =>
    readPnpmLock(`lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      innocent:\n        specifier: '${specifier}'\n        version: https://evil.test/x.tgz\npackages:\n  innocent@https://evil.test/x.tgz:\n    resolution: {tarball: https://evil.test/x.tgz}\n    version: 1.0.0\nsnapshots:\n  innocent@https://evil.test/x.tgz: {}\n`, 'pnpm-lock.yaml').packages;
  it('is a registry package from a foreign host; the URL the project asked for is its own choice', () => {
    expect(codes(lock('^1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(lock('https://evil.test/x.tgz'), 'innocent')).toEqual([]);
  });
});

const npmLock = (entry: object, rootDeps: Record<string, string> = { innocent: '^1.0.0' }) =>
  readNpmLock(JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: rootDeps }, 'node_modules/innocent': entry } }), 'package-lock.json', ['http://127.0.0.1:4873']).packages;

describe('package-lock.json / npm-shrinkwrap.json identity', () => {
  it('refuses a resolved URL naming another package, version or host', () => {
    expect(codes(npmLock({ version: '1.0.0', resolved: `${NPM}/event-stream/-/event-stream-3.3.6.tgz` }), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(npmLock({ version: '1.0.0', resolved: `${NPM}/innocent/-/innocent-1.0.1.tgz` }), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    // A semver range never resolves to an arbitrary tarball: the URL must be a registry's.
    expect(codes(npmLock({ version: '1.0.0', resolved: 'https://evil.test/x.tgz' }), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(npmLock({ version: '1.0.0', resolved: 'HTTP://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz' }), 'innocent')).toEqual([]);
  });

  it('keeps URL dependencies the project asked for, and npm aliases', () => {
    expect(codes(npmLock({ version: '1.0.0', resolved: 'https://evil.test/x.tgz' }, { innocent: 'https://evil.test/x.tgz' }), 'innocent')).toEqual([]);
    expect(codes(npmLock({ name: 'real', version: '2.0.0', resolved: `${NPM}/real/-/real-2.0.0.tgz` }, { innocent: 'npm:real@^2' }), 'real')).toEqual([]);
  });
});

const berry = (resolution: string, version = '1.0.0', descriptor = 'innocent@npm:^1.0.0') =>
  readYarnLock(`__metadata:\n  version: 8\n\n"${descriptor}":\n  version: ${version}\n  resolution: "${resolution}"\n  languageName: node\n  linkType: hard\n`, 'yarn.lock', ['http://127.0.0.1:4873']).packages;

describe('yarn.lock identity', () => {
  it('Berry: refuses an __archiveUrl naming another package or host, a forged version: field, an npm: descriptor resolved to a URL', () => {
    const url = (u: string) => `innocent@npm:1.0.0::__archiveUrl=${encodeURIComponent(u)}`;
    expect(codes(berry(url(`${NPM}/event-stream/-/event-stream-3.3.6.tgz`)), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(berry(url('https://evil.test/innocent/-/innocent-1.0.0.tgz')), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(berry(url('http://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz')), 'innocent')).toEqual([]);
    const forged = berry('event-stream@npm:3.3.6', '3.3.5', 'event-stream@npm:^3.3.0');
    expect(forged[0]).toMatchObject({ version: '3.3.6' });
    expect(codes(forged, 'event-stream')).toEqual(['LIFEGUARD_LOCKFILE', 'LIFEGUARD_ADVISORY']);
    expect(codes(berry('innocent@https://evil.test/x.tgz'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(berry('innocent@https://evil.test/x.tgz', '1.0.0', 'innocent@https://evil.test/x.tgz'), 'innocent')).toEqual([]);
  });

  it('classic: refuses a resolved URL naming another package or host', () => {
    const classic = (resolved: string, key = 'innocent@^1.0.0') => readYarnLock(`# yarn lockfile v1\n\n"${key}":\n  version "1.0.0"\n  resolved "${resolved}"\n`, 'yarn.lock').packages;
    expect(codes(classic('https://registry.yarnpkg.com/event-stream/-/event-stream-3.3.6.tgz#abc'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(classic('https://evil.test/innocent/-/innocent-1.0.0.tgz'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(classic('https://registry.yarnpkg.com/innocent/-/innocent-1.0.0.tgz#abc'), 'innocent')).toEqual([]);
    expect(codes(classic('https://registry.yarnpkg.com/real/-/real-1.0.0.tgz', 'innocent@npm:real@^1.0.0'), 'real')).toEqual([]);
  });

  it("classic: a block is what the descriptor that asked for its URL, or its npm: alias, says (a project's resolutions)", () => {
    const block = (keys: string, version: string, resolved: string) => readYarnLock(`# yarn lockfile v1\n\n${keys}:\n  version "${version}"\n  resolved "${resolved}"\n`, 'yarn.lock').packages;
    // pulsar: `resolutions: { "ctags": "https://github.com/…#c32c…", "**/underscore-plus": "npm:@pulsar-edit/underscore-plus@1.8.3" }`
    const git = block('ctags@^3.1.0, "ctags@https://github.com/pulsar-edit/node-ctags.git#c32c"', '3.1.0', 'https://github.com/pulsar-edit/node-ctags.git#c32c');
    expect(git[0]).toMatchObject({ name: 'ctags', source: 'git' });
    expect(codes(git, 'ctags')).toEqual([]);
    const alias = block('underscore-plus@1.x, "underscore-plus@npm:@pulsar-edit/underscore-plus@1.8.3"', '1.8.3', 'https://registry.yarnpkg.com/@pulsar-edit/underscore-plus/-/underscore-plus-1.8.3.tgz#588a');
    expect(alias[0]).toMatchObject({ name: '@pulsar-edit/underscore-plus', version: '1.8.3', source: 'registry' });
    expect(codes(alias, '@pulsar-edit/underscore-plus')).toEqual([]);
    // A planted descriptor naming a registry tarball does not make it a URL package: the URL is still checked.
    const planted = block('event-stream@^3.3.4, "event-stream@https://registry.yarnpkg.com/event-stream/-/event-stream-3.3.6.tgz"', '3.3.5', 'https://registry.yarnpkg.com/event-stream/-/event-stream-3.3.6.tgz#abc');
    expect(codes(planted, 'event-stream')).toContain('LIFEGUARD_LOCKFILE');
    // Without a descriptor asking for it, a GitHub URL behind a semver range is still refused.
    expect(codes(block('ctags@^3.1.0', '3.1.0', 'https://github.com/pulsar-edit/node-ctags.git#c32c'), 'ctags')).toEqual(['LIFEGUARD_LOCKFILE']);
  });
});

describe('bun.lock identity', () => {
  // `packages` entries as Bun 1.4.5 writes them: `[name@version, tarball URL ("" = the configured registry), info, integrity]`.
  const bun = (url: string, name = 'event-stream', version = '3.3.6') =>
    readBunLock(`{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"${name}": "${version}"}}}, "packages": {"${name}": ["${name}@${version}", "${url}", {}, "sha512-x"]}}`, 'bun.lock', ['http://127.0.0.1:4873/']).packages;

  it('refuses a URL naming another package or a foreign host, and passes the registry default and the project registry', () => {
    expect(codes(bun(`${NPM}/left-pad/-/left-pad-1.3.0.tgz`, 'innocent', '1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(bun('https://evil.test/innocent/-/innocent-1.0.0.tgz', 'innocent', '1.0.0'), 'innocent')).toEqual(['LIFEGUARD_LOCKFILE']);
    // The malicious 3.3.6 tarball under a 3.3.5 entry (Bun downloads the URL): refused as an entry that disagrees with itself.
    expect(codes(bun(`${NPM}/event-stream/-/event-stream-3.3.6.tgz`, 'event-stream', '3.3.5'), 'event-stream')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(bun('', 'innocent', '1.0.0'), 'innocent')).toEqual([]);
    expect(codes(bun('http://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz', 'innocent', '1.0.0'), 'innocent')).toEqual([]);
  });
});

describe('identity with hostile keys', () => {
  it('keeps __proto__ / constructor entries and case variants as data, and still refuses them', () => {
    const npm = readNpmLock(JSON.stringify({ lockfileVersion: 3, packages: JSON.parse('{"":{},"node_modules/__proto__":{"version":"1.0.0","resolved":"https://evil.test/__proto__/-/__proto__-1.0.0.tgz"},"node_modules/Constructor":{"version":"1.0.0","resolved":"https://REGISTRY.npmjs.org/constructor/-/constructor-1.0.0.tgz"}}') }), 'package-lock.json').packages;
    expect(codes(npm, '__proto__')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(npm, 'Constructor')).toEqual([]);
    const yarn = readYarnLock(`__metadata:\n  version: 8\n\n"__proto__@npm:1.0.0":\n  version: 1.0.0\n  resolution: "__proto__@npm:1.0.0::__archiveUrl=https%3A%2F%2Fevil.test%2Fx.tgz"\n  languageName: node\n  linkType: hard\n`, 'yarn.lock').packages;
    expect(codes(yarn, '__proto__')).toEqual(['LIFEGUARD_LOCKFILE']);
    const pn = readPnpmLock(`lockfileVersion: '9.0'\npackages:\n  __proto__@1.0.0:\n    resolution: {integrity: sha512-x, tarball: 'https://evil.test/__proto__/-/__proto__-1.0.0.tgz'}\n    version: 6.6.6\n`, 'pnpm-lock.yaml').packages;
    expect(codes(pn, '__proto__')).toEqual(['LIFEGUARD_LOCKFILE']);
  });
});
