import { describe, expect, it } from 'vitest';
import { compileOsvRecord, entryAffects, mergeIndexes, OsvIndex, OsvRecordError } from './osv';

const rec = (affected: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'MAL-2025-1', affected, ...extra });
const npm = (name: string, more: Record<string, unknown> = {}) => ({ package: { ecosystem: 'npm', name }, ...more });
const index = (...records: unknown[]) => new OsvIndex(records.flatMap((r) => compileOsvRecord(r, 'feed/x.json')));
const semverRange = (...events: Record<string, string>[]) => ({ type: 'SEMVER', events });
const hits = (idx: OsvIndex, name: string, versions: string[]) => versions.filter((v) => idx.match(name, v).length > 0);

describe('compileOsvRecord / OsvIndex', () => {
  it('versions list: exactly those releases', () => {
    const idx = index(rec([npm('chalk', { versions: ['5.6.1'] })]));
    expect(hits(idx, 'chalk', ['5.6.0', '5.6.1', '5.6.2', '5.6.1-beta.0'])).toEqual(['5.6.1']);
    expect(idx.match('chalk', 'v5.6.1')).toHaveLength(1); // same release, loosely written
  });

  it('introduced "0" with no end, and no version information at all, mean every version', () => {
    const a = index(rec([npm('evil', { ranges: [semverRange({ introduced: '0' })] })]));
    const b = index(rec([npm('evil2')]));
    for (const v of ['0.0.1', '1.0.0', '99.0.0-rc.1', 'not-a-version']) {
      expect(a.match('evil', v)).toHaveLength(1);
      expect(b.match('evil2', v)).toHaveLength(1);
    }
  });

  it('introduced/fixed is half-open; last_affected is inclusive; limit caps the range', () => {
    const idx = index(
      rec([
        npm('a', { ranges: [semverRange({ introduced: '1.0.0' }, { fixed: '1.2.0' })] }),
        npm('b', { ranges: [semverRange({ introduced: '1.0.0' }, { last_affected: '1.2.0' })] }),
        npm('c', { ranges: [semverRange({ introduced: '0' }, { fixed: '2.0.0' })] }),
        npm('d', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { limit: '1.5.0' }] }] }),
      ]),
    );
    expect(hits(idx, 'a', ['0.9.9', '1.0.0', '1.1.9', '1.2.0', '1.2.1'])).toEqual(['1.0.0', '1.1.9']);
    expect(hits(idx, 'b', ['0.9.9', '1.0.0', '1.2.0', '1.2.1'])).toEqual(['1.0.0', '1.2.0']);
    expect(hits(idx, 'c', ['0.0.1', '1.9.9', '2.0.0'])).toEqual(['0.0.1', '1.9.9']);
    expect(hits(idx, 'd', ['0.9.0', '1.0.0', '1.4.9', '1.5.0', '3.0.0'])).toEqual(['1.0.0', '1.4.9']);
  });

  it('several introduced/fixed pairs in one range, in any order', () => {
    const events: Record<string, string>[] = [{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '2.0.0' }, { fixed: '2.1.0' }];
    const shuffled = [3, 1, 2, 0].map((i) => events[i] as Record<string, string>);
    for (const e of [events, shuffled]) {
      const idx = index(rec([npm('x', { ranges: [semverRange(...e)] })]));
      expect(hits(idx, 'x', ['0.9.0', '1.0.0', '1.0.1', '1.0.2', '1.5.0', '2.0.0', '2.0.9', '2.1.0', '3.0.0'])).toEqual([
        '1.0.0',
        '1.0.1',
        '2.0.0',
        '2.0.9',
      ]);
    }
    // the old pairwise reading turned [fixed 1.2, introduced 1.0] into "everything below 1.2"
    const idx = index(rec([npm('y', { ranges: [semverRange({ fixed: '1.2.0' }, { introduced: '1.0.0' })] })]));
    expect(hits(idx, 'y', ['0.5.0', '1.1.0', '1.2.0'])).toEqual(['1.1.0']);
  });

  it('prerelease versions sort before their release', () => {
    const idx = index(rec([npm('p', { ranges: [semverRange({ introduced: '2.0.0-rc.1' }, { fixed: '2.0.0' })] })]));
    expect(hits(idx, 'p', ['2.0.0-beta.9', '2.0.0-rc.1', '2.0.0-rc.2', '2.0.0', '1.9.9'])).toEqual(['2.0.0-rc.1', '2.0.0-rc.2']);
  });

  it('a version that is not semver never falls in a range but may be listed exactly', () => {
    const idx = index(rec([npm('q', { versions: ['latest-evil'], ranges: [semverRange({ introduced: '1.0.0' })] })]));
    expect(hits(idx, 'q', ['latest-evil', 'garbage', '1.0.0'])).toEqual(['latest-evil', '1.0.0']);
  });

  it('GIT ranges are ignored; alone they leave no version information, so all versions', () => {
    const git = { type: 'GIT', repo: 'https://x', events: [{ introduced: 'abc123' }] };
    const idx = index(
      rec([npm('g1', { ranges: [git] }), npm('g2', { ranges: [git, semverRange({ introduced: '1.0.0' }, { fixed: '1.1.0' })] })]),
    );
    expect(idx.match('g1', '5.0.0')).toHaveLength(1);
    expect(hits(idx, 'g2', ['1.0.5', '5.0.0'])).toEqual(['1.0.5']);
  });

  it('withdrawn records are ignored; other ecosystems are skipped', () => {
    expect(compileOsvRecord(rec([npm('w')], { withdrawn: '2025-01-01T00:00:00Z' }), 's')).toEqual([]);
    const idx = index(rec([{ package: { ecosystem: 'PyPI', name: 'requests' } }, npm('both')]));
    expect(idx.has('requests')).toBe(false);
    expect(idx.has('both')).toBe(true);
  });

  it('a record affecting several packages indexes each; duplicate listings report the id once', () => {
    const idx = index(
      rec([npm('nx', { versions: ['21.5.0'] }), npm('@nx/devkit', { versions: ['21.5.0'] }), npm('nx', { versions: ['20.9.0'] })]),
    );
    expect(idx.size).toBe(2);
    expect(idx.match('nx', '21.5.0').map((m) => m.id)).toEqual(['MAL-2025-1']);
    expect(idx.match('nx', '20.9.0')).toHaveLength(1);
    expect(idx.match('@nx/devkit', '21.5.0')).toHaveLength(1);
    expect(idx.match('nx', '21.4.1')).toHaveLength(0);
  });

  it('carries id, aliases, summary and source into matches', () => {
    const idx = index(rec([npm('m', { versions: ['1.0.0'] })], { aliases: ['GHSA-xxxx-yyyy-zzzz'], summary: 'Malicious code in m (npm)' }));
    expect(idx.match('m', '1.0.0')).toEqual([
      { id: 'MAL-2025-1', aliases: ['GHSA-xxxx-yyyy-zzzz'], summary: 'Malicious code in m (npm)', source: 'feed/x.json' },
    ]);
  });

  it('__proto__ and other Object.prototype names are ordinary package names', () => {
    const idx = index(rec([npm('__proto__', { versions: ['1.0.0'] }), npm('constructor')]));
    expect(idx.match('__proto__', '1.0.0')).toHaveLength(1);
    expect(idx.match('__proto__', '1.0.1')).toHaveLength(0);
    expect(idx.match('constructor', '1.0.0')).toHaveLength(1);
    expect(idx.has('toString')).toBe(false);
    expect(idx.match('hasOwnProperty', '1.0.0')).toEqual([]);
  });

  it('huge strings: summaries are cut, impossible names are dropped, errors stay short', () => {
    const huge = 'x'.repeat(5_000_000);
    const idx = index(rec([npm(huge), npm('ok')], { summary: huge }));
    expect(idx.has(huge)).toBe(false);
    expect(idx.match('ok', '1.0.0')[0]?.summary?.length).toBeLessThanOrEqual(300);
    let message = '';
    try {
      compileOsvRecord(rec([npm('z', { ranges: [semverRange({ introduced: huge })] })]), 'feed/big.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('feed/big.json');
    expect(message.length).toBeLessThan(400);
  });

  it.each([
    ['not an object', 'nope', /expected an OSV record/],
    ['no id', { affected: [] }, /no "id"/],
    ['affected not an array', { id: 'X', affected: {} }, /"affected" must be an array/],
    ['package missing', { id: 'X', affected: [{}] }, /affected\[0\]\.package/],
    ['versions not an array', rec([npm('a', { versions: '1.0.0' })]), /versions must be an array/],
    ['non-string version', rec([npm('a', { versions: [1] })]), /versions\[0\]/],
    ['range without events', rec([npm('a', { ranges: [{ type: 'SEMVER' }] })]), /events must be a non-empty array/],
    ['event with two keys', rec([npm('a', { ranges: [semverRange({ introduced: '1.0.0', fixed: '2.0.0' })] })]), /exactly one/],
    ['bad bound', rec([npm('a', { ranges: [semverRange({ introduced: 'banana' })] })]), /not a semver version/],
    ['range with no introduced event', rec([npm('a', { ranges: [semverRange({ fixed: '1.0.0' })] })]), /must contain an "introduced" event/],
    ['unknown range type', rec([npm('a', { ranges: [{ type: 'WEIRD', events: [{ introduced: '0' }] }] })]), /type must be/],
  ])('malformed record (%s) is an OsvRecordError naming the file', (_label, record, pattern) => {
    expect(() => compileOsvRecord(record, 'feeds/osv/bad.json')).toThrow(OsvRecordError);
    expect(() => compileOsvRecord(record, 'feeds/osv/bad.json')).toThrow(/^feeds\/osv\/bad\.json: /);
    expect(() => compileOsvRecord(record, 'feeds/osv/bad.json')).toThrow(pattern);
  });

  it('entryAffects agrees with the index', () => {
    const [entry] = compileOsvRecord(rec([npm('e', { versions: ['1.0.0'] })]), 's');
    expect(entry && entryAffects(entry, '1.0.0')).toBe(true);
    expect(entry && entryAffects(entry, '1.0.1')).toBe(false);
  });

  it('mergeIndexes reports an id found in several indexes once, keeping the first source', () => {
    const a = new OsvIndex(compileOsvRecord(rec([npm('chalk', { versions: ['5.6.1'] })]), 'built-in'));
    const b = new OsvIndex(compileOsvRecord(rec([npm('chalk', { versions: ['5.6.1'] })]), 'feed'));
    const c = new OsvIndex(compileOsvRecord({ id: 'GHSA-other', affected: [npm('chalk', { versions: ['5.6.1'] })] }, 'feed'));
    const m = mergeIndexes([a, b, c]);
    expect(m.match('chalk', '5.6.1').map((x) => `${x.id}@${x.source}`)).toEqual(['MAL-2025-1@built-in', 'GHSA-other@feed']);
    expect(m.has('chalk')).toBe(true);
    expect(m.match('chalk', '5.6.2')).toEqual([]);
  });
});
