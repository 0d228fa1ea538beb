import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEngine, ENGINE_MARKER, engineSource } from './engine-code';

const root = mkdtempSync(join(tmpdir(), 'lg-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const req = createRequire(import.meta.url);

/** A pnpmfile as build.mjs writes it: entry text, the marker, the engine compressed in a comment. */
function pnpmfile(name: string, engine: string, build = 'b1'): string {
  const file = join(root, name);
  writeFileSync(file, `module.exports = {};\n${ENGINE_MARKER}${build}\n//${brotliCompressSync(Buffer.from(engine, 'latin1')).toString('base64')}\n`);
  return file;
}
const ENGINE = "const { join } = require('node:path'); exports.where = () => join(__dirname, 'x'); exports.file = __filename; exports.fail = () => { throw new Error('engine bug'); };";

describe('the engine carried in the pnpmfile', () => {
  it('comes back byte for byte, and only for its own build', () => {
    const file = pnpmfile('a.cjs', ENGINE);
    const text = req('node:fs').readFileSync(file, 'latin1') as string;
    expect(engineSource(text, 'b1')).toBe(ENGINE);
    expect(() => engineSource(text, 'b2')).toThrow(/engine of build b2 is not in the pnpmfile; it was replaced during this command/);
  });

  it('runs as a CommonJS module of the pnpmfile; its stack traces name the pnpmfile', () => {
    const file = pnpmfile('b.cjs', ENGINE);
    const { exports } = compileEngine<{ where: () => string; file: string; fail: () => void }>(file, 'b1', undefined, req);
    expect(exports.where()).toBe(join(root, 'x'));
    expect(exports.file).toBe(file);
    let stack = '';
    try {
      exports.fail();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain('engine bug');
    expect(stack).toContain(`${file} [engine]`);
  });

  it('keeps a V8 code cache per build, and compiles from source when the cache is garbage or shared', () => {
    const file = pnpmfile('c.cjs', ENGINE);
    const cache = join(root, 'cache');
    const first = compileEngine(file, 'b1', cache, req);
    expect(first.fromCodeCache).toBe(false);
    first.saveCodeCache();
    const [blob] = readdirSync(cache);
    expect(blob).toMatch(new RegExp(`^b1-${process.version}-${process.arch}\\.v8$`));
    expect(compileEngine(file, 'b1', cache, req).fromCodeCache).toBe(true);
    // Another build's cache is under another name: never read for this one.
    const other = compileEngine(pnpmfile('d.cjs', `${ENGINE} exports.other = 1;`, 'b2'), 'b2', cache, req);
    other.saveCodeCache();
    expect(readdirSync(cache).sort()).toEqual([blob, `b2-${process.version}-${process.arch}.v8`].sort());
    expect(compileEngine(file, 'b1', cache, req).fromCodeCache).toBe(true);
    // Garbage under this build's name (a source this process has not compiled yet: V8's in-memory
    // compilation cache would answer before the blob is looked at).
    const garbage = pnpmfile('e.cjs', `${ENGINE} exports.e = 1;`, 'b3');
    writeFileSync(join(cache, `b3-${process.version}-${process.arch}.v8`), 'not V8 code');
    const rejected = compileEngine<{ where: () => string }>(garbage, 'b3', cache, req);
    expect(rejected.fromCodeCache).toBe(false);
    expect(rejected.exports.where()).toBe(join(root, 'x'));
    chmodSync(join(cache, blob!), 0o666);
    expect(compileEngine(file, 'b1', cache, req).fromCodeCache, 'a cache others may write is not read').toBe(false);
  });
});
