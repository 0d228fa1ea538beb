import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { PnpmVersion } from './gate';

/**
 * The arguments pnpm was started with (`pnpm install --frozen-lockfile` -> `['install', '--frozen-lockfile']`),
 * or undefined when Lifeguard cannot know them. pnpm 10/11 run hooks in their own process; pnpm 12
 * runs them in a node worker whose parent is the pnpm binary, readable on Linux from /proc.
 */
export function pnpmArgs(version: PnpmVersion | undefined, proc = '/proc'): string[] | undefined {
  if (version && version.major < 12) return process.argv.slice(2);
  try {
    const argv = readFileSync(`${proc}/${process.ppid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    // Only a pnpm binary's command line says anything about this command.
    return argv.length > 0 && /^pnpm(\.exe)?$/i.test(basename(argv[0]!)) ? argv.slice(1) : undefined;
  } catch {
    return undefined;
  }
}
