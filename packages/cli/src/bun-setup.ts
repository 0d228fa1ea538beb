import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bunTrustedDependencies, type Policy } from '@lifeguard/core';
import { bundlePath } from './bundles';
import { readLockfile } from './lockfiles/index';
import { colors } from './output';
import type { Wiring } from './init/wiring';
import type { PlannedWrite } from './init/writes';
import type { Project } from './project';
import { parseToml, setTomlKeys } from './toml';

/**
 * Where `init` puts the scanner: a committed file, so it exists before the first install of a
 * fresh clone (`bun install --frozen-lockfile` in CI) and nothing points into a checkout or cache.
 */
export const BUN_SCANNER_PATH = './.lifeguard/bun-scanner.js';
/** The engine the scanner imports from beside itself when a package set is new (see packages/bun-scanner). */
const ENGINE = 'lifeguard-bun-scanner-engine.js';
const OUR_SCANNERS = new Set([BUN_SCANNER_PATH, '.lifeguard/bun-scanner.js', 'lifeguard-bun-scanner']);

/**
 * Bun: the scanner files, `[install.security] scanner` in bunfig.toml, and the script policy as
 * `trustedDependencies` from the policy init is about to write (or the one it keeps). Nothing is
 * written here: init writes every planned file together, or none.
 */
export function wireBun(project: Project, force: boolean, policy: () => Policy): Wiring {
  const dir = project.dir;
  const writes: PlannedWrite[] = [];
  const lines: string[] = [];
  const out = (l: string): number => lines.push(l);
  // Read (and validate) bunfig.toml before writing anything: a file that is not TOML stops init here.
  const bunfig = join(dir, 'bunfig.toml');
  const old = existsSync(bunfig) ? readFileSync(bunfig, 'utf8') : '';
  const current = (parseToml(old, bunfig) as { install?: { security?: { scanner?: unknown } } }).install?.security?.scanner;
  // The same for package.json and the policy (an invalid lifeguard.json is named by loadPolicy).
  const pkgFile = join(dir, 'package.json');
  const pkg = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>) : undefined;
  const releases = project.lockfile ? readLockfile(project.lockfile).packages.filter((p) => !p.workspace) : [];
  const trusted = bunTrustedDependencies(policy(), releases);

  const entry = bundlePath('bun');
  const copies: [string, Buffer][] = [
    [join(dir, BUN_SCANNER_PATH), readFileSync(entry)],
    [join(dir, '.lifeguard', ENGINE), readFileSync(join(dirname(entry), ENGINE))],
  ];
  if (copies.every(([file, bytes]) => existsSync(file) && readFileSync(file).equals(bytes))) out(`  ok        ${BUN_SCANNER_PATH} (Lifeguard's Bun scanner, up to date)`);
  else {
    for (const [file, content] of copies) writes.push({ file, content });
    out(`  wrote     ${BUN_SCANNER_PATH} and .lifeguard/${ENGINE} (Lifeguard's Bun security scanner; commit both)`);
  }

  if (current === BUN_SCANNER_PATH) out('  ok        bunfig.toml already runs the Lifeguard scanner');
  else if (typeof current === 'string' && !OUR_SCANNERS.has(current) && !force) {
    // Bun runs one scanner: replacing someone's silently would drop their checks.
    out(colors.yellow(`  kept      bunfig.toml: [install.security] scanner is "${current}" (Bun runs one scanner; --force replaces it)`));
  } else {
    writes.push({ file: bunfig, content: setTomlKeys(old, bunfig, ['install', 'security'], { scanner: BUN_SCANNER_PATH }) });
    out('  wrote     bunfig.toml: [install.security] scanner (refusals stop `bun install` before anything is downloaded)');
  }

  if (!pkg) return { writes, lines };
  if (JSON.stringify(pkg.trustedDependencies) === JSON.stringify(trusted)) out(`  ok        package.json trustedDependencies (${trusted.length})`);
  else {
    writes.push({ file: pkgFile, content: `${JSON.stringify({ ...pkg, trustedDependencies: trusted }, null, 2)}\n` });
    out(`  wrote     package.json trustedDependencies: ${trusted.length ? trusted.join(', ') : '[] (no dependency script runs)'}`);
  }
  out(colors.dim('            Bun trusts names only: a name is listed when every locked release of it is approved; after editing'));
  out(colors.dim('            scripts.allow, run `lifeguard export --to bun --write`.'));
  return { writes, lines };
}
