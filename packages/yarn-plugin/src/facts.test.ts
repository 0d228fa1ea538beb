import { describe, expect, it } from 'vitest';
import { derive, isLocal, projectChosen } from './facts';
import type { Descriptor, Locator, Package, Project, StructUtils } from './yarn';

const structUtils = {
  stringifyIdent: (i: { scope: string | null; name: string }) => (i.scope ? `@${i.scope}/${i.name}` : i.name),
} as unknown as StructUtils;

const ident = (full: string) => {
  const m = /^(?:@([^/]+)\/)?(.+)$/.exec(full)!;
  return { scope: m[1] ?? null, name: m[2]!, identHash: full };
};
const locator = (name: string, reference: string): Locator => ({ ...ident(name), reference, locatorHash: `${name}@${reference}` });
const pkg = (name: string, version: string, deps: Record<string, string>): Package => ({
  ...locator(name, `npm:${version}`),
  version,
  linkType: 'HARD',
  dependencies: new Map(Object.entries(deps).map(([n, r]) => [n, { ...ident(n), range: r, descriptorHash: `${n}@${r}` } as Descriptor])),
});

describe('derive', () => {
  const archive = (deps: Record<string, string>, scripts: Record<string, string> = {}) => ({ scripts, hasBindingGyp: false, dependencies: deps });

  it('takes dependencies from the resolution and scripts from the archive', () => {
    const { facts, extra } = derive(structUtils, locator('@s/a', 'npm:1.0.0'), pkg('@s/a', '1.0.0', { b: 'npm:^1.0.0' }), archive({ b: '^1.0.0' }, { postinstall: 'x' }), undefined, 'enforce');
    expect(facts).toMatchObject({ name: '@s/a', version: '1.0.0', source: 'registry', dependencies: { b: 'npm:^1.0.0' }, scripts: { postinstall: 'x' } });
    expect(extra).toEqual([]);
  });

  it('keeps dependencies named like Object.prototype members (`constructor`, `__proto__`)', () => {
    const deps = JSON.parse('{"constructor":"https://h/c.tgz","__proto__":"github:a/b"}') as Record<string, string>;
    const { facts } = derive(structUtils, locator('x', 'https://h/x.tgz'), undefined, archive(deps), '1.0.0', 'enforce');
    expect(Object.keys(facts.dependencies ?? {}).sort()).toEqual(['__proto__', 'constructor']);
    expect(facts.dependencies?.constructor).toBe('https://h/c.tgz');
  });

  it('reports LIFEGUARD_MANIFEST_MISMATCH as a warning when metadata and archive disagree', () => {
    const { facts, extra } = derive(
      structUtils,
      locator('@s/a', 'npm:1.0.0'),
      pkg('@s/a', '1.0.0', { b: 'npm:^1.0.0', 'node-gyp': 'npm:latest' }),
      archive({ b: 'https://evil.example/b.tgz', c: '^2.0.0' }),
      undefined,
      'enforce',
    );
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatchObject({ code: 'LIFEGUARD_MANIFEST_MISMATCH', action: 'warn', package: '@s/a', version: '1.0.0' });
    expect(extra[0]!.message).toContain('only the archive lists c');
    expect(extra[0]!.message).toContain('disagree on the source of b');
    expect(extra[0]!.message).not.toContain('node-gyp');
    // The archive-only dependency still reaches the source check.
    expect(facts.dependencies).toMatchObject({ b: 'npm:^1.0.0', c: '^2.0.0' });
  });

  it("compares like with like: not a package Yarn did not fetch, not the project's packageExtensions; never sends to packages.trust", () => {
    const meta = pkg('@s/a', '1.0.0', { b: 'npm:^1.0.0' });
    const loc = locator('@s/a', 'npm:1.0.0');
    // A platform package for another system: Yarn's cache hands out an empty archive.
    expect(derive(structUtils, loc, meta, archive({}), undefined, 'enforce', { fetched: false, local: false, chosen: [] }).extra).toEqual([]);
    // A packageExtensions entry added `ext` to the stored package; the registry metadata did not list it.
    const extended = pkg('@s/a', '1.0.0', { b: 'npm:^1.0.0', ext: 'npm:^2.0.0' });
    const view = { original: meta, fetched: true, local: false, chosen: [] };
    const { facts, extra } = derive(structUtils, loc, extended, archive({ b: '^1.0.0' }), undefined, 'enforce', view);
    expect(extra).toEqual([]);
    expect(facts.dependencies).toMatchObject({ b: 'npm:^1.0.0', ext: 'npm:^2.0.0' }); // still judged: Yarn installs it
    const [real] = derive(structUtils, loc, meta, archive({ b: '^1.0.0', c: '^1' }), undefined, 'enforce', view).extra;
    expect(real?.message).toContain('only the archive lists c');
    expect(real?.fix).not.toContain('packages.trust');
    expect(real?.fix).toContain('npm view @s/a@1.0.0 dependencies');
  });

  it('does not compare for non-registry packages (their Package comes from the archive itself)', () => {
    const { extra } = derive(structUtils, locator('x', 'https://h/x.tgz'), { ...pkg('x', '1.0.0', {}), reference: 'https://h/x.tgz' }, archive({ y: '^1' }), undefined, 'enforce');
    expect(extra).toEqual([]);
  });
});

describe('the project\'s own choices', () => {
  const su = {
    ...structUtils,
    parseLocator: (s: string) => {
      const at = s.indexOf('@', s.startsWith('@') ? 1 : 0);
      return locator(s.slice(0, at), s.slice(at + 1));
    },
  } as unknown as StructUtils;
  const ws = 'app@workspace:.';
  const project = (stored: Package[], original: Package[]) =>
    ({
      storedPackages: new Map(stored.map((p) => [p.locatorHash, p])),
      originalPackages: new Map(original.map((p) => [p.locatorHash, p])),
      tryWorkspaceByLocator: (l: Locator) => (`${l.name}@${l.reference}` === ws ? {} : null),
    }) as unknown as Project;
  const bound = (path: string, to: string) => `${path}::locator=${encodeURIComponent(to)}`;

  it('names the dependencies a resolution rewrote to a path bound to the project, not a range that arrived bound', () => {
    const before = pkg('pub', '1.0.0', { native: 'npm:^1.0.0', forged: bound('link:../x', ws), own: 'link:../y' });
    const after = pkg('pub', '1.0.0', { native: bound('link:./stubs/native', ws), forged: bound('link:../x', ws), own: bound('link:../y', 'pub@npm:1.0.0') });
    expect(projectChosen(su, project([after], [before]), after)).toEqual(['native']);
  });

  it('calls a file:/link:/portal: package local when it is bound to a workspace or to another local package', () => {
    const p = project([], []);
    const fixture = locator('fixture', bound('file:./fixtures/a#./fixtures/a', ws));
    expect(isLocal(su, p, fixture)).toBe(true);
    expect(isLocal(su, p, locator('nested', bound('portal:../b', `fixture@${fixture.reference}`)))).toBe(true);
    expect(isLocal(su, p, locator('vendored', bound('file:./vendor#./vendor', 'pub@npm:1.0.0')))).toBe(false);
    expect(isLocal(su, p, locator('reg', 'npm:1.0.0'))).toBe(false);
  });
});
