import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs';

/**
 * Size bounds. A policy is written by hand or by `lifeguard init` (a 10,000-entry allow list is
 * ≈ 400 kB); one OSV record is a few kB, and a single-file feed that bundles records in an array
 * stays well under 64 MiB. Anything larger is not what these files hold, and reading it whole
 * would let a symlink to a huge file (or a growing one) take the package manager's memory.
 */
export const POLICY_MAX_BYTES = 1024 * 1024;
export const FEED_FILE_MAX_BYTES = 64 * 1024 * 1024;
export const FEED_RECORD_MAX_BYTES = 4 * 1024 * 1024;

/** Why a file could not be read as a regular file of bounded size. `missing`: nothing at the path. */
export class UnsafeFileError extends Error {
  override readonly name = 'UnsafeFileError';
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly found: string,
    readonly missing = false,
  ) {
    super(`${file}: expected ${expected}, found ${found}`);
  }
}

// O_NONBLOCK: opening a FIFO must not wait for a writer (pnpm 10 hung 11 minutes on one).
// O_NOCTTY: a terminal device must not become the controlling terminal.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** ` (a symbolic link to /dev/zero)` when `file` is a link, for messages. */
function via(file: string): string {
  try {
    if (!lstatSync(file).isSymbolicLink()) return '';
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      real = readlinkSync(file);
    }
    return ` (a symbolic link to ${real})`;
  } catch {
    return '';
  }
}

/**
 * Reads `file` whole, only if it is a regular file of at most `maxBytes` (symbolic links are
 * followed: a policy shared by a link is fine). Never blocks: the file is opened non-blocking and
 * checked with fstat on that same descriptor before a byte is read (no swap between check and
 * read). A dangling link is an error naming the link and its target, never "no file".
 */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    // ENOTDIR: a path component is a file (`node_modules` a plain file): nothing at the path either.
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      let target: string | undefined;
      try {
        if (lstatSync(file).isSymbolicLink()) target = readlinkSync(file);
      } catch {
        target = undefined;
      }
      if (target !== undefined) throw new UnsafeFileError(file, 'a regular file', `a symbolic link to ${target}, which does not exist`);
      throw new UnsafeFileError(file, 'a regular file', 'no such file', true);
    }
    if (code === 'ELOOP') throw new UnsafeFileError(file, 'a regular file', 'a loop of symbolic links');
    throw new UnsafeFileError(file, 'a readable regular file', code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafeFileError(file, 'a regular file', `${kindOf(st)}${via(file)}`);
    if (st.size > maxBytes) throw new UnsafeFileError(file, `a file of at most ${maxBytes} bytes`, `${st.size} bytes${via(file)}`);
    // One byte more than fstat said: a file that grows while it is read is caught, not cut short.
    const buf = Buffer.allocUnsafe(st.size + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    if (n > st.size) throw new UnsafeFileError(file, 'a file that does not change while it is read', 'a file that grew while it was read');
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
