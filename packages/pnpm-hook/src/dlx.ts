/**
 * `pnpm dlx <pkg>` approves the builds of the packages it runs for its own install, whatever
 * updateConfig set (pnpm 10/11; pnpm 12 calls no install hook there): their install scripts run.
 * Lifeguard still refuses what the policy refuses in that install, and must not claim those
 * scripts "did not run".
 */

/** The names of the packages `pnpm dlx` runs (`--package` / `-p` values, else the command), from its arguments. */
export function dlxPackages(args: readonly string[]): Set<string> {
  const at = args.indexOf('dlx');
  const names = new Set<string>();
  if (at < 0) return names;
  let command: string | undefined;
  for (let i = at + 1; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--package=(.+)$/.exec(a);
    if (m) names.add(nameOf(m[1]!));
    else if (a === '--package' || a === '-p') names.add(nameOf(args[++i] ?? ''));
    else if (!a.startsWith('-')) {
      command = a;
      break; // the rest are the command's own arguments
    }
  }
  if (names.size === 0 && command !== undefined) names.add(nameOf(command));
  names.delete('');
  return names;
}

/** `@scope/name@1.0.0` -> `@scope/name`. */
const nameOf = (spec: string): string => {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
};

export const dlxLine = (ids: readonly string[]): string =>
  `Lifeguard: pnpm dlx approves the builds of the package it runs, so the install scripts of ${[...ids].sort().join(', ')} ran; lifeguard.json does not gate them (everything else in this install was checked).`;
