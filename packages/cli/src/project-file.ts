import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { LockfileError } from './lockfiles/types';

/** Project config files and install state are small; a bigger one is not what it claims to be. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * A project file's bytes, or undefined when it is missing. Opened without blocking and read only
 * if it is a regular file of bounded size: a FIFO or device planted as `.npmrc` or
 * `node_modules/.modules.yaml` must not hang the CI gate. Anything else throws a LockfileError naming the file (exit 2).
 */
export function readProjectFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new LockfileError(file, `cannot read (${code ?? String(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new LockfileError(file, 'not a regular file');
    if (st.size > MAX_BYTES) throw new LockfileError(file, `${st.size} bytes, more than the ${MAX_BYTES} a project file may have`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const readProjectText = (file: string): string | undefined => readProjectFile(file)?.toString('utf8');
