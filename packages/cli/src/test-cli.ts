import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Helpers for the CLI tests: they run the built CLI (`pnpm build` comes first in `pnpm test`) as a user would.
const BIN = join(__dirname, '../bin/lifeguard.cjs');

/** A throwaway project directory with `files` written into it. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeguard-cli-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

export function lifeguard(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return lifeguardWith({}, cwd, ...args);
}

/**
 * The same with extra environment. The package manager running the tests (`pnpm test` sets
 * npm_config_user_agent) is removed: init reads it to guess the project's package manager.
 */
export function lifeguardWith(env: Record<string, string>, cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const { npm_config_user_agent: _, ...inherited } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...inherited, NO_COLOR: '1', LIFEGUARD_POLICY: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
