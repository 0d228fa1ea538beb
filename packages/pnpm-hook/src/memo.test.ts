import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedField, fieldValue, fileInputs, inputs, memoDir, memoFile, procCommandLine, readMemo, serialize, writeMemo } from './memo';

const root = mkdtempSync(join(tmpdir(), 'lg-memo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A project with a policy naming one feed file, a lockfile and a workspace file; a user-level policy; a cache folder. */
function setup() {
  const base = join(root, String(n++));
  const dir = join(base, 'project');
  const home = join(base, 'home');
  mkdirSync(join(dir, 'security'), { recursive: true });
  mkdirSync(join(home, '.config', 'lifeguard'), { recursive: true });
  writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ advisories: { feeds: ['security/feed.json'] } }));
  writeFileSync(join(dir, 'security', 'feed.json'), '[]');
  writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  writeFileSync(join(home, '.config', 'lifeguard', 'lifeguard.json'), '{}');
  const env: NodeJS.ProcessEnv = { HOME: home, LIFEGUARD_CACHE_DIR: join(base, 'cache') };
  const key = (e: NodeJS.ProcessEnv = env, names: string[] = ['SOME_VAR'], version = '12.21.0') =>
    inputs({ build: 'b1', kind: 'updateConfig', dir, env: names, version }, fileInputs(dir, e)!, e).toString('latin1');
  return { base, dir, home, env, key };
}

describe('memo inputs', () => {
  // procfs says 0 bytes for a command line: read as a bounded regular file, every command line
  // looked the same and `pnpm rebuild --dangerously-allow-all-builds` got plain `pnpm rebuild`'s answer.
  it.runIf(process.platform === 'linux')('keeps the parent\'s whole command line (pnpm 12 names its arguments only there)', () => {
    const own = procCommandLine(process.pid);
    expect(own.subarray(1)).toEqual(readFileSync(`/proc/${process.pid}/cmdline`));
    expect(own.length).toBeGreaterThan(10);
    expect(procCommandLine(process.pid).equals(procCommandLine(process.ppid))).toBe(false);
  });

  it('changes with every input, and only with them', () => {
    const { dir, home, env, key } = setup();
    const k = key();
    expect(k).toContain('lockfileVersion');
    expect(key()).toBe(k);
    const changes: Array<[string, () => void, () => void]> = [
      ['project policy bytes', () => writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ advisories: { feeds: ['security/feed.json'] }, mode: 'warn' })), () => writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ advisories: { feeds: ['security/feed.json'] } }))],
      ['user policy bytes', () => writeFileSync(join(home, '.config', 'lifeguard', 'lifeguard.json'), '{"mode":"warn"}'), () => writeFileSync(join(home, '.config', 'lifeguard', 'lifeguard.json'), '{}')],
      ['lockfile bytes', () => writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n\n"), () => writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n")],
      ['workspace file', () => rmSync(join(dir, 'pnpm-workspace.yaml')), () => writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n')],
      ['feed file (same size, new mtime)', () => utimesSync(join(dir, 'security', 'feed.json'), 1, 1), () => undefined],
    ];
    let prev = k;
    for (const [what, change] of changes) {
      change();
      const now = key();
      expect(now, what).not.toBe(prev);
      prev = now;
    }
    for (const [, , undo] of changes) undo();
    expect(key(), 'the feed file keeps its new mtime').not.toBe(k);
    const k2 = key();
    expect(key({ ...env, LIFEGUARD_POLICY: join(dir, 'lifeguard.json') }), 'LIFEGUARD_POLICY').not.toBe(k2);
    expect(key({ ...env, SOME_VAR: 'x' }), 'a variable the engine read').not.toBe(k2);
    expect(key({ ...env, OTHER_VAR: 'x' }), 'a variable nobody read').toBe(k2);
    expect(key({ ...env, XDG_CACHE_HOME: '/x' }), 'XDG_CACHE_HOME is always keyed').not.toBe(k2);
    expect(key(env, ['SOME_VAR'], '10.34.0'), 'pnpm version').not.toBe(k2);
    const base = { build: 'b1', kind: 'updateConfig' as const, dir, env: ['SOME_VAR'], version: '12.21.0' };
    const files = fileInputs(dir, env)!;
    expect(inputs({ ...base, build: 'b2' }, files, env).toString('latin1'), 'build').not.toBe(k2);
    expect(inputs({ ...base, kind: 'preResolution' }, files, env).toString('latin1'), 'kind').not.toBe(k2);
    expect(inputs({ ...base, dir: join(dir, 'sub') }, files, env).toString('latin1'), 'project directory').not.toBe(k2);
  });

  it('is not made when a policy names a feed folder (it has no cheap fingerprint)', () => {
    const { dir, env } = setup();
    mkdirSync(join(dir, 'security', 'osv'));
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ advisories: { feeds: ['security/osv'] } }));
    expect(fileInputs(dir, env)).toBeUndefined();
  });

  it('serializes pnpm values so that different values never read the same', () => {
    expect(serialize(undefined)).not.toBe(serialize(null));
    expect(serialize([() => 1])).not.toBe(serialize([null]));
    expect(serialize({ a: undefined })).not.toBe(serialize({}));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(serialize(cyclic)).toBeUndefined();
    expect(serialize({ m: new Map([['a', 1]]) })).toBeUndefined();
    expect(fieldValue({ a: undefined }, 'a')).not.toBe(fieldValue({}, 'a'));
  });
});

