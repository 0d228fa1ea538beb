/**
 * Git dependencies on real Yarn 4.18.1, both linkers, served by `git daemon` on 127.0.0.1.
 * Yarn packs a git dependency with its package manager while *fetching* it (in the resolution
 * step): its install/prepare/prepack scripts run then, whatever enableScripts says. Lifeguard
 * refuses to fetch a git package that no scripts.allow entry names; approved, it installs.
 * (Yarn 4.18 itself blocks git URLs unless `approvedGitRepositories` matches; the tests approve
 * the local daemon so that Lifeguard's gate is what is exercised.)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerExists, markerScript, publish, startRegistry, tempProject, type Registry } from '../harness/index';
import { type Ctx, LINKERS, newMarkers, out, project, projectHash, resetMarkers, S, setUp, yarn } from './setup';

function gitDaemonAvailable(): boolean {
  const r = spawnSync('git', ['--exec-path'], { encoding: 'utf8' });
  return r.status === 0 && existsSync(join(r.stdout.trim(), 'git-daemon'));
}
const hasGitDaemon = gitDaemonAvailable();

let reg: Registry;
let daemon: ChildProcess | undefined;
let gitUrl = '';
const markers = newMarkers();
const base: Partial<Ctx> = {};

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(async () => {
  if (!hasGitDaemon) return;
  const root = tempProject({});
  const work = join(root, 'work');
  mkdirSync(work);
  writeFileSync(
    join(work, 'package.json'),
    `${JSON.stringify({ name: 'lg-gitdep', version: '1.0.0', scripts: { prepack: markerScript(markers, 'git-prepack'), postinstall: markerScript(markers, 'git-postinstall') } }, null, 2)}\n`,
  );
  git(work, ['init', '-q']);
  git(work, ['add', '.']);
  git(work, ['commit', '-qm', 'init']);
  git(root, ['clone', '-q', '--bare', 'work', 'lg-gitdep.git']);
  const port = await freePort();
  daemon = spawn('git', ['daemon', '--export-all', `--base-path=${root}`, '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr', root], { stdio: 'ignore' });
  gitUrl = `git://127.0.0.1:${port}/lg-gitdep.git`;
  // wait until the daemon accepts connections
  for (let i = 0; i < 50; i++) {
    if (spawnSync('git', ['ls-remote', gitUrl], { stdio: 'ignore' }).status === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  reg = await startRegistry();
  await Promise.all([publish(reg, [{ name: `${S}/git-parent`, version: '1.0.0', dependencies: { 'lg-gitdep': gitUrl } }]), setUp(base)]);
});
afterAll(async () => {
  daemon?.kill();
  await reg?.stop();
});

describe.skipIf(!hasGitDaemon).each(LINKERS)('yarn 4.18.1, %s linker: git dependencies', (linker) => {
  const ctx = {} as Ctx;
  const yarnrc = () => [`approvedGitRepositories: [${JSON.stringify(`${gitUrl.replace(/\/[^/]+$/, '')}/*`)}]`];
  beforeAll(() => {
    Object.assign(ctx, base, { reg, markers, linker });
  });

  it('control: without Lifeguard, Yarn runs the git dependency\'s scripts while fetching it', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { 'lg-gitdep': gitUrl }, { plugin: false, yarnrc: yarnrc() });
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'git-prepack')).toBe(true);
  });

  it('refuses to fetch an unapproved git dependency: none of its scripts run, nothing is written', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { 'lg-gitdep': gitUrl }, { policy: {}, yarnrc: yarnrc() });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('while fetching [LIFEGUARD_SCRIPTS, rule scripts.unapproved]');
    expect(r.stdout).toContain('add {"package":"lg-gitdep","source":"git://127.0.0.1:');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'git-prepack')).toBe(false);
    expect(markerExists(markers, 'git-postinstall')).toBe(false);
  });

  it('refuses a registry package that pulls in a git dependency, before the clone runs anything', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/git-parent`]: '1.0.0' }, { policy: {}, yarnrc: yarnrc() });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('lg-gitdep');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'git-prepack')).toBe(false);
    expect(markerExists(markers, 'git-postinstall')).toBe(false);
  });

  it('an approval of the name alone does not cover the git build; an entry naming its source installs it (its scripts run)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { 'lg-gitdep': gitUrl }, { policy: { scripts: { allow: ['lg-gitdep'] } }, yarnrc: yarnrc() });
    const before = projectHash(dir);
    const r0 = await yarn(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(1);
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'git-prepack')).toBe(false);
    writeFileSync(join(dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: [{ package: 'lg-gitdep', source: `${gitUrl}#*` }] } }));
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(0);
    expect(markerExists(markers, 'git-postinstall')).toBe(true);
  });

  it('with the git package approved, a registry package that depends on it is still refused (exotic source)', async () => {
    resetMarkers(markers);
    const dir = project(ctx, { [`${S}/git-parent`]: '1.0.0' }, { policy: { scripts: { allow: [{ package: 'lg-gitdep', source: `${gitUrl}#*` }] } }, yarnrc: yarnrc() });
    const before = projectHash(dir);
    const r = await yarn(ctx, dir, ['install']);
    expect(r.code, out(r)).toBe(1);
    expect(r.stdout).toContain('LIFEGUARD_SOURCE');
    expect(r.stdout).toContain('"sources.allow"');
    expect(projectHash(dir)).toBe(before);
  });
});
