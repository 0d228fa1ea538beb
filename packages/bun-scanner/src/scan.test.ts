import { compilePolicy, defaultPolicy, parsePolicy } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { scanPackages, type BunPackage } from './scan';

const policy = (json: unknown) => compilePolicy(parsePolicy(JSON.stringify(json), '/p/lifeguard.json'));
const pkg = (name: string, version: string, requestedRange = version, tarball = `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`): BunPackage => ({ name, version, requestedRange, tarball });

describe('scanPackages (Bun scanner verdicts)', () => {
  it('turns refusals into fatal advisories with the message, the fix and the policy', () => {
    const { advisories, warnings } = scanPackages(policy({ packages: { deny: ['left-pad'] } }), '/p/lifeguard.json', [pkg('left-pad', '1.0.0'), pkg('lodash', '4.17.21')]);
    expect(warnings).toEqual([]);
    expect(advisories).toHaveLength(1);
    expect(advisories[0]).toMatchObject({ level: 'fatal', package: 'left-pad', url: null });
    expect(advisories[0]?.description).toContain('Lifeguard refused left-pad@1.0.0 before Bun downloaded anything [LIFEGUARD_DENY, rule packages.deny]');
    expect(advisories[0]?.description).toContain('to allow it: remove "left-pad" from "packages.deny" in lifeguard.json');
    expect(advisories[0]?.description).toContain('policy: /p/lifeguard.json');
  });

  it('links the OSV record of a known-malicious release, and refuses typosquats under the default policy', () => {
    const { advisories } = scanPackages(defaultPolicy(), undefined, [pkg('event-stream', '3.3.6'), pkg('exprress', '1.0.0')]);
    expect(advisories.map((a) => a.package)).toEqual(['event-stream', 'exprress']);
    expect(advisories[0]?.url).toMatch(/^https:\/\/osv\.dev\/vulnerability\//);
    expect(advisories[1]?.description).toContain('LIFEGUARD_TYPOSQUAT');
  });

  it('never returns a Bun `warn`: warnings come back as lines to print, and the install goes on', () => {
    const { advisories, warnings } = scanPackages(policy({ typosquat: { action: 'warn' } }), undefined, [pkg('exprress', '1.0.0')]);
    expect(advisories).toEqual([]);
    expect(warnings[0]).toMatch(/^Lifeguard warning \[LIFEGUARD_TYPOSQUAT/);
  });

  it('refuses a git/URL/path request that the project itself did not make, unless sources.allow lists it', () => {
    const url = 'https://evil.test/codec-2.0.0.tgz';
    const codec = pkg('codec', '2.0.0', url, url);
    const refused = scanPackages(defaultPolicy(), undefined, [codec]).advisories;
    expect(refused[0]?.description).toContain('[LIFEGUARD_SOURCE, rule sources.exotic]');
    expect(refused[0]?.description).toContain(`to allow it: add "${url}" to "sources.allow" in lifeguard.json`);
    // The project's own package.json chose it: fine.
    expect(scanPackages(defaultPolicy(), undefined, [codec], new Map([['codec', new Set([url])]])).advisories).toEqual([]);
    // The same name declared from the registry does not cover a copy requested from a URL.
    expect(scanPackages(defaultPolicy(), undefined, [codec], new Map([['codec', new Set(['^2.0.0'])]])).advisories).toHaveLength(1);
    expect(scanPackages(policy({ sources: { allow: ['https://evil.test/*'] } }), undefined, [codec]).advisories).toEqual([]);
  });

  it('judges each release once', () => {
    expect(scanPackages(policy({ packages: { deny: ['left-pad'] } }), undefined, [pkg('left-pad', '1.0.0'), pkg('left-pad', '1.0.0')]).advisories).toHaveLength(1);
  });

  it('refuses a registry package whose tarball is another package\'s or on a host no registry config names (a forged bun.lock entry)', () => {
    const swapped = pkg('@acme/plain', '1.0.0', '1.0.0', 'http://127.0.0.1:4873/@acme/evil/-/evil-1.0.0.tgz');
    const refused = scanPackages(defaultPolicy(), undefined, [swapped], new Map(), ['http://127.0.0.1:4873/']).advisories;
    expect(refused.map((a) => a.package)).toEqual(['@acme/plain']);
    expect(refused[0]?.description).toContain('LIFEGUARD_LOCKFILE');
    const foreign = pkg('@acme/plain', '1.0.0', '1.0.0', 'https://evil.test/@acme/plain/-/plain-1.0.0.tgz');
    expect(scanPackages(defaultPolicy(), undefined, [foreign], new Map(), ['http://127.0.0.1:4873/']).advisories.map((a) => a.package)).toEqual(['@acme/plain']);
    const own = pkg('@acme/plain', '1.0.0', '1.0.0', 'http://127.0.0.1:4873/@acme/plain/-/plain-1.0.0.tgz');
    expect(scanPackages(defaultPolicy(), undefined, [own], new Map(), ['http://127.0.0.1:4873/']).advisories).toEqual([]);
  });
});
