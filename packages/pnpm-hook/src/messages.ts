import type { Finding } from '@lifeguard/core';

const policyName = (file: string | undefined): string => file ?? 'the built-in default policy (create lifeguard.json at the project root to change it)';

/**
 * The Error message thrown from a hook. It must stand on its own: pnpm 12 prints it inside
 * ERR_PNPM_PNPMFILE_FAIL, pnpm 10/11 after " ERROR ".
 */
export function refusalMessage(findings: readonly Finding[], file: string | undefined, where: string): string {
  const first = findings[0];
  const head = first
    ? `Lifeguard refused ${first.package}@${first.version} ${where} [${first.code}, rule ${first.rule}]`
    : `Lifeguard refused the install ${where}`;
  const lines = [head];
  const seen = new Set<string>();
  for (const f of findings) {
    const key = `${f.code}:${f.package}@${f.version}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${f.code} ${f.package}@${f.version}: ${f.message}`, `    to allow it: ${f.fix}`);
  }
  lines.push(`  policy: ${policyName(file)}`, '  Nothing was installed or changed.');
  return lines.join('\n');
}

export function warningLine(f: Finding): string {
  return `Lifeguard warning [${f.code}, rule ${f.rule}]: ${f.message} (to silence: ${f.fix})`;
}

/** End-of-install list of packages whose lifecycle scripts did not run, and how to approve each. */
export function skippedSummary(findings: readonly Finding[], file: string | undefined): string {
  const sorted = [...findings].sort((a, b) => (`${a.package}@${a.version}` < `${b.package}@${b.version}` ? -1 : 1));
  const lines = [`Lifeguard: install scripts of ${sorted.length} package${sorted.length === 1 ? '' : 's'} did not run (policy: ${policyName(file)}):`];
  for (const f of sorted) {
    const lifecycle = Array.isArray(f.details?.lifecycle) ? ` (${(f.details.lifecycle as string[]).join(', ')})` : '';
    lines.push(`  - ${f.package}@${f.version}${lifecycle} [${f.rule}]: to run them, ${f.fix}`);
  }
  lines.push('  After approving them in lifeguard.json, the next `pnpm install` builds them.');
  return lines.join('\n');
}

/** pnpm takes exact versions only: a range approval covers a version once it is in the lockfile. */
export function pendingLine(ids: readonly string[]): string {
  return `Lifeguard: approved by scripts.allow but first resolved in this install, so not built yet: ${[...ids].sort().join(', ')}. Run \`pnpm install\` again to build them.`;
}
