/**
 * The engine (pnpmfile.ts bundled: core, loader, name lists) travels in the same file as the
 * entry, after ENGINE_MARKER, each line commented out with `//`: V8 skips a comment far faster
 * than it parses code (measured: ~0.8 ms vs ~20 ms for the 690 kB bundle), and the pnpmfile stays
 * one self-contained file whose checksum covers everything that runs. It is compiled only when a
 * hook must judge something new, with V8's code cache kept in Lifeguard's cache folder, keyed by
 * build, Node version and architecture (V8 rejects a blob made for other source or flags; a
 * rejected or unreadable blob only costs a normal compile).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeAtomic } from '@lifeguard/loader/paths';

export const ENGINE_MARKER = '//@lifeguard-engine ';
const HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const TAIL = '\n})';

export interface Compiled<T> {
  readonly exports: T;
  /** Writes the code cache when there was none (or V8 rejected it); call after the engine has run once. */
  readonly saveCodeCache: () => void;
  readonly fromCodeCache: boolean;
}

/** The engine's source out of the pnpmfile's text: the lines after the marker, `//` removed. */
export function engineSource(text: string, build: string): { source: string; line: number } {
  const marker = `\n${ENGINE_MARKER}${build}\n`;
  const at = text.indexOf(marker);
  // The pnpmfile was replaced since it was loaded (another build): never run a mix of two builds.
  if (at < 0) throw new Error(`Lifeguard: ${build} engine not found in the pnpmfile; it was replaced during this command. Run the command again.`);
  const start = at + marker.length;
  const line = text.slice(0, start).split('\n').length - 1;
  const lines = text.slice(start).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { source: lines.map((l) => l.slice(2)).join('\n'), line };
}

/** A code cache file this user owns and nobody else may write, or undefined. */
function readOwned(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    const buf = Buffer.alloc(st.size);
    return readSync(fd, buf, 0, st.size, 0) === st.size ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Compiles and runs the engine embedded in `pnpmfile` (CommonJS: it gets the entry's `require`).
 * Stack traces name the pnpmfile and the line where the engine's code is in it.
 */
export function compileEngine<T>(pnpmfile: string, build: string, cacheFolder: string | undefined, req: NodeJS.Require): Compiled<T> {
  const { source, line } = engineSource(readFileSync(pnpmfile, 'latin1'), build);
  const cacheFile = cacheFolder === undefined ? undefined : join(cacheFolder, `${build}-${process.version}-${process.arch}.v8`);
  const cachedData = cacheFile === undefined ? undefined : readOwned(cacheFile);
  const script = new Script(HEAD + source + TAIL, { filename: pnpmfile, lineOffset: line - 1, ...(cachedData ? { cachedData } : {}) });
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void;
  const module = { exports: {} as unknown };
  fn.call(module.exports, module.exports, req, module, pnpmfile, dirname(pnpmfile));
  const fromCodeCache = cachedData !== undefined && script.cachedDataRejected !== true;
  let saved = fromCodeCache || cacheFile === undefined;
  return {
    exports: module.exports as T,
    fromCodeCache,
    saveCodeCache: () => {
      if (saved || cacheFile === undefined) return;
      saved = true;
      writeAtomic(cacheFile, [script.createCachedData()]);
    },
  };
}
