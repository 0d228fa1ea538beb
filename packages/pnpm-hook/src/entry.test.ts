/**
 * The built pnpmfile's entry (entry.ts in front of the engine), in fresh node processes as pnpm
 * 12's hook workers run it: what it remembers, what it never remembers, and what it never trusts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pnpmfile = join(__dirname, '..', 'dist', 'pnpmfile.cjs');
const root = mkdtempSync(join(tmpdir(), 'lg-entry-'));
beforeAll(() => {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'build.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function setup(policy: unknown = {}) {
  const base = join(root, String(n++));
  const dir = join(base, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"p","version":"1.0.0"}');
  if (policy !== undefined) writeFileSync(join(dir, 'lifeguard.json'), typeof policy === 'string' ? policy : JSON.stringify(policy));
  writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  return { base, dir, cache: join(base, 'cache'), trace: join(base, 'trace.jsonl') };
}

interface Result {
  status: number | null;
  stderr: string;
  config: Record<string, unknown> | undefined;
  events: Array<{ hook: string; answer: string; why?: string; memo?: string }>;
}

/** updateConfig of the built pnpmfile in a fresh node, as pnpm 12 calls it. */
function updateConfig(s: ReturnType<typeof setup>, config: Record<string, unknown> = {}, env: Record<string, string> = {}): Result {
  rmSync(s.trace, { force: true });
  const code = `const { hooks } = require(${JSON.stringify(pnpmfile)});
    let c;
    try {
      c = hooks.updateConfig(${JSON.stringify({ userAgent: 'pnpm/12.21.0 npm/? node/v20', lockfileDir: s.dir, ...config })});
    } catch (e) {
      process.stderr.write(e.message); // as pnpm prints a hook's error
      process.exit(1);
    }
    // pnpm 10's chain: the check Lifeguard appended must refuse a later pnpmfile that widens the gate.
    const chain = c.hooks?.updateConfig;
    if (Array.isArray(chain)) {
      let widened = 'accepted';
      try { chain.at(-1)({ ...c, dangerouslyAllowAllBuilds: true }); } catch (e) { widened = e.message.split('\\n')[0]; }
      c.widened = widened;
    }
    process.stdout.write(JSON.stringify(c));`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: s.dir, encoding: 'utf8', env: { ...process.env, LIFEGUARD_CACHE_DIR: s.cache, LIFEGUARD_TRACE: s.trace, ...env } });
  const events = existsSync(s.trace) ? readFileSync(s.trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Result['events'][number]) : [];
  return { status: r.status, stderr: r.stderr, config: r.status === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined, events };
}

const answer = (r: Result) => r.events.find((e) => e.hook === 'updateConfig')?.answer;
const GATE = { scripts: { allow: ['esbuild'] } };

