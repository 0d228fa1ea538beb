import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError } from '@lifeguard/core';
import { loadPolicyFile } from './index';
import { feedCacheFiles, gitHead, loadFeed, loadFeedIndex, type FeedLoadOptions } from './feeds';

let dir: string;
let feed: string;
let cacheDir: string;
const opts = (more: Partial<FeedLoadOptions> = {}): FeedLoadOptions => ({ cacheDir, env: {}, minRecordsToCache: 0, ...more });

/** Writes one OSSF-shaped record at `<feed>/<name>/<id>.json`. */
function put(name: string, id: string, affected: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  const d = join(feed, ...name.split('/'));
  mkdirSync(d, { recursive: true });
  const file = join(d, `${id}.json`);
  const body = Object.keys(affected).length ? affected : { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] };
  writeFileSync(file, JSON.stringify({ id, summary: `Malicious code in ${name} (npm)`, affected: [{ package: { ecosystem: 'npm', name }, ...body }], ...extra }));
  return file;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeguard-feed-'));
  feed = join(dir, 'malicious-packages', 'osv', 'malicious', 'npm');
  cacheDir = join(dir, 'user-cache');
  mkdirSync(feed, { recursive: true });
  put('evil-pkg', 'MAL-2025-1');
  put('@scope/evil', 'MAL-2025-2');
  put('chalk', 'MAL-2025-46969', { versions: ['5.6.1'] }, { aliases: ['GHSA-2v46-p5h4-248w'] });
  put('ranged', 'MAL-2025-3', { ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.0' }] }] });
  put('gone', 'MAL-2025-4', {}, { withdrawn: '2025-10-01T00:00:00Z' });
  put('__proto__', 'MAL-2025-5', { versions: ['1.0.0'] });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function expectAnswers(idx: ReturnType<typeof loadFeedIndex>['index'], size = 5): void {
  expect(idx.match('evil-pkg', '9.9.9').map((m) => m.id)).toEqual(['MAL-2025-1']);
  expect(idx.match('evil-pkg', '9.9.9')[0]).toEqual({ id: 'MAL-2025-1', aliases: [], summary: 'Malicious code in evil-pkg (npm)', source: feed });
  expect(idx.match('@scope/evil', '1.0.0')).toHaveLength(1);
  expect(idx.match('chalk', '5.6.1')).toEqual([{ id: 'MAL-2025-46969', aliases: ['GHSA-2v46-p5h4-248w'], summary: 'Malicious code in chalk (npm)', source: feed }]);
  expect(idx.match('chalk', '5.6.0')).toEqual([]);
  expect(idx.match('chalk', '5.6.2')).toEqual([]);
  expect(idx.match('ranged', '1.1.0')).toHaveLength(1);
  expect(idx.match('ranged', '1.2.0')).toHaveLength(0);
  expect(idx.has('gone')).toBe(false);
  expect(idx.match('__proto__', '1.0.0')).toHaveLength(1);
  expect(idx.match('__proto__', '2.0.0')).toHaveLength(0);
  expect(idx.has('constructor')).toBe(false);
  expect(idx.match('toString', '1.0.0')).toEqual([]);
  expect(idx.size).toBe(size);
}

describe('loadFeedIndex: compiled cache', () => {
  it('builds, writes the cache beside the feed, then loads from it with the same answers', () => {
    const first = loadFeedIndex(feed, opts());
    expect(first.from).toBe('build');
    expect(first.files).toBe(6);
    expect(first.cacheFile).toBe(join(dirname(feed), '.npm.lifeguard-index.json'));
    expectAnswers(first.index);
    const second = loadFeedIndex(feed, opts());
    expect(second.from).toBe('cache');
    expectAnswers(second.index);
    // written atomically: no temp files left, feed folder itself untouched
    expect(readdirSync(dirname(feed)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(feed).some((f) => f.startsWith('.'))).toBe(false);
  });

  it('a new package folder changes the feed folder mtime: rebuilt on the next load', () => {
    loadFeedIndex(feed, opts());
    put('brand-new-evil', 'MAL-2025-9');
    const r = loadFeedIndex(feed, opts());
    expect(r.from).toBe('build');
    expect(r.reason).toMatch(/folder mtime/);
    expect(r.index.match('brand-new-evil', '1.0.0')).toHaveLength(1);
    expect(loadFeedIndex(feed, opts()).from).toBe('cache');
  });

  it('a removed package folder is noticed too', () => {
    loadFeedIndex(feed, opts());
    rmSync(join(feed, 'evil-pkg'), { recursive: true });
    const r = loadFeedIndex(feed, opts());
    expect(r.from).toBe('build');
    expect(r.index.has('evil-pkg')).toBe(false);
  });

  it('a record added inside an existing folder, or edited in place, waits for the periodic full check', () => {
    let clock = 1_000_000;
    const o = opts({ now: () => clock });
    loadFeedIndex(feed, o);
    put('chalk', 'MAL-2025-77', { versions: ['9.9.9'] }); // only chalk/'s mtime changes
    writeFileSync(join(feed, 'ranged', 'MAL-2025-3.json'), JSON.stringify({ id: 'MAL-2025-3', affected: [{ package: { ecosystem: 'npm', name: 'ranged' } }] }));
    // documented limitation: the O(1) check cannot see it...
    const stale = loadFeedIndex(feed, o);
    expect(stale.from).toBe('cache');
    expect(stale.index.match('chalk', '9.9.9')).toHaveLength(0);
    // ...the full check does, once the last one is older than recheckHours (default 24)
    clock += 25 * 3_600_000;
    const fresh = loadFeedIndex(feed, o);
    expect(fresh.from).toBe('build');
    expect(fresh.reason).toMatch(/full check/);
    expect(fresh.index.match('chalk', '9.9.9')).toHaveLength(1);
    expect(fresh.index.match('ranged', '5.0.0')).toHaveLength(1);
    // LIFEGUARD_FEED_RECHECK=always checks on every load
    put('@scope/evil', 'MAL-2025-78', { versions: ['0.0.1'] });
    expect(loadFeedIndex(feed, { ...o, env: { LIFEGUARD_FEED_RECHECK: 'always' } }).index.match('@scope/evil', '0.0.1').map((m) => m.id)).toEqual([
      'MAL-2025-2',
      'MAL-2025-78',
    ]);
  });

  it('a full check that finds no change keeps the cache and restarts the clock', () => {
    let clock = 5_000_000;
    const o = opts({ now: () => clock });
    loadFeedIndex(feed, o);
    clock += 30 * 3_600_000;
    expect(loadFeedIndex(feed, o).from).toBe('cache');
    const header = JSON.parse(readFileSync(join(dirname(feed), '.npm.lifeguard-index.json'), 'utf8').split('\n')[0] as string);
    expect(header.verifiedAt).toBe(clock);
  });

  it.each([
    ['a flipped byte in the body', (t: string) => t.replace('evil-pkg', 'evil-pkh'), /checksum/],
    ['truncation', (t: string) => t.slice(0, t.length - 20), /checksum/],
    ['a garbage header', (t: string) => `{not json\n${t.slice(t.indexOf('\n') + 1)}`, /header/],
    ['no header at all', () => 'x', /no header/],
    ['another format version', (t: string) => t.replace('"version":1', '"version":99'), /another format/],
    ['an edited header count (the size comes from the checksummed body)', (t: string) => t.replace(/"names":\d+/, '"names":1'), /.*/],
  ])('a corrupt cache (%s) is never trusted: rebuilt', (_label, mangle, reason) => {
    const built = loadFeedIndex(feed, opts());
    const file = built.cacheFile as string;
    writeFileSync(file, mangle(readFileSync(file, 'utf8')));
    const r = loadFeedIndex(feed, opts());
    if (r.from === 'build') expect(r.reason).toMatch(reason);
    expectAnswers(r.index);
    expect(loadFeedIndex(feed, opts()).from).toBe('cache');
  });

  it('a cache copied from another feed is ignored', () => {
    const other = join(dir, 'other', 'npm');
    mkdirSync(join(other, 'x'), { recursive: true });
    writeFileSync(join(other, 'x', 'MAL-1.json'), JSON.stringify({ id: 'MAL-1', affected: [{ package: { ecosystem: 'npm', name: 'x' } }] }));
    const o = loadFeedIndex(other, opts());
    loadFeedIndex(feed, opts());
    writeFileSync(join(dirname(feed), '.npm.lifeguard-index.json'), readFileSync(o.cacheFile as string));
    const r = loadFeedIndex(feed, opts());
    expect(r.from).toBe('build');
    expect(r.reason).toMatch(/another feed/);
    expect(r.index.has('x')).toBe(false);
  });

  it('falls back to the user cache folder when the sibling cannot be written', () => {
    // a folder squatting on the sibling path makes the rename fail, as a read-only parent would
    const [sibling, userCache] = feedCacheFiles(feed, { cacheDir });
    mkdirSync(join(sibling as string, 'blocker'), { recursive: true });
    const first = loadFeedIndex(feed, opts());
    expect(first.cacheFile).toBe(userCache);
    expect(userCache).toMatch(new RegExp(`^${cacheDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/feeds/[0-9a-f]{32}\\.json$`));
    const second = loadFeedIndex(feed, opts());
    expect(second.from).toBe('cache');
    expect(second.cacheFile).toBe(userCache);
    expectAnswers(second.index);
    expect(readdirSync(dirname(feed)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the cache folder defaults to LIFEGUARD_CACHE_DIR, then XDG_CACHE_HOME', () => {
    expect(feedCacheFiles(feed, { env: { LIFEGUARD_CACHE_DIR: '/c1', XDG_CACHE_HOME: '/c2' } })[1]).toMatch(/^\/c1\/feeds\//);
    expect(feedCacheFiles(feed, { env: { XDG_CACHE_HOME: '/c2' } })[1]).toMatch(/^\/c2\/lifeguard\/feeds\//);
  });

  it('LIFEGUARD_FEED_CACHE=off reads every record and writes nothing', () => {
    const r = loadFeedIndex(feed, opts({ env: { LIFEGUARD_FEED_CACHE: 'off' } }));
    expect(r.from).toBe('build');
    expectAnswers(r.index);
    for (const f of feedCacheFiles(feed, { cacheDir })) expect(existsSync(f)).toBe(false);
  });

  it('a small feed (fewer than 500 records by default) is read directly and leaves no cache file', () => {
    const r = loadFeedIndex(feed, { cacheDir, env: {} });
    expect(r.from).toBe('build');
    expect(r.reason).toMatch(/small feed \(6 records\)/);
    expectAnswers(r.index);
    for (const f of feedCacheFiles(feed, { cacheDir })) expect(existsSync(f)).toBe(false);
    expect(loadFeedIndex(feed, { cacheDir, env: { LIFEGUARD_FEED_CACHE_MIN: '6' } }).cacheFile).toBeDefined();
    expect(loadFeedIndex(feed, { cacheDir, env: { LIFEGUARD_FEED_CACHE_MIN: '6' } }).from).toBe('cache');
  });

  it('symbolic links to records and folders are followed (a linked feed must not load as empty)', () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(join(elsewhere, 'linked-dir-pkg'), { recursive: true });
    writeFileSync(join(elsewhere, 'linked-dir-pkg', 'MAL-2025-20.json'), JSON.stringify({ id: 'MAL-2025-20', affected: [{ package: { ecosystem: 'npm', name: 'linked-dir-pkg' } }] }));
    writeFileSync(join(elsewhere, 'one.json'), JSON.stringify({ id: 'MAL-2025-21', affected: [{ package: { ecosystem: 'npm', name: 'linked-file-pkg' } }] }));
    symlinkSync(join(elsewhere, 'linked-dir-pkg'), join(feed, 'linked-dir-pkg'));
    mkdirSync(join(feed, 'linked-file-pkg'));
    symlinkSync(join(elsewhere, 'one.json'), join(feed, 'linked-file-pkg', 'MAL-2025-21.json'));
    symlinkSync(feed, join(feed, 'loop')); // a cycle is walked once
    const r = loadFeedIndex(feed, opts());
    expect(r.index.match('linked-dir-pkg', '1.0.0')).toHaveLength(1);
    expect(r.index.match('linked-file-pkg', '1.0.0')).toHaveLength(1);
    expect(r.files).toBe(8);
  });

  it('names that cannot be npm names (control characters) are dropped, not allowed to break the layout', () => {
    put('ok-name', 'MAL-2025-10');
    const d = join(feed, 'weird');
    mkdirSync(d);
    writeFileSync(join(d, 'MAL-2025-11.json'), JSON.stringify({ id: 'MAL-2025-11', affected: [{ package: { ecosystem: 'npm', name: 'a\nb' } }] }));
    loadFeedIndex(feed, opts());
    const r = loadFeedIndex(feed, opts());
    expect(r.from).toBe('cache');
    expect(r.index.has('a\nb')).toBe(false);
    expect(r.index.has('a')).toBe(false);
    expect(r.index.match('ok-name', '1.0.0')).toHaveLength(1);
    expectAnswers(r.index, 6);
  });

  it('a new git commit triggers a full check (not a rebuild when the tree is unchanged)', () => {
    const git = join(dir, 'malicious-packages', '.git');
    mkdirSync(join(git, 'refs', 'heads'), { recursive: true });
    writeFileSync(join(git, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(git, 'refs', 'heads', 'main'), 'a'.repeat(40));
    expect(gitHead(feed)).toBe(`refs/heads/main@${'a'.repeat(40)}`);
    loadFeedIndex(feed, opts());
    writeFileSync(join(git, 'refs', 'heads', 'main'), 'b'.repeat(40));
    expect(loadFeedIndex(feed, opts()).from).toBe('cache'); // walked, unchanged
    put('chalk', 'MAL-2025-88', { versions: ['7.7.7'] }); // like a `git pull` adding a record to an old folder
    writeFileSync(join(git, 'refs', 'heads', 'main'), 'c'.repeat(40));
    const r = loadFeedIndex(feed, opts());
    expect(r.from).toBe('build');
    expect(r.index.match('chalk', '7.7.7')).toHaveLength(1);
  });

  it('gitHead reads packed refs and detached heads', () => {
    const git = join(dir, 'malicious-packages', '.git');
    mkdirSync(git, { recursive: true });
    writeFileSync(join(git, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(git, 'packed-refs'), `# pack-refs with: peeled\n${'d'.repeat(40)} refs/heads/main\n`);
    expect(gitHead(feed)).toBe(`refs/heads/main@${'d'.repeat(40)}`);
    writeFileSync(join(git, 'HEAD'), `${'e'.repeat(40)}\n`);
    expect(gitHead(feed)).toBe('e'.repeat(40));
  });
});

describe('loadFeed / loadPolicyFile', () => {
  const policyAt = (feeds: string[]) => {
    const file = join(dir, 'lifeguard.json');
    writeFileSync(file, JSON.stringify({ advisories: { feeds } }));
    return file;
  };

  it('advisories.feeds: a folder relative to the policy file, merged with the built-in list', () => {
    const policy = loadPolicyFile(policyAt(['./malicious-packages/osv/malicious/npm']));
    expect(policy.advisories.index.match('evil-pkg', '1.0.0')).toHaveLength(1);
    expect(policy.advisories.index.match('chalk', '5.6.1').map((m) => m.id)).toEqual(['MAL-2025-46969']); // once, built-in first
    expect(policy.advisories.index.match('chalk', '5.6.2')).toEqual([]);
    expect(policy.advisories.index.match('debug', '4.4.2')).toHaveLength(1); // built-in still there
  });

  it('a single OSV file (one record or an array) is a feed too', () => {
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify([{ id: 'GHSA-x', affected: [{ package: { ecosystem: 'npm', name: 'solo' }, versions: ['1.0.0'] }] }]));
    const idx = loadFeed(join(dir, 'lifeguard.json'), 0, 'one.json', dir);
    expect(idx.match('solo', '1.0.0')).toHaveLength(1);
    expect(idx.match('solo', '1.0.1')).toHaveLength(0);
  });

  it('a malformed record is a PolicyError naming the policy file, the feed entry and the record file; no cache written', () => {
    const bad = put('broken', 'MAL-2025-66', { ranges: [{ type: 'SEMVER', events: [{ introduced: 'not-a-version' }] }] });
    const file = policyAt(['./nothing-here', './malicious-packages/osv/malicious/npm'].slice(1));
    let err: unknown;
    try {
      loadPolicyFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    const e = err as PolicyError;
    expect(e.file).toBe(file);
    expect(e.path).toBe('$.advisories.feeds[0]');
    expect(e.message).toContain(bad);
    expect(e.message).toMatch(/not a semver version/);
    for (const f of feedCacheFiles(feed)) expect(existsSync(f)).toBe(false);
  });

  it('invalid JSON in a record, and a missing feed, are PolicyErrors too', () => {
    writeFileSync(join(feed, 'evil-pkg', 'MAL-2025-67.json'), '{"id": ');
    expect(() => loadPolicyFile(policyAt(['malicious-packages/osv/malicious/npm']))).toThrow(/feeds\[0\].*valid JSON.*MAL-2025-67\.json/s);
    expect(() => loadPolicyFile(policyAt(['does/not/exist']))).toThrow(PolicyError);
    expect(() => loadPolicyFile(policyAt(['does/not/exist']))).toThrow(/\$\.advisories\.feeds\[0\].*ENOENT/s);
    expect(() => loadPolicyFile(policyAt([' ']))).toThrow(/\$\.advisories\.feeds\[0\].*empty string/s);
  });
});
