import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a package's unpacked package.json in the virtual store says about its build. */
export interface InstalledScripts {
  readonly scripts: Record<string, string>;
  readonly hasBindingGyp: boolean;
}

const splitId = (id: string): [string, string] | undefined => {
  const at = id.lastIndexOf('@');
  return at > 0 ? [id.slice(0, at), id.slice(at + 1)] : undefined;
};

/**
 * The real scripts of `name@version` ids after pnpm linked them (node_modules/.pnpm/<name+version>[_peers]
 * /node_modules/<name>/package.json). Registry metadata may carry neither scripts nor
 * `hasInstallScript`, so this is what tells which builds were skipped, and what their scripts do.
 * Ids not found there (a custom or global virtual store, a hashed long name) are left out.
 */
export function installedScripts(projectDir: string, ids: Iterable<string>): Map<string, InstalledScripts> {
  const store = join(projectDir, 'node_modules', '.pnpm');
  let entries: string[];
  try {
    entries = readdirSync(store);
  } catch {
    return new Map();
  }
  const byPrefix = new Map<string, string>();
  for (const e of entries) {
    const cut = e.indexOf('_', e.indexOf('@', 1));
    const key = cut > 0 ? e.slice(0, cut) : e;
    if (!byPrefix.has(key)) byPrefix.set(key, e);
  }
  const out = new Map<string, InstalledScripts>();
  for (const id of ids) {
    const parts = splitId(id);
    if (!parts) continue;
    const entry = byPrefix.get(`${parts[0].replace('/', '+')}@${parts[1]}`);
    if (!entry) continue;
    const dir = join(store, entry, 'node_modules', parts[0]);
    try {
      const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: unknown };
      const scripts = typeof m.scripts === 'object' && m.scripts !== null ? (m.scripts as Record<string, string>) : {};
      out.set(id, { scripts, hasBindingGyp: existsSync(join(dir, 'binding.gyp')) });
    } catch {
      // Not unpacked (an optional dependency for another platform): nothing to tell.
    }
  }
  return out;
}