describe('the pnpmfile entry', () => {
  it('answers the same call from memory with the same config, and judges again when an input changes', () => {
    const s = setup(GATE);
    const first = updateConfig(s);
    expect(first.status, first.stderr).toBe(0);
    expect(answer(first)).toBe('judged');
    expect(first.config?.allowBuilds).toEqual({ esbuild: true });
    const second = updateConfig(s);
    expect(answer(second)).toBe('remembered');
    expect(second.events.map((e) => e.hook)).not.toContain('engine');
    expect(second.config).toEqual(first.config);
    // A config field the engine reads, the policy, an environment variable the policy path depends on.
    expect(answer(updateConfig(s, { registries: { default: 'https://r.test/' } }))).toBe('judged');
    writeFileSync(join(s.dir, 'lifeguard.json'), JSON.stringify({ scripts: { allow: ['sharp'] } }));
    const changed = updateConfig(s);
    expect(answer(changed)).toBe('judged');
    expect(changed.config?.allowBuilds).toEqual({ sharp: true });
    expect(answer(updateConfig(s, {}, { XDG_CONFIG_HOME: join(s.base, 'xdg') }))).toBe('judged');
  });

  it('appends pnpm 10\'s last-hook check on a remembered answer too', () => {
    const s = setup(GATE);
    const pnpm10 = { userAgent: 'pnpm/10.34.0 npm/? node/v20', hooks: { updateConfig: [] } };
    const first = updateConfig(s, pnpm10);
    const second = updateConfig(s, pnpm10);
    expect(answer(first)).toBe('judged');
    expect(answer(second)).toBe('remembered');
    for (const r of [first, second]) {
      expect(r.config?.onlyBuiltDependencies).toEqual(['esbuild']);
      expect(r.config?.widened).toContain("a pnpmfile loaded after Lifeguard's changed pnpm's build gate (dangerouslyAllowAllBuilds)");
    }
  });

  it('never remembers a refusal; a notice is said again word for word', () => {
    const refused = setup({});
    // pnpm 12 with no pnpm command line to read (this parent is node): an enabled switch is refused.
    for (let i = 0; i < 2; i++) {
      const r = updateConfig(refused, { dangerouslyAllowAllBuilds: true });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('Lifeguard refused');
    }
    expect(existsSync(join(refused.cache, 'pnpm-answers')) ? readdirSync(join(refused.cache, 'pnpm-answers')) : []).toEqual([]);
    // A notice is remembered with its exact words and said again, once.
    const noticed = setup(GATE);
    const said: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = updateConfig(noticed, { ignoreScripts: true, extraEnv: { npm_command: 'install' } });
      expect(r.status, r.stderr).toBe(0);
      expect(answer(r)).toBe(i === 0 ? 'judged' : 'remembered');
      said.push(r.stderr);
    }
    expect(said[0]).toContain('ignore-scripts is on');
    expect(said[1]).toBe(said[0]);
  });

  it('never trusts a corrupt, foreign or shared entry, nor one the project could plant', () => {
    const s = setup(GATE);
    updateConfig(s);
    const folder = join(s.cache, 'pnpm-answers');
    const [file] = readdirSync(folder);
    const entry = join(folder, file!);
    const good = readFileSync(entry, 'utf8');
    // A forged answer that opens the gate, in a file others may write: not used.
    writeFileSync(entry, good.replace('"dangerouslyAllowAllBuilds":"false"', '"dangerouslyAllowAllBuilds":"true"'));
    chmodSync(entry, 0o666);
    const shared = updateConfig(s);
    expect(answer(shared)).toBe('judged');
    expect(shared.config?.dangerouslyAllowAllBuilds).toBe(false);
    for (const bad of [good.slice(0, good.length / 2), 'garbage', good.replace(/"build":"[0-9a-f]+"/, '"build":"0000000000000000"')]) {
      rmSync(entry, { force: true });
      writeFileSync(entry, bad, { mode: 0o644 });
      const r = updateConfig(s);
      expect(answer(r)).toBe('judged');
      expect(r.config?.dangerouslyAllowAllBuilds).toBe(false);
    }
    // A cache folder inside the project: nothing remembered there, nothing read from there.
    const inside = setup(GATE);
    for (let i = 0; i < 2; i++) expect(answer(updateConfig(inside, {}, { LIFEGUARD_CACHE_DIR: join(inside.dir, '.cache') }))).toBe('judged');
    expect(existsSync(join(inside.dir, '.cache', 'pnpm-answers'))).toBe(false);
    expect(existsSync(join(inside.dir, '.cache', 'pnpm-engine')), 'nor V8 code').toBe(false);
  });

  it('compiles the engine from its code cache, and from source when the cache is garbage', () => {
    const s = setup(GATE);
    expect(updateConfig(s, { registries: { a: 'https://a.test/' } }).events.find((e) => e.hook === 'engine')?.answer).toBe('compiled');
    expect(updateConfig(s, { registries: { b: 'https://b.test/' } }).events.find((e) => e.hook === 'engine')?.answer).toBe('code cache');
    const folder = join(s.cache, 'pnpm-engine');
    for (const f of readdirSync(folder)) writeFileSync(join(folder, f), 'not V8 code');
    const r = updateConfig(s, { registries: { c: 'https://c.test/' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.events.find((e) => e.hook === 'engine')?.answer).toBe('compiled');
    expect(r.config?.allowBuilds).toEqual({ esbuild: true });
  });

  it('passes the engine\'s policy errors through as they are', () => {
    const s = setup('{"scripts": {"allow": 5}}');
    const r = updateConfig(s);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(join(s.dir, 'lifeguard.json'));
    expect(r.stderr).toContain('$.scripts.allow');
  });
});
