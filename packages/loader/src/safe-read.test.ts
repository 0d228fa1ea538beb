import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from './index';
import { loadFeed } from './feeds';
import { POLICY_MAX_BYTES, readRegularFile, UnsafeFileError } from './safe-read';

// A hang is the failure these tests exist for: a short timeout turns it into a red test.
const QUICK = { timeout: 5_000 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeguard-safe-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fifo(path: string): string {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
  return path;
}

const problem = (fn: () => unknown): UnsafeFileError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnsafeFileError) return e;
    throw e;
  }
  throw new Error('expected an UnsafeFileError');
};

describe('readRegularFile', () => {
  it('reads a regular file and one behind a symbolic link', QUICK, () => {
    writeFileSync(join(dir, 'p.json'), '{}');
    symlinkSync(join(dir, 'p.json'), join(dir, 'link.json'));
    expect(readRegularFile(join(dir, 'p.json'), 10).toString()).toBe('{}');
    expect(readRegularFile(join(dir, 'link.json'), 10).toString()).toBe('{}');
  });

  it('refuses a FIFO without waiting for a writer', QUICK, () => {
    const e = problem(() => readRegularFile(fifo(join(dir, 'lifeguard.json')), POLICY_MAX_BYTES));
    expect(e.found).toBe('a FIFO (named pipe)');
    expect(e.missing).toBe(false);
  });

  it('refuses a symbolic link to /dev/zero, naming the device', QUICK, () => {
    symlinkSync('/dev/zero', join(dir, 'lifeguard.json'));
    const e = problem(() => readRegularFile(join(dir, 'lifeguard.json'), POLICY_MAX_BYTES));
    expect(e.found).toBe('a character device (a symbolic link to /dev/zero)');
  });

  it('a dangling link names the link and its target; a missing file is "missing"', QUICK, () => {
    symlinkSync('/nonexistent/shared/lifeguard.json', join(dir, 'lifeguard.json'));
    const e = problem(() => readRegularFile(join(dir, 'lifeguard.json'), POLICY_MAX_BYTES));
    expect(e.message).toContain(join(dir, 'lifeguard.json'));
    expect(e.found).toBe('a symbolic link to /nonexistent/shared/lifeguard.json, which does not exist');
    expect(e.missing).toBe(false);
    expect(problem(() => readRegularFile(join(dir, 'none.json'), 10)).missing).toBe(true);
  });

  it('refuses a directory, a file over the bound (without reading it), and a link loop', QUICK, () => {
    mkdirSync(join(dir, 'd'));
    expect(problem(() => readRegularFile(join(dir, 'd'), 10)).found).toBe('a directory');
    writeFileSync(join(dir, 'big.json'), '');
    truncateSync(join(dir, 'big.json'), 8 * 1024 * 1024 * 1024); // sparse: 8 GiB without the disk space
    expect(problem(() => readRegularFile(join(dir, 'big.json'), POLICY_MAX_BYTES)).found).toBe(`${8 * 1024 * 1024 * 1024} bytes`);
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    expect(problem(() => readRegularFile(join(dir, 'a'), 10)).found).toBe('a loop of symbolic links');
  });
});

describe('loadPolicy: every bad policy file is a PolicyError naming it, never the default policy', () => {
  const policyError = (fn: () => unknown): PolicyError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof PolicyError) return e;
      throw e;
    }
    throw new Error('expected a PolicyError');
  };

  it('a dangling lifeguard.json link fails instead of falling back to the default policy', QUICK, () => {
    symlinkSync('/mnt/team/lifeguard.json', join(dir, 'lifeguard.json'));
    const e = policyError(() => loadPolicy(dir, {}));
    expect(e.message).toContain(`invalid policy ${join(dir, 'lifeguard.json')} at $: expected a regular file, found a symbolic link to /mnt/team/lifeguard.json, which does not exist`);
  });

  it('no file at all is still the default policy', QUICK, () => {
    expect(loadPolicy(dir, {}).file).toBeUndefined();
  });

  it('a FIFO, /dev/zero and an oversized file fail (LIFEGUARD_POLICY and --policy paths too)', QUICK, () => {
    fifo(join(dir, 'lifeguard.json'));
    expect(policyError(() => loadPolicy(dir, {})).message).toContain('found a FIFO (named pipe)');
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    expect(policyError(() => loadPolicy(dir, { LIFEGUARD_POLICY: join(dir, 'zero.json') })).message).toContain('found a character device');
    expect(policyError(() => loadPolicyFile(join(dir, 'zero.json'))).file).toBe(join(dir, 'zero.json'));
    writeFileSync(join(dir, 'big.json'), `{"scripts":{"allow":[${'"a",'.repeat(POLICY_MAX_BYTES / 4)}"a"]}}`);
    expect(policyError(() => loadPolicyFile(join(dir, 'big.json'))).message).toContain(`expected a file of at most ${POLICY_MAX_BYTES} bytes`);
  });

  it('a duplicate key is an error naming the key and its JSON path (escaped spellings too)', QUICK, () => {
    writeFileSync(join(dir, 'lifeguard.json'), '{"packages":{"deny":["event-stream"],"\\u0064eny":[]}}');
    const e = policyError(() => loadPolicy(dir, {}));
    expect(e.path).toBe('$.packages.deny');
    expect(e.message).toContain('"deny" a second time');
  });
});

describe('feeds: the same safe reads', () => {
  const policyFile = () => join(dir, 'lifeguard.json');
  const record = (extra: string) => `{"id":"MAL-1","affected":[{"package":{"ecosystem":"npm","name":"evil"}}]${extra}}`;

  it('a feed file that is a FIFO or a dangling link fails naming the feed', QUICK, () => {
    fifo(join(dir, 'feed.json'));
    expect(() => loadFeed(policyFile(), 0, 'feed.json', dir)).toThrow(/\$\.advisories\.feeds\[0\].*feed\.json: a FIFO/);
    symlinkSync(join(dir, 'gone'), join(dir, 'gone.json'));
    expect(() => loadFeed(policyFile(), 0, 'gone.json', dir)).toThrow(/gone\.json: a symbolic link to .*gone, which does not exist/);
  });

  it('a FIFO or a dangling link inside a feed folder fails, naming that entry', QUICK, () => {
    mkdirSync(join(dir, 'feed'));
    writeFileSync(join(dir, 'feed', 'MAL-1.json'), record(''));
    fifo(join(dir, 'feed', 'MAL-2.json'));
    expect(() => loadFeed(policyFile(), 0, 'feed', dir, { noCache: true })).toThrow(/MAL-2\.json: a FIFO/);
    rmSync(join(dir, 'feed', 'MAL-2.json'));
    symlinkSync('/nowhere/MAL-3.json', join(dir, 'feed', 'MAL-3.json'));
    expect(() => loadFeed(policyFile(), 0, 'feed', dir, { noCache: true })).toThrow(/MAL-3\.json: a symbolic link to \/nowhere\/MAL-3\.json, which does not exist/);
  });

  it('a record that writes "withdrawn" twice is refused, not silently unlisted', QUICK, () => {
    writeFileSync(join(dir, 'feed.json'), record(',"withdrawn":null,"withdrawn":"2020-01-01T00:00:00Z"'));
    expect(() => loadFeed(policyFile(), 0, 'feed.json', dir)).toThrow(/"withdrawn" a second time at \$\.withdrawn/);
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'folder', 'MAL-1.json'), record(',"withdrawn":null,"withdrawn":"2020-01-01T00:00:00Z"'));
    expect(() => loadFeed(policyFile(), 0, 'folder', dir, { noCache: true })).toThrow(/"withdrawn" a second time/);
  });
});
