import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../output';

/** One file `init` will write, computed before anything is written. */
export interface PlannedWrite {
  readonly file: string;
  readonly content: string | Buffer;
}

/** The file's text, or '' when it does not exist. */
export const readText = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/**
 * Writes every planned file or none: each goes to a temp file beside its target first, and only
 * when all of them are on disk are they renamed into place. A failure before that (a full disk, a
 * read-only directory) removes the temp files and leaves the project as it was.
 */
export function applyWrites(writes: readonly PlannedWrite[]): void {
  const staged: [string, string][] = [];
  for (const w of writes) {
    try {
      mkdirSync(dirname(w.file), { recursive: true });
      const tmp = `${w.file}.lifeguard-${process.pid}.tmp`;
      writeFileSync(tmp, w.content, { flag: 'wx' });
      staged.push([tmp, w.file]);
    } catch (e) {
      for (const [tmp] of staged) rmSync(tmp, { force: true });
      throw new UsageError(`cannot write ${w.file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing was written`);
    }
  }
  for (const [tmp, file] of staged) renameSync(tmp, file);
}
