/**
 * Shared set-up of the Yarn end-to-end suites: fixtures, the built plugin, project helpers.
 * Each test file starts its own registry and publishes what it needs. Yarn 4.18.1 (pinned by
 * the harness), both linkers.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, TYPOSQUAT, assertTyposquatFixture, ensureBuilt, hashTree, newMarkers, out, resetMarkers, markerScript, publish, run, tempProject, tool, yarnrc, type Fixture, type Registry, type RunResult, type Tool,
} from '../harness/index';

export const LINKERS = ['pnp', 'node-modules'] as const;
export type Linker = (typeof LINKERS)[number];

export const PLUGIN = join(REPO, 'packages/yarn-plugin/dist/yarn-plugin-lifeguard.cjs');

export function ensurePlugin(): string {
  return ensureBuilt('yarn-plugin', 'dist/yarn-plugin-lifeguard.cjs');
}

export { TYPOSQUAT, assertTyposquatFixture };

export const S = '@lg-yarn';
const gyp = '{ "targets": [ { "target_name": "noop", "type": "none" } ] }\n';

/**
 * The registry has no uplinks, and Yarn injects a `node-gyp` dependency into packages that
 * build with it: a local stand-in `node-gyp` whose bin records `<markers>/gyp-<package>`.
 */
function fakeNodeGyp(markers: string): Fixture {
  const bin = `#!/usr/bin/env node
const fs = require('fs'), path = require('path');
const name = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')).name.replace(/[@/]/g, '_');
fs.mkdirSync(${JSON.stringify(markers)}, { recursive: true });
fs.writeFileSync(path.join(${JSON.stringify(markers)}, 'gyp' + name), process.argv.slice(2).join(' '));
`;
  const manifest = { name: 'node-gyp', version: '11.0.0', license: 'MIT', bin: { 'node-gyp': 'bin.js' } };
  // writeFixture writes `files` after its own package.json: this one (with `bin`) wins.
  return { name: 'node-gyp', version: '11.0.0', files: { 'package.json': `${JSON.stringify(manifest, null, 2)}\n`, 'bin.js': bin } };
}

/** The marker label the fake node-gyp writes for a package. */
export const gypMarker = (name: string): string => `gyp${name.replace(/[@/]/g, '_')}`;

export function fixtures(reg: Registry, markers: string): Fixture[] {
  const m = (label: string) => ({ postinstall: markerScript(markers, label) });
  return [
    fakeNodeGyp(markers),
    { name: `${S}/plain`, version: '1.0.0' },
    { name: `${S}/unapproved`, version: '1.0.0', scripts: m('unapproved') },
    { name: `${S}/approved`, version: '1.0.0', scripts: m('approved') },
    { name: `${S}/parent`, version: '1.0.0', dependencies: { [`${S}/unapproved`]: '^1.0.0' } },
    { name: `${S}/ranged`, version: '1.0.0', scripts: m('ranged-1.0.0') },
    { name: `${S}/ranged`, version: '1.5.0', scripts: m('ranged-1.5.0') },
    { name: `${S}/ranged`, version: '2.0.0', scripts: m('ranged-2.0.0') },
    { name: `${S}/gyp`, version: '1.0.0', files: { 'binding.gyp': gyp } },
    { name: `${S}/denyscripts`, version: '1.0.0', scripts: m('denyscripts') },
    { name: `${S}/denied`, version: '1.0.0', scripts: m('denied') },
    { name: `${S}/malicious`, version: '1.0.0', scripts: m('malicious') },
    { name: TYPOSQUAT, version: '1.0.0', scripts: m('typosquat') },
    {
      name: `${S}/exotic-parent`,
      version: '1.0.0',
      dependencies: { [`${S}/tarball-child`]: `${reg.url}${S}/tarball-child/-/tarball-child-1.0.0.tgz` },
    },
    { name: `${S}/tarball-child`, version: '1.0.0', scripts: m('tarball-child') },
  ];
}

export const OSV_RECORD = {
  schema_version: '1.6.0',
  id: 'MAL-2099-0002',
  summary: `Malicious code in ${S}/malicious (test fixture)`,
  affected: [{ package: { ecosystem: 'npm', name: `${S}/malicious` }, versions: ['1.0.0'] }],
};

export interface Ctx {
  reg: Registry;
  markers: string;
  t: Tool;
  linker: Linker;
}

export async function setUp(ctx: Partial<Ctx>): Promise<void> {
  ensurePlugin();
  ctx.t = await tool('yarn4');
}

export async function publishAll(reg: Registry, markers: string): Promise<void> {
  await publish(reg, fixtures(reg, markers));
}

/**
 * A Yarn project wired to the local registry only, with the plugin listed in `.yarnrc.yml`
 * (`plugin: false` leaves it out). `policy` becomes lifeguard.json (a string verbatim).
 */
export function project(
  ctx: Ctx,
  deps: Record<string, string>,
  opts: { policy?: unknown; files?: Record<string, string>; yarnrc?: string[]; plugin?: boolean; pkg?: Record<string, unknown> } = {},
): string {
  const files: Record<string, string> = { ...(opts.files ?? {}) };
  if (opts.policy !== undefined) files['lifeguard.json'] = typeof opts.policy === 'string' ? opts.policy : `${JSON.stringify(opts.policy, null, 2)}\n`;
  files['package.json'] = `${JSON.stringify({ name: 'lg-yarn-project', version: '1.0.0', private: true, dependencies: deps, ...(opts.pkg ?? {}) }, null, 2)}\n`;
  // An empty yarn.lock marks the directory as a project of its own (the repo root has a package.json).
  files['yarn.lock'] ??= '';
  files['.yarnrc.yml'] = yarnrc(ctx.reg, ctx.linker, [
    ...(opts.plugin === false ? [] : ['plugins:', `  - ${JSON.stringify(ensurePlugin())}`]),
    ...(opts.yarnrc ?? []),
  ]);
  return tempProject(files);
}

export function setPolicy(dir: string, policy: unknown): void {
  writeFileSync(join(dir, 'lifeguard.json'), typeof policy === 'string' ? policy : `${JSON.stringify(policy, null, 2)}\n`);
}

export function setDeps(dir: string, deps: Record<string, string>): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg.dependencies = deps;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Runs Yarn in `dir` with its global folder and cache inside the project. */
export function yarn(ctx: Ctx, dir: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run(ctx.t, args, {
    cwd: dir,
    env: { YARN_GLOBAL_FOLDER: join(dir, '.yarn-global'), YARN_ENABLE_GLOBAL_CACHE: 'false', YARN_ENABLE_TELEMETRY: '0', ...env },
  });
}


export const PROJECT_STATE = ['package.json', 'yarn.lock', '.pnp.cjs', '.pnp.loader.mjs', 'node_modules'];
export const projectHash = (dir: string): string => hashTree(dir, PROJECT_STATE);

export { newMarkers, out, resetMarkers };

/**
 * The plugin's file of `kind` for a project (outside it, in Yarn's global folder: the suites point
 * that into the project's `.yarn-global`), or undefined when there is none.
 */
export function lifeguardFile(dir: string, kind: 'clean' | 'verdicts'): string | undefined {
  const folder = join(dir, '.yarn-global', 'lifeguard');
  const found = existsSync(folder) ? readdirSync(folder).filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.json')) : [];
  if (found.length > 1) throw new Error(`more than one ${kind} file in ${folder}: ${found.join(', ')}`);
  return found[0] === undefined ? undefined : join(folder, found[0]);
}
