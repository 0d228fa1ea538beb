import { refusalLines, skippedBuild, skippedLines, type Finding } from '@lifeguard/core';

/**
 * The Error message thrown from a hook. It must stand on its own: pnpm 12 prints it inside
 * ERR_PNPM_PNPMFILE_FAIL, pnpm 10/11 after " ERROR ".
 */
export const refusalMessage = (findings: readonly Finding[], file: string | undefined, where: string): string =>
  [...refusalLines(findings, file, where), '  Nothing was installed or changed.'].join('\n');

/**
 * End-of-install list of packages whose lifecycle scripts did not run, and how to approve each.
 * pnpm prints its own "Run pnpm approve-builds" next to it, which builds a package at once outside
 * the policy: say where approvals go instead.
 */
export const skippedSummary = (findings: readonly Finding[], file: string | undefined): string =>
  [...skippedLines(findings.map(skippedBuild), file, 'pnpm install'), '  Approve them in lifeguard.json, not with `pnpm approve-builds` (Lifeguard\'s gate replaces pnpm\'s own list).'].join('\n');

/** pnpm takes exact versions only: a range approval covers a version once it is in the lockfile. */
export function pendingLine(ids: readonly string[]): string {
  return `Lifeguard: approved by scripts.allow but first resolved in this install, so not built yet: ${[...ids].sort().join(', ')}. Run \`pnpm install\` again to build them.`;
}
