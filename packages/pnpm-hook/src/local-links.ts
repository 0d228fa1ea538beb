import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PackageFacts } from '@lifeguard/core';

/**
 * The packages in local folders a project manifest depends on (`link:` / `file:` a directory).
 * pnpm 10/11 link them without ever calling readPackage for their manifest, so a denied package
 * copied into the repository was installed unchecked. Their manifests are read here.
 */
export function localDependencies(projectDir: string, fields: ReadonlyArray<Readonly<Record<string, unknown>>>): PackageFacts[] {
  const out: PackageFacts[] = [];
  for (const spec of fields.flatMap((deps) => Object.values(deps))) {
    if (typeof spec !== 'string') continue;
    const m = /^(link|file):(.+)$/.exec(spec);
    if (!m || /\.(tgz|tar\.gz|tar)$/i.test(m[2]!)) continue;
    const folder = isAbsolute(m[2]!) ? m[2]! : resolve(projectDir, m[2]!);
    let manifest: { name?: unknown; version?: unknown };
    try {
      manifest = JSON.parse(readFileSync(resolve(folder, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      continue; // pnpm reports a missing or broken folder itself
    }
    if (typeof manifest.name !== 'string') continue;
    out.push({
      name: manifest.name,
      version: typeof manifest.version === 'string' ? manifest.version : '0.0.0',
      source: m[1] === 'link' ? 'link' : 'file',
      resolved: spec,
    });
  }
  return out;
}
