import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pnpmArgs } from './cli';

const fakeProc = (cmdline: string) => {
  const proc = mkdtempSync(join(tmpdir(), 'lg-proc-'));
  mkdirSync(join(proc, String(process.ppid)));
  writeFileSync(join(proc, String(process.ppid), 'cmdline'), cmdline);
  return proc;
};
const v = (major: number) => ({ major, minor: 0, raw: `${major}.0.0` });

describe('pnpmArgs', () => {
  it("is pnpm 10/11's own argv, and pnpm 12's parent command line when the parent is pnpm", () => {
    expect(pnpmArgs(v(10))).toEqual(process.argv.slice(2));
    expect(pnpmArgs(v(12), fakeProc('/opt/pnpm/pnpm\0install\0--dangerously-allow-all-builds\0'))).toEqual(['install', '--dangerously-allow-all-builds']);
  });
  it('is unknown when /proc is missing or the parent is something else', () => {
    expect(pnpmArgs(v(12), '/nonexistent-proc')).toBeUndefined();
    expect(pnpmArgs(v(12), fakeProc('/usr/bin/node\0worker.js\0'))).toBeUndefined();
  });
});
