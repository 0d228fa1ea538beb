/**
 * Where Lifeguard's files are, and how its cache files are written. Node builtins only: the pnpm
 * hook's small entry (which must not load the engine) uses these too.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Lifeguard's own cache folder: `$LIFEGUARD_CACHE_DIR`, else `$XDG_CACHE_HOME/lifeguard`, else `~/.cache/lifeguard`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.LIFEGUARD_CACHE_DIR) return resolve(env.LIFEGUARD_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'lifeguard');
  return join(homedir(), '.cache', 'lifeguard');
}

/** The user-level policy: `$XDG_CONFIG_HOME/lifeguard/lifeguard.json`, else `$HOME/.config/lifeguard/lifeguard.json`. */
export function userPolicyPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.config') : undefined;
  return base === undefined ? undefined : join(base, 'lifeguard', 'lifeguard.json');
}

/**
 * Atomic write: temp file beside the target (created exclusively), fsync, rename. Returns false if
 * the folder is not writable. No node:crypto here: the pnpm hook's entry loads this on every command.
 */
export function writeAtomic(file: string, parts: Array<string | Uint8Array>): boolean {
  const tmp = `${file}.${process.pid}.${process.hrtime.bigint().toString(36)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      for (const p of parts) {
        if (typeof p === 'string') writeSync(fd, p);
        else writeSync(fd, p);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing written */
    }
    return false;
  }
}
