import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * When a compiled feed is stale. The quick fingerprint (the folder's inode and mtime, the git commit
 * HEAD points to) costs O(1) syscalls and is compared on every load; the deep one (path, size and
 * mtime of every record) needs the whole walk and runs on a new commit or every `recheckHours`.
 */

/** O(1) fingerprint, compared on every load. */
export interface QuickFingerprint {
  readonly ino: number;
  readonly dev: number;
  readonly mtimeMs: number;
  readonly git: string | null;
}

/** Full-walk fingerprint, compared every `recheckHours`. */
export interface DeepFingerprint {
  readonly files: number;
  readonly bytes: number;
  /** SHA-256 over every record's path, size and mtime, in walk order. */
  readonly stats: string;
}

/** The commit HEAD points to, if `dir` is inside a git work tree (no git binary needed). */
export function gitHead(dir: string): string | null {
  let d = dir;
  for (let i = 0; i < 64; i++) {
    const dotGit = join(d, '.git');
    let gitDir: string | undefined;
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) gitDir = dotGit;
      else {
        const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (m?.[1]) gitDir = resolve(d, m[1].trim());
      }
    } catch {
      /* not here */
    }
    if (gitDir !== undefined) return readHead(gitDir);
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
  return null;
}

function readHead(gitDir: string): string | null {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (ref === undefined) return head; // detached
    // worktrees keep refs in the common dir
    let common = gitDir;
    try {
      common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      /* not a linked worktree */
    }
    for (const base of [gitDir, common]) {
      try {
        return `${ref}@${readFileSync(join(base, ref), 'utf8').trim()}`;
      } catch {
        /* maybe packed */
      }
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line ? `${ref}@${line.split(' ')[0]}` : `${ref}@unborn`;
  } catch {
    return 'unreadable';
  }
}

export function quickFingerprint(feed: string): QuickFingerprint {
  const st = statSync(feed);
  return { ino: st.ino, dev: st.dev, mtimeMs: st.mtimeMs, git: gitHead(feed) };
}

export const sameDeep = (a: DeepFingerprint, b: DeepFingerprint) => a.files === b.files && a.bytes === b.bytes && a.stats === b.stats;

/** Accumulates the deep fingerprint, file by file (the build feeds it from fstat, the check from stat). */
export class DeepHasher {
  private readonly hash = createHash('sha256');
  private files = 0;
  private bytes = 0;
  add(file: string, size: number, mtimeMs: number): void {
    this.files++;
    this.bytes += size;
    this.hash.update(`${file}\u0000${size}\u0000${mtimeMs}\n`);
  }
  done(): DeepFingerprint {
    return { files: this.files, bytes: this.bytes, stats: this.hash.digest('hex') };
  }
}

/**
 * The full check: path, size and mtime of every record (adding, removing, renaming or editing a
 * record changes it). The index depends only on record contents, so folder mtimes are not needed.
 */
export function deepFingerprint(files: string[]): DeepFingerprint {
  const h = new DeepHasher();
  for (const f of files) {
    const st = statSync(f);
    h.add(f, st.size, st.mtimeMs);
  }
  return h.done();
}
