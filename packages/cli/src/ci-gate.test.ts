import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { npmrcRegistries } from '@lifeguard/loader';
import { describe, expect, it } from 'vitest';
import { readInstallState } from './install-state';
import { projectRegistries } from './registries';
import { setupProblems } from './setup';
import { lifeguard, project } from './test-cli';

const pnpmLock = (pkgs: Record<string, string>, head = "lockfileVersion: '9.0'\npnpmfileChecksum: sha256-x\n") =>
  `${head}\nimporters:\n\n  .:\n    dependencies:\n${Object.keys(pkgs).map((k) => `      ${k.split('@')[0]}:\n        specifier: 1.0.0\n        version: 1.0.0\n`).join('')}\npackages:\n\n${Object.entries(pkgs).map(([k, v]) => `  ${k}:\n${v}\n`).join('')}\nsnapshots:\n\n${Object.keys(pkgs).map((k) => `  ${k}: {}\n`).join('')}`;
const HOOK = '// pnpm-plugin-lifeguard: generated\nmodule.exports = {};\n';

describe('registries a project declares', () => {
  it('reads .npmrc (quotes, scopes, ${VAR}), .yarnrc.yml scopes and pnpm-workspace.yaml', () => {
    expect(npmrcRegistries('registry = "https://a.test/"\n@s:registry=${REG}\n; registry=https://commented.test\n//a.test/:_authToken=x\n', { REG: 'https://b.test/' })).toEqual(['https://a.test/', 'https://b.test/']);
    const dir = project({
      '.yarnrc.yml': 'npmRegistryServer: "https://y.test"\nnpmScopes:\n  acme:\n    npmRegistryServer: "https://acme.test"\nnpmRegistries:\n  "//mirror.test":\n    npmAuthToken: x\n',
      'pnpm-workspace.yaml': 'registry: https://p.test/\nregistries:\n  "@q": https://q.test/\n',
    });
    expect(projectRegistries(dir)).toEqual(['https://y.test', 'https://acme.test', 'https://mirror.test', 'https://p.test/', 'https://q.test/']);
  });

  it('reads bunfig.toml `[install] registry` and `[install.scopes]` (a URL or `{ url = ... }`), and ignores a broken one', () => {
    const bunfig = '[install]\nregistry = { url = "http://127.0.0.1:4873/", token = "x" }\n\n[install.scopes]\nacme = "https://acme.test/"\nq = { url = "https://q.test/" }\n';
    expect(projectRegistries(project({ 'bunfig.toml': bunfig }))).toEqual(['http://127.0.0.1:4873/', 'https://acme.test/', 'https://q.test/']);
    expect(projectRegistries(project({ 'bunfig.toml': '[install\nregistry = 1' }))).toEqual([]);
  });
});

