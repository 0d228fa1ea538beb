import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Project } from './yarn';

/**
 * Where the project's policy is. `yarn dlx` installs into a temporary project (`<tmp>/dlx-<pid>`)
 * that copies the invoking project's .yarnrc.yml, Lifeguard included, but not its lifeguard.json:
 * there the policy is the one of the project dlx was run from (found the way dlx finds it: the
 * nearest folder with a yarn.lock, else the topmost with a package.json), so `yarn dlx` cannot
 * fetch what the project denies.
 */
export function policyDir(project: Project): string {
  if (basename(project.cwd) !== `dlx-${process.pid}`) return project.cwd;
  let manifest: string | undefined;
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'yarn.lock'))) return dir;
    if (existsSync(join(dir, 'package.json'))) manifest = dir;
    if (dirname(dir) === dir) return manifest ?? project.cwd;
  }
}
