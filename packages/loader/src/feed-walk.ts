import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FeedError } from './feed-error';
import { FEED_RECORD_MAX_BYTES } from './safe-read';

// Reading a feed folder: its records in one order every walk agrees on, each read without blocking.

/**
 * Every `.json` record under the feed (dot-entries skipped), sorted so every walk agrees. Symbolic
 * links are followed (a feed assembled from links must not load as empty), each real folder once.
 */
export function walkFeed(feed: string): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let st;
        try {
          st = statSync(p);
        } catch (e) {
          throw new FeedError(p, 'a readable OSV record or folder', danglingLink(p) ?? (e as NodeJS.ErrnoException).code ?? 'unreadable');
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          const real = realpathSync(p);
          if (seen.has(real)) continue;
          seen.add(real);
        }
      }
      if (isDir) walk(p);
      else if (isFile && entry.name.endsWith('.json')) files.push(p);
      // A FIFO or device posing as a record: reading it would hang or never end; skipping it would hide it.
      else if (entry.name.endsWith('.json')) throw new FeedError(p, 'an OSV record in a regular file', 'a FIFO, socket or device');
    }
  };
  seen.add(realpathSync(feed));
  walk(feed);
  // one global path order, so the build and the full check hash records in the same order
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `a symbolic link to <target>, which does not exist` when `path` is a dangling link, else undefined. */
export function danglingLink(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    const target = readlinkSync(path);
    return existsSync(path) ? undefined : `a symbolic link to ${target}, which does not exist`;
  } catch {
    return undefined;
  }
}

/** One read buffer reused across records (a fresh buffer per file is 220,000 allocations to collect). */
let readBuffer = Buffer.allocUnsafe(1 << 20);

/** Reads one file, with its fstat (no second stat per file). */
export function readRecord(file: string): { text: string; size: number; mtimeMs: number } {
  // Non-blocking open and a check on the open descriptor: a FIFO or device named `x.json` fails, never hangs.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FeedError(file, 'an OSV record in a regular file', st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() ? 'a character device' : 'not a regular file');
    if (st.size > FEED_RECORD_MAX_BYTES) throw new FeedError(file, `an OSV record of at most ${FEED_RECORD_MAX_BYTES} bytes`, `${st.size} bytes`);
    if (st.size > readBuffer.length) readBuffer = Buffer.allocUnsafe(st.size);
    const buf = readBuffer;
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return { text: buf.toString('utf8', 0, n), size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}
