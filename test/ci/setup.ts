/**
 * Shared by the CI-gate suites (`lifeguard check` against real pnpm, Yarn and npm installs):
 * fixtures, the CLI runner, and the registry facts a forged lockfile entry copies.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, hermeticEnv, markerScript, type Fixture, type Registry } from '../harness/index';

export const S = '@lg-ci';
const CLI = join(REPO, 'packages/cli/bin/lifeguard.cjs');

/**
 * `innocent` is what a forged entry claims to be; `denied@2.0.0` (refused by POLICY) is what it
 * makes the package manager fetch. Its postinstall is approved, so if it lands, its marker shows.
 */
export function fixtures(markers: string): Fixture[] {
  return [
    { name: `${S}/innocent`, version: '1.0.0' },
    { name: `${S}/denied`, version: '1.0.0' },
    { name: `${S}/denied`, version: '2.0.0', scripts: { postinstall: markerScript(markers, 'denied-2') } },
    { name: `${S}/builds`, version: '1.0.0', scripts: { postinstall: markerScript(markers, 'builds') } },
  ];
}

export const POLICY = { packages: { deny: [`${S}/denied@2.0.0`] }, scripts: { allow: [`${S}/denied`, `${S}/innocent`] } };

export function lifeguard(cwd: string, ...args: string[]): { code: number | null; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: hermeticEnv({}) });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** `dist.tarball` and `dist.integrity` of a published release, as a forged entry would copy them. */
export async function dist(reg: Registry, name: string, version: string): Promise<{ tarball: string; integrity: string }> {
  const res = await fetch(`${reg.url}${name.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${reg.token}` } });
  const doc = (await res.json()) as { versions: Record<string, { dist: { tarball: string; integrity: string } }> };
  const d = doc.versions[version]?.dist;
  if (!d) throw new Error(`${name}@${version} is not on the registry`);
  return d;
}

/** Replaces `from` by `to` in a project file, failing loudly when `from` is not there (a forgery that did not apply proves nothing). */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found in:\n${text}`);
  writeFileSync(path, next);
}
