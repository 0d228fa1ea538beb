// What a registry install of a packed package needs, read from the tarball itself (used by
// scripts/release.mjs, which fails the release on any problem; tested in test/release).
import { execFileSync } from 'node:child_process';

/** The packed manifest and every reason the tarball would not work installed from a registry. */
export function tarballProblems(file) {
  const listed = new Set(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => p.replace(/^package\//, '')));
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
  const problems = [];
  for (const key of ['license', 'repository', 'engines', 'files']) if (manifest[key] === undefined) problems.push(`no "${key}"`);
  if (!listed.has('README.md')) problems.push('no README.md');
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(?:workspace|link|file|portal):/.test(String(range))) problems.push(`${field}.${name} is "${range}"`);
    }
  }
  const entries = [];
  const walk = (v) => (typeof v === 'string' ? entries.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
  walk([manifest.main, manifest.types, manifest.exports, manifest.bin]);
  for (const e of entries) {
    const p = e.replace(/^\.\//, '');
    if (/\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p)) problems.push(`entry point ${e} is TypeScript source`);
    else if (!listed.has(p)) problems.push(`entry point ${e} is not in the tarball`);
  }
  return { manifest, problems };
}