describe('set-up checks (LIFEGUARD_SETUP)', () => {
  const pnpm = (files: Record<string, string>) => setupProblems(project({ '.pnpmfile.cjs': HOOK, 'pnpm-lock.yaml': pnpmLock({}), ...files }), new Set(['pnpm'])).map((p) => `${p.file}: ${p.setting}`);

  it('pnpm: every spelling of the switches that bypass the hook, and nothing on a wired project', () => {
    expect(pnpm({})).toEqual([]);
    expect(pnpm({ '.npmrc': 'IGNORE_PNPMFILE = true\ndangerously-allow-all-builds="true"\n' })).toEqual(['.npmrc: IGNORE_PNPMFILE=true', '.npmrc: dangerously-allow-all-builds=true']);
    expect(pnpm({ '.npmrc': 'ignore-pnpmfile=true\nignore-pnpmfile=false\n' })).toEqual([]);
    expect(pnpm({ 'pnpm-workspace.yaml': 'ignorePnpmfile: true\npnpmfile: [x.cjs]\ndangerouslyAllowAllBuilds: true\n' })).toEqual([
      'pnpm-workspace.yaml: ignorePnpmfile: true', 'pnpm-workspace.yaml: pnpmfile: ["x.cjs"]', 'pnpm-workspace.yaml: dangerouslyAllowAllBuilds: true',
    ]);
    expect(pnpm({ 'pnpm-lock.yaml': pnpmLock({}, "lockfileVersion: '9.0'\n") })).toEqual(['pnpm-lock.yaml: no pnpmfileChecksum']);
    expect(pnpm({ '.pnpmfile.mjs': 'export const hooks = {}' })).toEqual(['.pnpmfile.mjs: present beside .pnpmfile.cjs']);
    expect(setupProblems(project({ 'pnpm-workspace.yaml': 'configDependencies:\n  pnpm-plugin-lifeguard: "1.0.0+sha512-x"\n' }), new Set(['pnpm']))).toEqual([]);
    expect(setupProblems(project({ '.pnpmfile.cjs': 'module.exports = {}' }), new Set(['pnpm']))[0]?.setting).toBe('not Lifeguard\'s hook');
  });

  it('Yarn: the plugin missing, and a later plugin that patches the same internals, by name', () => {
    const plugin = 'module.exports = { name: "@yarnpkg/plugin-lifeguard", factory() {} };';
    const other = 'module.exports = { name: "plugin-evil", factory(r) { r("@yarnpkg/core").MultiFetcher.prototype.fetch = f; } };';
    const problems = (rc: string) => setupProblems(project({ '.yarnrc.yml': rc, 'p/lg.cjs': plugin, 'p/other.cjs': other, 'p/harmless.cjs': 'module.exports={name:"x"}' }), new Set(['yarn'])).map((p) => p.setting);
    expect(problems('plugins:\n  - path: p/lg.cjs\n    spec: x\n  - p/harmless.cjs\n')).toEqual([]);
    expect(problems('plugins:\n  - p/other.cjs\n  - p/lg.cjs\n')).toEqual([]);
    expect(problems('plugins:\n  - p/lg.cjs\n  - p/other.cjs\n')).toEqual(["plugins: p/other.cjs (plugin-evil) after Lifeguard's"]);
    expect(problems('nodeLinker: pnp\n')).toEqual(['plugins: no Lifeguard plugin']);
  });

  it('npm: ignore-scripts must be on; a FIFO planted as .npmrc fails closed at once, naming it', () => {
    expect(setupProblems(project({ '.npmrc': 'ignore-scripts = true\n' }), new Set(['npm']))).toEqual([]);
    expect(setupProblems(project({ '.npmrc': 'ignore-scripts=false\n' }), new Set(['npm']))[0]?.setting).toBe('ignore-scripts=false');
    const dir = project({ 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: {} }), 'lifeguard.json': '{}' });
    execFileSync('mkfifo', [join(dir, '.npmrc')]);
    const started = Date.now();
    const r = lifeguard(dir, 'check');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, '.npmrc')}: not a regular file`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('install state: pnpm 11/12 allowBuilds', () => {
  it('a build set to false in the recorded allowBuilds did not run; one not listed anywhere did', () => {
    const dir = project({ 'node_modules/.modules.yaml': JSON.stringify({ ignoredBuilds: ['ignored@1.0.0'], allowBuilds: { 'denied@1.0.0 || 2.0.0': false, off: false, ran: true } }) });
    const s = readInstallState(dir, 'pnpm');
    expect(['ignored', 'denied', 'off', 'ran', 'other'].map((n) => s.scripts(n, '1.0.0', true))).toEqual(['not-run', 'not-run', 'not-run', 'ran', 'ran']);
    expect(s.scripts('denied', '3.0.0', true)).toBe('ran');
  });

  it('a FIFO planted as the state file is no record, at once', () => {
    const dir = project({});
    mkdirSync(join(dir, 'node_modules'));
    execFileSync('mkfifo', [join(dir, 'node_modules', '.modules.yaml')]);
    expect(readInstallState(dir, 'pnpm').scripts('x', '1.0.0', true)).toBe('unknown');
  });
});

describe('hostile names in the text report', () => {
  it('escapes ESC, CR, BEL and newlines from a lockfile name, so it cannot print "nothing refused"', () => {
    const name = 'x\u001b[2K\r\u0007\nLifeguard: nothing refused.';
    const lock = { lockfileVersion: 3, packages: { [`node_modules/${name}`]: { version: '1.0.0', resolved: 'https://evil.test/x.tgz' } } };
    const r = lifeguard(project({ 'package-lock.json': JSON.stringify(lock) }), 'check');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stdout).toContain('x\\u001b[2K\\u000d\\u0007\\u000aLifeguard: nothing refused.');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Lifeguard:'))).toEqual(['Lifeguard: install would be refused.']);
  });
});
