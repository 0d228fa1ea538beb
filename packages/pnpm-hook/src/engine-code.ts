/**
 * The engine (pnpmfile.ts bundled: core, loader, name lists) travels in the same file as the
 * entry, after ENGINE_MARKER, brotli-compressed and base64 in one `//` comment: V8 skips a comment
 * far faster than it parses code (measured: +1.7 ms over a bare module for entry and comment, vs
 * ≈ 13–25 ms for the 690 kB bundle as code), and the pnpmfile stays one self-contained file whose checksum covers
 * everything that runs. It is compiled only when a hook must judge something new, with V8's code
 * cache kept in Lifeguard's cache folder, named by build (a hash of the engine's text), Node version
 * and architecture. The name is what ties a blob to its source: V8 rejects a corrupt blob or one
 * made under other flags (then: a normal compile), but measured on Node 20.20.2 it accepted a blob
 * made for a different, longer source and ran the cached code, so its own check is not relied on.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeAtomic } from '@lifeguard/loader/paths';
import { NONBLOCKING } from './memo';

export const ENGINE_MARKER = '//@lifeguard-engine ';
const HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const TAIL = '\n})';

export interface Compiled<T> {
  readonly exports: T;
  /** Writes the code cache when there was none (or V8 rejected it); call after the engine has run once. */
  readonly saveCodeCache: () => void;
  readonly fromCodeCache: boolean;
}

/** The engine's source out of the pnpmfile's text: the comment line after the marker, inflated. */
export function engineSource(text: string, build: string): string {
  const marker = `\n${ENGINE_MARKER}${build}\n//`;
  const at = text.indexOf(marker);
  // The pnpmfile was replaced since it was loaded (another build): never run a mix of two builds.
  if (at < 0) throw new Error(`Lifeguard: the engine of build ${build} is not in the pnpmfile; it was replaced during this command. Run the command again.`);
  const start = at + marker.length;
  const end = text.indexOf('\n', start);
  // Required here, not at the top: loading node:zlib costs ≈ 0.5 ms, which a hit must not pay.
  const { brotliDecompressSync } = require('node:zlib') as typeof import('node:zlib');
  return brotliDecompressSync(Buffer.from(text.slice(start, end < 0 ? undefined : end), 'base64')).toString('latin1');
}

/** A code cache file this user owns and nobody else may write, or undefined. */
function readOwned(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, NONBLOCKING);
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
 * Stack traces name `<pnpmfile> [engine]` (refusals carry no stack: their message is the story).
 */
export function compileEngine<T>(pnpmfile: string, build: string, cacheFolder: string | undefined, req: NodeJS.Require): Compiled<T> {
  const source = engineSource(readFileSync(pnpmfile, 'latin1'), build);
  const cacheFile = cacheFolder === undefined ? undefined : join(cacheFolder, `${build}-${process.version}-${process.arch}.v8`);
  const cachedData = cacheFile === undefined ? undefined : readOwned(cacheFile);
  const { Script } = require('node:vm') as typeof import('node:vm');
  const script = new Script(HEAD + source + TAIL, { filename: `${pnpmfile} [engine]`, ...(cachedData ? { cachedData } : {}) });
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
