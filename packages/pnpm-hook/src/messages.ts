import { refusalLines, skippedBuild, skippedLines, type Finding } from '@lifeguard/core';

/**
 * The Error message thrown from a hook. It must stand on its own: pnpm 12 prints it inside
 * ERR_PNPM_PNPMFILE_FAIL, pnpm 10/11 after " ERROR ".
 */
export const refusalMessage = (findings: readonly Finding[], file: string | undefined, where: string): string =>
  [...refusalLines(findings, file, where), '  Nothing was installed or changed.'].join('\n');

/** End-of-install list of packages whose lifecycle scripts did not run, and how to approve each. */
export const skippedSummary = (findings: readonly Finding[], file: string | undefined): string =>
  skippedLines(findings.map(skippedBuild), file, 'pnpm install').join('\n');

/** pnpm takes exact versions only: a range approval covers a version once it is in the lockfile. */
export function pendingLine(ids: readonly string[]): string {
  return `Lifeguard: approved by scripts.allow but first resolved in this install, so not built yet: ${[...ids].sort().join(', ')}. Run \`pnpm install\` again to build them.`;
}
