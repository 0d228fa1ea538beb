import { policyLabel } from '@lifeguard/core';

/**
 * `pnpm approve-builds [<pkg>]` builds the chosen packages at once, whatever the hook set, and on
 * pnpm 10/11 writes the build switches into pnpm-workspace.yaml (Lifeguard's computed gate with
 * them). Under Lifeguard the approval list is lifeguard.json, so the command is refused with the
 * line to add for each package it would build.
 */
export function approveBuildsMessage(requested: readonly string[], ignored: readonly string[], file: string | undefined): string {
  const named = requested.length > 0 ? requested.map((n) => ignored.find((id) => id.slice(0, id.lastIndexOf('@')) === n) ?? n) : ignored;
  const policy = file ?? 'lifeguard.json';
  const lines = [`Lifeguard refused \`pnpm approve-builds\`: with Lifeguard, lifeguard.json decides which install scripts run, and this command would run them now.`];
  if (named.length === 0) lines.push(`  to approve a package's scripts: add "<name>@<version>" to "scripts.allow" in ${policy}, then run \`pnpm install\``);
  for (const id of [...new Set(named)].sort()) lines.push(`  to approve ${id}: add "${id}" to "scripts.allow" in ${policy}, then run \`pnpm install\``);
  lines.push(`  policy: ${policyLabel(file)}`, '  Nothing was built or changed.');
  return lines.join('\n');
}

/** The arguments after the command that are not options: the packages asked for. */
export function positionalAfter(args: readonly string[], command: string): string[] {
  const at = args.indexOf(command);
  return at < 0 ? [] : args.slice(at + 1).filter((a) => !a.startsWith('-'));
}
