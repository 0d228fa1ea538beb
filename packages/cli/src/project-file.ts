import { readRegularFile, UnsafeFileError } from '@lifeguard/loader';
import { LockfileError } from './lockfiles/types';

/** Project config files and install state are small; a bigger one is not what it claims to be. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * A project file's bytes, or undefined when it is missing. Read with the loader's one regular-file
 * reader (non-blocking open, fstat on that descriptor, bounded size): a FIFO or device planted as
 * `.npmrc` or `node_modules/.modules.yaml` must not hang the CI gate. Anything else, a dangling
 * link included, throws a LockfileError naming the file (exit 2).
 */
export function readProjectFile(file: string): Buffer | undefined {
  try {
    return readRegularFile(file, MAX_BYTES);
  } catch (e) {
    if (!(e instanceof UnsafeFileError)) throw e;
    if (e.missing) return undefined;
    throw new LockfileError(file, e.expected === 'a regular file' ? `not a regular file (${e.found})` : `expected ${e.expected}, found ${e.found}`);
  }
}

export const readProjectText = (file: string): string | undefined => readProjectFile(file)?.toString('utf8');
