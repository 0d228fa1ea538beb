import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `ignoredBuilds` of node_modules/.modules.yaml (`name@version` of builds pnpm skipped; JSON in practice), or undefined. */
export function ignoredBuilds(dir: string): string[] | undefined {
  try {
    const ignored = (JSON.parse(readFileSync(join(dir, 'node_modules', '.modules.yaml'), 'utf8')) as { ignoredBuilds?: unknown }).ignoredBuilds;
    return Array.isArray(ignored) ? ignored.filter((e): e is string => typeof e === 'string' && e.lastIndexOf('@') > 0) : undefined;
  } catch {
    return undefined;
  }
}
