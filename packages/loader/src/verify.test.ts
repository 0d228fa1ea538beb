import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyFeed } from './verify';

const record = (name: string, id: string) => JSON.stringify({ id, affected: [{ package: { ecosystem: 'npm', name }, versions: ['1.0.0'] }] });

describe('verifyFeed', () => {
  const root = mkdtempSync(join(tmpdir(), 'lg-verify-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists every malformed record of a folder, each with its file and what is wrong, and counts the rest', () => {
    const feed = join(root, 'osv');
    for (const d of ['a', 'b', 'c', 'd']) mkdirSync(join(feed, d), { recursive: true });
    writeFileSync(join(feed, 'a', 'MAL-1.json'), record('a', 'MAL-1'));
    writeFileSync(join(feed, 'b', 'MAL-2.json'), '{ not json');
    writeFileSync(join(feed, 'c', 'MAL-3.json'), JSON.stringify({ affected: [] })); // no id
    writeFileSync(join(feed, 'd', 'MAL-4.json'), `[${record('d', 'MAL-4')}, ${record('d2', 'MAL-5')}]`);
    const r = verifyFeed(feed);
    expect(r).toMatchObject({ files: 4, records: 3 });
    expect(r.problems.map((p) => p.file)).toEqual([join(feed, 'b', 'MAL-2.json'), join(feed, 'c', 'MAL-3.json')]);
    expect(r.problems[0]!.message).toContain('expected an OSV record in valid JSON');
    expect(r.problems[1]!.message).toContain('"id"');
  });

  it('verifies a single feed file, and reports an unreadable path as the one problem', () => {
    const file = join(root, 'one.json');
    writeFileSync(file, record('x', 'MAL-9'));
    expect(verifyFeed(file)).toMatchObject({ files: 1, records: 1, problems: [] });
    const missing = verifyFeed(join(root, 'nope'));
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]!.message).toContain('ENOENT');
  });
});