describe('memo entries', () => {
  const header = { build: 'b1', kind: 'updateConfig' as const, env: [], said: [], answer: { x: 1 } };
  const write = (file: string, over: Record<string, unknown> = {}) => writeMemo(file, { ...header, ...over } as typeof header, Buffer.from('the inputs'), { userAgent: '"pnpm/12.21.0"', lockfileDir: '"/p"' });

  it('round-trip, and compare the recorded fields', () => {
    const { dir, env } = setup();
    const file = memoFile(memoDir(dir, env)!, 'updateConfig', dir);
    write(file);
    const back = readMemo(file, 'b1', 'updateConfig');
    expect(back?.header.answer).toEqual({ x: 1 });
    expect(back?.inputs.toString()).toBe('the inputs');
    expect(changedField(back!, { userAgent: 'pnpm/12.21.0', lockfileDir: '/p' })).toBeUndefined();
    expect(changedField(back!, { userAgent: 'pnpm/10.34.0', lockfileDir: '/p' })).toBe('userAgent');
    expect(changedField(back!, { userAgent: 'pnpm/12.21.0' })).toBe('lockfileDir');
  });

  it('are a miss when corrupt, truncated, foreign or writable by others', () => {
    const { dir, env } = setup();
    const file = memoFile(memoDir(dir, env)!, 'updateConfig', dir);
    write(file);
    const good = readFileSync(file);
    expect(readMemo(file, 'b2', 'updateConfig'), 'another build').toBeUndefined();
    expect(readMemo(file, 'b1', 'preResolution'), 'another kind').toBeUndefined();
    writeFileSync(file, good.subarray(0, good.length - 1));
    expect(readMemo(file, 'b1', 'updateConfig'), 'truncated').toBeUndefined();
    writeFileSync(file, Buffer.concat([good, Buffer.from('x')]));
    expect(readMemo(file, 'b1', 'updateConfig'), 'padded').toBeUndefined();
    writeFileSync(file, good.subarray(0, good.indexOf(10)));
    expect(readMemo(file, 'b1', 'updateConfig'), 'header only').toBeUndefined();
    writeFileSync(file, 'garbage');
    expect(readMemo(file, 'b1', 'updateConfig'), 'garbage').toBeUndefined();
    write(file, { format: 'other' });
    expect(readMemo(file, 'b1', 'updateConfig'), 'format is not the caller\'s to set').toBeDefined();
    writeFileSync(file, good.toString('latin1').replace('"format":"lifeguard-pnpm-answer"', '"format":"lifeguard-pnpm-answeR"'), 'latin1');
    expect(readMemo(file, 'b1', 'updateConfig'), 'another format').toBeUndefined();
    writeFileSync(file, good.toString('latin1').replace(/"fields":\[\["userAgent",\d+\]/, '"fields":[["userAgent","x"]'), 'latin1');
    expect(readMemo(file, 'b1', 'updateConfig'), 'bad field shape').toBeUndefined();
    writeFileSync(file, good);
    chmodSync(file, 0o666);
    expect(readMemo(file, 'b1', 'updateConfig'), 'writable by others').toBeUndefined();
    chmodSync(file, 0o644);
    expect(readMemo(file, 'b1', 'updateConfig')).toBeDefined();
    rmSync(file);
    mkdirSync(file);
    expect(readMemo(file, 'b1', 'updateConfig'), 'a folder').toBeUndefined();
  });

  it('are never kept inside the project (a repository must not plant answers)', () => {
    const { dir, env } = setup();
    expect(memoDir(dir, env)).toBeDefined();
    expect(memoDir(dir, { ...env, LIFEGUARD_CACHE_DIR: join(dir, '.cache') })).toBeUndefined();
    expect(memoDir(dir, { ...env, LIFEGUARD_CACHE_DIR: dir })).toBeUndefined();
  });

  it('are one per project, kind and command line', () => {
    const { dir, env } = setup();
    const folder = memoDir(dir, env)!;
    expect(memoFile(folder, 'updateConfig', dir)).not.toBe(memoFile(folder, 'preResolution', dir));
    expect(memoFile(folder, 'updateConfig', dir)).not.toBe(memoFile(folder, 'updateConfig', join(dir, 'x')));
    const argv = process.argv;
    const a = memoFile(folder, 'updateConfig', dir);
    process.argv = [...argv, '--frozen-lockfile'];
    try {
      expect(memoFile(folder, 'updateConfig', dir)).not.toBe(a);
    } finally {
      process.argv = argv;
    }
  });
});
