import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { constants } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface ScriptFile {
  /** Path inside the package, `/`-separated. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** The first MAX_TEXT bytes as UTF-8 (enough for signals and indicators). */
  readonly text: string;
}

/** More than any real install helper; a bigger file is hashed but read only this far. */
const MAX_TEXT = 1 << 20;
const MAX_FILES = 20;

/**
 * The package's own files a lifecycle command names (`node setup.js`, `sh ./install.sh`): droppers keep
 * their payload there, not in the one-line script. Only regular files inside the package are read (no
 * symlink out of it, no FIFO that would hang the command, no path outside via `..`).
 */
export function filesRun(pkgDir: string, commands: readonly string[]): ScriptFile[] {
  let root: string;
  try {
    root = realpathSync(pkgDir);
  } catch {
    return [];
  }
  const out = new Map<string, ScriptFile>();
  for (const command of commands) {
    for (const raw of command.split(/[\s;&|()<>]+/)) {
      if (out.size >= MAX_FILES) break;
      const token = raw.replace(/^['"]|['"]$/g, '');
      if (token === '' || token.startsWith('-') || /[$`*?]/.test(token) || isAbsolute(token)) continue;
      const abs = resolve(root, token);
      const rel = relative(root, abs);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || out.has(rel)) continue;
      const file = readRegular(abs);
      if (file) out.set(rel, { path: rel.split(sep).join('/'), ...file });
    }
  }
  return [...out.values()];
}

function readRegular(abs: string): Omit<ScriptFile, 'path'> | undefined {
  try {
    if (!lstatSync(abs).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO swapped in after the lstat must not block the open.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const hash = createHash('sha256');
    const buf = Buffer.alloc(1 << 16);
    const head: Buffer[] = [];
    let kept = 0;
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      if (kept < MAX_TEXT) {
        head.push(Buffer.from(chunk.subarray(0, MAX_TEXT - kept)));
        kept += Math.min(n, MAX_TEXT - kept);
      }
    }
    return { sha256: hash.digest('hex'), size: st.size, text: Buffer.concat(head).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
