/**
 * Bad policy and feed files on every front end (bypasses F1-F6 in docs/bypasses.md): a
 * lifeguard.json (or feed) that is a FIFO hung pnpm 10 for 11 minutes, a symbolic link to
 * /dev/zero grew Yarn and the CLI to 14-18 GB, a dangling link silently fell back to the default
 * policy, a duplicate key silently replaced the first. Each now fails at once with a message
 * naming the file, on real pnpm 10/11/12, Yarn 4.18.1 and the CLI, and leaves the project as it was.
 * Every run has a 20 s kill timer: a hang fails the test instead of stalling the suite.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, newMarkers, out, publish, REPO, resetMarkers, run, startRegistry, tool, type Registry, type RunResult, type Tool } from './harness/index';
import { project as pnpmProjectWithHook, projectHash as pnpmHash, VERSIONS } from './pnpm/setup';
import { project as yarnProject, projectHash as yarnHash, setUp as yarnSetUp, type Ctx as YarnCtx } from './yarn/setup';

const P = '@lg-policyfiles';
const DEP = `${P}/unapproved`;
const KILL_AFTER = 20_000;

let reg: Registry;
const markers = newMarkers();
const yarnBase: Partial<YarnCtx> = {};

beforeAll(async () => {
  reg = await startRegistry();
  await Promise.all([publish(reg, [{ name: DEP, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'unapproved') } }]), yarnSetUp(yarnBase)]);
});
afterAll(async () => {
  await reg?.stop();
});

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** The bad files, each written in place of lifeguard.json (or of the feed it names). */
const BAD = [
  { what: 'a FIFO', make: (f: string) => mkfifo(f), found: 'a FIFO (named pipe)' },
  { what: 'a symbolic link to /dev/zero', make: (f: string) => symlinkSync('/dev/zero', f), found: 'a character device (a symbolic link to /dev/zero)' },
  { what: 'a dangling symbolic link', make: (f: string) => symlinkSync('/mnt/team-share/lifeguard.json', f), found: 'a symbolic link to /mnt/team-share/lifeguard.json, which does not exist' },
  { what: 'a duplicate key', make: (f: string) => writeFileSync(f, '{"scripts":{"unapproved":"refuse","unapproved":"run"}}'), found: '"unapproved" a second time' },
] as const;

function replacePolicy(dir: string, make: (f: string) => void): string {
  const file = join(dir, 'lifeguard.json');
  rmSync(file, { force: true });
  make(file);
  return file;
}

function expectFailedNaming(r: RunResult, file: string, found: string): void {
  expect(r.code, out(r)).not.toBe(0);
  expect(r.code, `killed after ${KILL_AFTER} ms: a hang`).not.toBe(128);
  // pnpm 12 wraps long lines in a box: compare with whitespace and box rules taken out.
  const flat = (s: string) => s.replace(/[\s│]+/g, '');
  expect(flat(out(r))).toContain(flat(`Lifeguard: invalid policy ${file}`));
  expect(flat(out(r))).toContain(flat(found));
}

describe.each(VERSIONS)('%s: bad policy files fail the install at once, naming the file', (v) => {
  let t: Tool;
  beforeAll(async () => {
    t = await tool(v);
  });

  it.each(BAD)('$what', async (bad) => {
    resetMarkers(markers);
    const dir = pnpmProjectWithHook({ reg, markers, t, v }, { [DEP]: '1.0.0' }, { policy: {} });
    const file = replacePolicy(dir, bad.make);
    const before = pnpmHash(dir);
    const r = await run(t, ['install'], { cwd: dir, timeoutMs: KILL_AFTER });
    expectFailedNaming(r, file, bad.found);
    expect(pnpmHash(dir)).toBe(before);
    expect(markerExists(markers, 'unapproved')).toBe(false);
  });

  it.runIf(v === 'pnpm10')('an advisory feed that is a FIFO fails too, naming the feed', async () => {
    const dir = pnpmProjectWithHook({ reg, markers, t, v }, { [DEP]: '1.0.0' }, { policy: { advisories: { feeds: ['osv.json'] } } });
    mkfifo(join(dir, 'osv.json'));
    const r = await run(t, ['install'], { cwd: dir, timeoutMs: KILL_AFTER });
    expect(r.code, out(r)).not.toBe(0);
    expect(r.code, 'a hang').not.toBe(128);
    expect(out(r)).toContain(`${join(dir, 'osv.json')}: a FIFO (named pipe)`);
  });
});

describe('yarn 4.18.1 and the CLI: bad policy files fail at once, naming the file', () => {
  const ctx = {} as YarnCtx;
  const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');
  const node: Tool = { cmd: process.execPath, args: [], env: {} };
  beforeAll(() => {
    Object.assign(ctx, yarnBase, { reg, markers, linker: 'pnp' });
  });

  it.each(BAD)('$what', async (bad) => {
    resetMarkers(markers);
    const dir = yarnProject(ctx, { [DEP]: '1.0.0' }, { policy: {} });
    const file = replacePolicy(dir, bad.make);
    const before = yarnHash(dir);
    const r = await run(ctx.t, ['install'], { cwd: dir, timeoutMs: KILL_AFTER, env: { YARN_GLOBAL_FOLDER: join(dir, '.yarn-global'), YARN_ENABLE_GLOBAL_CACHE: 'false' } });
    expectFailedNaming(r, file, bad.found);
    expect(yarnHash(dir)).toBe(before);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    // The CI gate on the same project: exit 2 (policy error), same message.
    writeFileSync(join(dir, 'yarn.lock'), '__metadata:\n  version: 8\n');
    const c = await run(node, [CLI, 'check'], { cwd: dir, timeoutMs: KILL_AFTER });
    expect(c.code, out(c)).toBe(2);
    expectFailedNaming(c, file, bad.found);
  });
});
