import { evaluate } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../core/src/checks/test-policy';
import { lockedIdentity, urlForRange } from './identity';
import type { Configuration, Locator, YarnCore } from './yarn';

const core = { structUtils: { stringifyIdent: (l: Locator) => (l.scope ? `@${l.scope}/${l.name}` : l.name) } } as unknown as YarnCore;
const configuration = (server: string): Configuration => ({ projectCwd: null, get: (k: string) => (k === 'npmRegistryServer' ? server : undefined), useWithSource: () => undefined });
const locator = (name: string, reference: string): Locator => ({ name, scope: null, reference, identHash: 'i', locatorHash: 'l' });
const codes = (reference: string, version: string | null, server = 'http://127.0.0.1:4873') => {
  const facts = lockedIdentity(core, locator(reference.startsWith('npm:3') ? 'event-stream' : 'innocent', reference), version, configuration(server));
  return facts ? evaluate(policyOf({}), facts).findings.map((f) => f.code) : [];
};

describe('yarn plugin: lockfile identity', () => {
  it('refuses a version: field that is not the locator\'s, and judges the locator', () => {
    expect(codes('npm:3.3.6', '3.3.5')).toEqual(['LIFEGUARD_LOCKFILE', 'LIFEGUARD_ADVISORY']);
    expect(codes('npm:1.0.0', '1.0.0')).toEqual([]);
    expect(lockedIdentity(core, locator('a', 'workspace:.'), '1.0.0', configuration(''))).toBeUndefined();
  });

  it('refuses an __archiveUrl naming another package or a foreign host, passes the configured registry', () => {
    const ref = (u: string) => `npm:1.0.0::__archiveUrl=${encodeURIComponent(u)}`;
    expect(codes(ref('https://registry.yarnpkg.com/event-stream/-/event-stream-3.3.6.tgz'), '1.0.0')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(ref('https://evil.test/innocent/-/innocent-1.0.0.tgz'), '1.0.0')).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(codes(ref('http://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz'), '1.0.0')).toEqual([]);
  });

  it('judges a URL locator that only npm: ranges resolved to as a registry package', () => {
    const judge = (ranges: string[], url = 'https://evil.test/x.tgz') => {
      const facts = urlForRange(core, locator('innocent', url), '1.0.0', ranges, configuration('http://127.0.0.1:4873'));
      return facts ? evaluate(policyOf({}), facts).findings.map((f) => f.code) : [];
    };
    expect(judge(['npm:1.0.0', 'npm:^1.0.0'])).toEqual(['LIFEGUARD_LOCKFILE']);
    expect(judge(['npm:1.0.0'], 'http://127.0.0.1:4873/innocent/-/innocent-1.0.0.tgz')).toEqual([]);
    expect(judge(['https://evil.test/x.tgz'])).toEqual([]);
    expect(judge([])).toEqual([]);
  });
});
