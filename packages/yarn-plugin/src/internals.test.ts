import { describe, expect, it } from 'vitest';
import { checkInternals } from './internals';
import type { YarnCore } from './yarn';

function fakeCore(over: Record<string, unknown> = {}): YarnCore {
  return {
    YarnVersion: '4.18.1',
    MultiFetcher: { prototype: { fetch: async (_l: unknown, _o: unknown) => ({}) } },
    Project: { prototype: { getDependencyMeta: (_i: unknown, _v: unknown) => ({}), fetchEverything: async (_o: unknown) => undefined } },
    ReportError: class extends Error {},
    structUtils: { stringifyIdent: () => '' },
    ...over,
  } as unknown as YarnCore;
}

describe('checkInternals: fail rather than silently enforce nothing', () => {
  it('accepts Yarn 4 with the expected internals', () => {
    expect(checkInternals(fakeCore())).toBeNull();
  });
  it('refuses when MultiFetcher.prototype.fetch is missing or has another shape', () => {
    expect(checkInternals(fakeCore({ MultiFetcher: { prototype: {} } }))).toContain('MultiFetcher.prototype.fetch');
    expect(checkInternals(fakeCore({ MultiFetcher: { prototype: { fetch: async (_l: unknown) => ({}) } } }))).toContain('MultiFetcher');
    expect(checkInternals(fakeCore({ MultiFetcher: undefined }))).toContain('MultiFetcher');
  });
  it('refuses when Project.prototype.getDependencyMeta is missing', () => {
    const msg = checkInternals(fakeCore({ Project: { prototype: {} } }));
    expect(msg).toContain('getDependencyMeta');
    expect(msg).toContain('4.18.1');
    expect(msg).toContain('yarn plugin remove');
  });
  it('refuses when Project.prototype.fetchEverything is missing or has another shape', () => {
    expect(checkInternals(fakeCore({ Project: { prototype: { getDependencyMeta: (_i: unknown, _v: unknown) => ({}) } } }))).toContain('fetchEverything');
    expect(checkInternals(fakeCore({ Project: { prototype: { getDependencyMeta: (_i: unknown, _v: unknown) => ({}), fetchEverything: async () => undefined } } }))).toContain('fetchEverything');
  });
  it('refuses another major version', () => {
    expect(checkInternals(fakeCore({ YarnVersion: '5.0.0' }))).toContain('is not Yarn 4');
  });
});
