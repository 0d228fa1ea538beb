import { homedir } from 'node:os';
import { join } from 'node:path';
import { POLICY_MAX_BYTES, readRegularFile } from '@lifeguard/loader/safe-read';

/** The config texts Bun takes its registries from: bunfig.toml and .npmrc files, and the env. */
export interface RegistrySources {
  readonly bunfig: readonly string[];
  readonly npmrc: readonly string[];
  readonly env: readonly string[];
}

// The loader's bounded, non-blocking reader: a FIFO planted as .npmrc must not hang the scanner.
const text = (file: string): string => {
  try {
    return readRegularFile(file, POLICY_MAX_BYTES).toString('utf8');
  } catch {
    return '';
  }
};

/**
 * The project's and the user's bunfig.toml and .npmrc, and the registry env vars Bun reads. A
 * registry package's tarball must come from one of them (or the public registry): Bun downloads the
 * URL a bun.lock entry names, so a forged entry could put another package's code under a trusted
 * name. Read as text by the small scanner too: they are part of what a remembered verdict depends on.
 */
export function registrySources(dir: string, env: NodeJS.ProcessEnv): RegistrySources {
  const home = env.HOME ?? homedir();
  const userBunfig = join(env.XDG_CONFIG_HOME ?? home, '.bunfig.toml');
  return {
    bunfig: [text(join(dir, 'bunfig.toml')), text(userBunfig), ...(env.XDG_CONFIG_HOME ? [text(join(home, '.bunfig.toml'))] : [])],
    npmrc: [text(join(dir, '.npmrc')), text(join(home, '.npmrc'))],
    env: [env.BUN_CONFIG_REGISTRY, env.NPM_CONFIG_REGISTRY, env.npm_config_registry].filter((v): v is string => typeof v === 'string' && v !== ''),
  };
}
