import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The path a project that depends on `lifeguard` has to its schema, whatever the linker (pnpm's
 * symlink, npm's and Yarn's node-modules hoisting): build.mjs copies core's schema beside the CLI bundle.
 */
const INSTALLED_SCHEMA = 'node_modules/lifeguard/dist/lifeguard.schema.json';

/**
 * The `$schema` for lifeguard.json: a relative path that exists from the project, or none (an
 * editor then offers no completion, which beats a path that does not resolve). `npx lifeguard`
 * runs from a cache outside the project, and Yarn PnP has no node_modules: no path then.
 */
export function schemaRef(projectDir: string): string | undefined {
  return existsSync(join(projectDir, INSTALLED_SCHEMA)) ? `./${INSTALLED_SCHEMA}` : undefined;
}
