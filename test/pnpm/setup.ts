/**
 * Shared set-up of the pnpm end-to-end suites: fixtures, the built pnpmfile, project helpers.
 * Each test file starts its own registry (one per file) and publishes what it needs.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TYPOSQUAT, assertTyposquatFixture, ensureBuilt, hashTree, newMarkers, out, resetMarkers, markerScript, pnpmProject, publish, run, tool, type Fixture, type Registry, type RunResult, type Tool,
} from '../harness/index';

export const VERSIONS = ['pnpm10', 'pnpm11', 'pnpm12'] as const;
export type PnpmName = (typeof VERSIONS)[number];


export function ensurePnpmfile(): string {
  return ensureBuilt('pnpm-hook', 'dist/pnpmfile.cjs');
}

export { TYPOSQUAT, assertTyposquatFixture };

export const S = '@lg-fixture';
// A target of type "none": node-gyp configures and "builds" it (creating build/) in well under a second.
const gyp = '{ "targets": [ { "target_name": "noop", "type": "none" } ] }\n';

/** Every fixture the pnpm suites use; scripts write markers into `markers`. */
export function fixtures(reg: Registry, markers: string): Fixture[] {
  const m = (label: string) => ({ postinstall: markerScript(markers, label) });
  return [
    { name: `${S}/pn-plain`, version: '1.0.0' },
    { name: `${S}/pn-unapproved`, version: '1.0.0', scripts: m('unapproved') },
    { name: `${S}/pn-approved`, version: '1.0.0', scripts: m('approved') },
    { name: `${S}/pn-ranged`, version: '1.0.0', scripts: m('ranged-1.0.0') },
    { name: `${S}/pn-ranged`, version: '1.5.0', scripts: m('ranged-1.5.0') },
    { name: `${S}/pn-ranged`, version: '2.0.0', scripts: m('ranged-2.0.0') },
    { name: `${S}/pn-gyp`, version: '1.0.0', files: { 'binding.gyp': gyp } },
    { name: `${S}/pn-gyp-ok`, version: '1.0.0', files: { 'binding.gyp': gyp } },
    { name: `${S}/pn-denyscripts`, version: '1.0.0', scripts: m('denyscripts') },
    { name: `${S}/pn-denied`, version: '1.0.0', scripts: m('denied') },
    { name: `${S}/pn-malicious`, version: '1.0.0', scripts: m('malicious') },
    { name: TYPOSQUAT, version: '1.0.0', scripts: m('typosquat') },
    // A published package whose dependency is an http(s) tarball (here: another fixture's tarball).
    {
      name: `${S}/pn-exotic-parent`,
      version: '1.0.0',
      dependencies: { '@lg-fixture/pn-tarball-child': `${reg.url}@lg-fixture/pn-tarball-child/-/pn-tarball-child-1.0.0.tgz` },
    },
    { name: `${S}/pn-tarball-child`, version: '1.0.0', scripts: m('tarball-child') },
  ];
}

export const OSV_RECORD = {
  schema_version: '1.6.0',
  id: 'MAL-2099-0001',
  summary: 'Malicious code in @lg-fixture/pn-malicious (test fixture)',
  affected: [{ package: { ecosystem: 'npm', name: `${S}/pn-malicious` }, versions: ['1.0.0'] }],
};

export async function publishAll(reg: Registry, markers: string): Promise<void> {
  await publish(reg, fixtures(reg, markers));
}

export interface Ctx {
  reg: Registry;
  markers: string;
  t: Tool;
  v: PnpmName;
}

/**
 * A project that uses Lifeguard via `.pnpmfile.cjs` (a copy of dist/pnpmfile.cjs). `policy`
 * becomes lifeguard.json (a string is written verbatim; undefined: no file).
 */
export function project(
  ctx: Ctx,
  deps: Record<string, string>,
  opts: { policy?: unknown; workspaceYaml?: string; npmrc?: string; files?: Record<string, string>; pnpmfile?: boolean } = {},
): string {
  const files: Record<string, string> = { ...(opts.files ?? {}) };
  if (opts.policy !== undefined) files['lifeguard.json'] = typeof opts.policy === 'string' ? opts.policy : `${JSON.stringify(opts.policy, null, 2)}\n`;
  const dir = pnpmProject(ctx.reg, { dependencies: deps }, {
    files,
    ...(opts.workspaceYaml !== undefined ? { workspaceYaml: opts.workspaceYaml } : {}),
    ...(opts.npmrc !== undefined ? { npmrc: opts.npmrc } : {}),
  });
  if (opts.pnpmfile !== false) copyFileSync(ensurePnpmfile(), join(dir, '.pnpmfile.cjs'));
  return dir;
}

export function setPolicy(dir: string, policy: unknown): void {
  writeFileSync(join(dir, 'lifeguard.json'), `${JSON.stringify(policy, null, 2)}\n`);
}

export function setDeps(dir: string, deps: Record<string, string>): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg.dependencies = deps;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

export async function pnpm(ctx: Ctx, dir: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run(ctx.t, args, { cwd: dir, env });
}


export const PROJECT_STATE = ['package.json', 'pnpm-lock.yaml', 'node_modules'];
export const projectHash = (dir: string): string => hashTree(dir, PROJECT_STATE);

export { newMarkers, out, resetMarkers };

export async function getTool(v: PnpmName): Promise<Tool> {
  return tool(v);
}
