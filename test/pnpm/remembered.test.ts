/**
 * Remembered answers (packages/pnpm-hook/src/entry.ts, memo.ts) on real pnpm 10 and 12: an
 * unchanged project is answered without loading the engine (LIFEGUARD_TRACE says which hook was
 * answered how), and a change to lifeguard.json, to an advisory feed file or to the lockfile makes
 * the engine judge again: a package denied, or named by a feed, after it was installed is refused.
 * The remembered gate is the one applied, and a notice the engine said is said again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, resetMarkers, startRegistry, TMP, type Registry } from '../harness/index';
import { type Ctx, getTool, newMarkers, out, pnpm, project, projectHash, publishAll, S, setDeps, setPolicy } from './setup';

let reg: Registry;
const markers = newMarkers();
const traces = mkdtempSync(join(TMP, 'lg-trace-'));

beforeAll(async () => {
  reg = await startRegistry();
  await publishAll(reg, markers);
});
afterAll(async () => {
  await reg?.stop();
  rmSync(traces, { recursive: true, force: true });
});

const record = (name: string, id: string) => ({ schema_version: '1.6.0', id, summary: `test advisory for ${name}`, affected: [{ package: { ecosystem: 'npm', name }, versions: ['1.0.0'] }] });
const policy = { packages: { deny: [`${S}/pn-denied`] }, advisories: { feeds: ['security/feed.json'] } };
const feed = (names: string[]) => `${JSON.stringify(names.map((n, i) => record(n, `MAL-2099-01${i}`)), null, 2)}\n`;

interface Traced {
  code: number;
  text: string;
  /** `hook:answer` per line of the trace (`engine:compiled`, `updateConfig:remembered`, ...). */
  events: string[];
}

let runs = 0;
async function traced(ctx: Ctx, dir: string, args: string[]): Promise<Traced> {
  const file = join(traces, `${runs++}.jsonl`);
  const r = await pnpm(ctx, dir, args, { LIFEGUARD_TRACE: file });
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').trim().split('\n');
  } catch {
    /* no hook ran */
  }
  const events = lines.filter(Boolean).map((l) => {
    const e = JSON.parse(l) as { hook: string; answer: string };
    return `${e.hook}:${e.answer.replace('code cache', 'compiled')}`;
  });
  return { code: r.code, text: out(r), events };
}

describe.each(['pnpm10', 'pnpm12'] as const)('%s: remembered answers', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  });

  it('answers an unchanged project without the engine; a changed policy, feed or lockfile is judged again', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' }, { policy, files: { 'security/feed.json': feed([`${S}/pn-malicious`]) } });
    const first = await traced(ctx, dir, ['install']);
    expect(first.code, first.text).toBe(0);
    expect(first.events).toContain('engine:compiled');

    // Up-to-date `pnpm install`: the second one (pnpm 10 remembers one more hook per run) is answered from memory.
    await traced(ctx, dir, ['install']);
    const upToDate = await traced(ctx, dir, ['install']);
    expect(upToDate.code, upToDate.text).toBe(0);
    expect(upToDate.events, upToDate.text).toContain('updateConfig:remembered');
    expect(upToDate.events).not.toContain('engine:compiled');

    // Frozen install into an empty node_modules (CI): preResolution too.
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    await traced(ctx, dir, ['install', '--frozen-lockfile', '--offline']);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const frozen = await traced(ctx, dir, ['install', '--frozen-lockfile', '--offline']);
    expect(frozen.code, frozen.text).toBe(0);
    expect(frozen.events).toContain('preResolution:remembered');
    expect(frozen.events).not.toContain('engine:compiled');

    // lifeguard.json now denies the installed package: judged again, refused, nothing changed.
    setPolicy(dir, { ...policy, packages: { deny: [`${S}/pn-denied`, `${S}/pn-plain`] } });
    let before = projectHash(dir);
    const denied = await traced(ctx, dir, ['install']);
    expect(denied.code, denied.text).not.toBe(0);
    expect(denied.text).toContain('LIFEGUARD_DENY');
    expect(denied.events).toContain('engine:compiled');
    expect(projectHash(dir)).toBe(before);
    const deniedAgain = await traced(ctx, dir, ['install']);
    expect(deniedAgain.code, 'a refusal is never remembered').not.toBe(0);
    expect(deniedAgain.text).toContain('LIFEGUARD_DENY');

    // The policy as it was (pnpm 10's updateConfig remembered the deny policy's answer: it checks no lockfile). Then the feed file names the installed package.
    setPolicy(dir, policy);
    const back = await traced(ctx, dir, ['install']);
    expect(back.code, back.text).toBe(0);
    writeFileSync(join(dir, 'security/feed.json'), feed([`${S}/pn-malicious`, `${S}/pn-plain`]));
    before = projectHash(dir);
    const advised = await traced(ctx, dir, ['install']);
    expect(advised.code, advised.text).not.toBe(0);
    expect(advised.text).toContain('LIFEGUARD_ADVISORY');
    expect(advised.events).toContain('engine:compiled');
    expect(projectHash(dir)).toBe(before);

    // The feed as it was, then a new dependency: the lockfile changed, judged again.
    writeFileSync(join(dir, 'security/feed.json'), feed([`${S}/pn-malicious`]));
    setDeps(dir, { [`${S}/pn-plain`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' });
    const added = await traced(ctx, dir, ['install']);
    expect(added.code, added.text).toBe(0);
    const lockChanged = await traced(ctx, dir, ['install']);
    expect(lockChanged.code, lockChanged.text).toBe(0);
    expect(lockChanged.events, 'the first install after the lockfile changed').toContain('engine:compiled');
  }, 180_000); // about fifteen pnpm commands

  it('applies the remembered gate: an unapproved build stays skipped, an approved one runs, and pnpm 10 still lists what was skipped', async () => {
    resetMarkers(markers);
    const gated = { scripts: { allow: [`${S}/pn-approved`] } };
    const dir = project(ctx, { [`${S}/pn-unapproved`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' }, { policy: gated });
    const first = await traced(ctx, dir, ['install']);
    expect(first.code, first.text).toBe(0);
    for (let i = 0; i < 2; i++) {
      resetMarkers(markers);
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
      const r = await traced(ctx, dir, ['install', '--frozen-lockfile', '--offline']);
      expect(r.code, r.text).toBe(0);
      expect(markerExists(markers, 'unapproved'), r.text).toBe(false);
      expect(markerExists(markers, 'approved'), r.text).toBe(true);
      if (i === 1) expect(r.events).toContain('updateConfig:remembered');
      // pnpm 10 lists the skipped build at exit (the engine is loaded for it); pnpm 12's frozen installs show pnpm's own list.
      if (v === 'pnpm10') expect(r.text).toContain('did not run');
    }
  }, 120_000);

  it('says the default-policy notice again on a remembered install, once', async () => {
    const dir = project(ctx, { [`${S}/pn-plain`]: '1.0.0' });
    const first = await traced(ctx, dir, ['install']);
    expect(first.code, first.text).toBe(0);
    for (let i = 0; i < 2; i++) {
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
      const r = await traced(ctx, dir, ['install', '--frozen-lockfile', '--offline']);
      expect(r.code, r.text).toBe(0);
      expect(r.text.split('the built-in default policy applies').length - 1, r.text).toBe(1);
      if (i === 1) expect(r.events).toContain('preResolution:remembered');
    }
  }, 120_000);
});
