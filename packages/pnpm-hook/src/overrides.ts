import { policyLabel } from '@lifeguard/core';
import { commandOf } from './command';

/**
 * pnpm settings that let builds run which lifeguard.json does not approve. Set on the command line
 * they beat updateConfig on pnpm 11 and 12.8+ (`--dangerously-allow-all-builds`,
 * `--config.dangerously-allow-all-builds=true`), and `--allow-build=<pkg>` widens the gate on pnpm 10/11.
 */
const GATE_SETTINGS = new Set(['dangerouslyAllowAllBuilds', 'allowBuild', 'allowBuilds', 'onlyBuiltDependencies', 'onlyBuiltDependenciesFile', 'neverBuiltDependencies']);

const RUNNERS = new Set(['exec', 'run', 'dlx', 'x', 'create', 'test', 't', 'start']);

const camel = (s: string): string => s.replace(/[-_]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/**
 * The options in `args` that set a build-gate setting (`--no-…` forms only narrow it, except
 * `--no-strict-dep-builds` under `unapproved: "refuse"`). pnpm 12 folds `--allow-build` into
 * allowBuilds (and pnpm-workspace.yaml) before updateConfig, which replaces it.
 */
export function gateOverrides(args: readonly string[], pnpm12 = false, refuseMode = false): string[] {
  const found: string[] = [];
  const command = commandOf(args);
  const at = command === undefined ? -1 : args.indexOf(command);
  for (const [i, arg] of args.entries()) {
    if (arg === '--') break;
    // `pnpm exec tool --x`, `pnpm run build --x`, `pnpm dlx pkg --x`: the rest is the tool's.
    if (i > at && at >= 0 && RUNNERS.has(command!) && !arg.startsWith('-')) break;
    if (!arg.startsWith('--')) continue;
    const [name, value] = arg.slice(2).split(/=(.*)/s);
    // `unapproved: "refuse"` relies on strictDepBuilds: turning it off makes pnpm skip instead of fail.
    if (refuseMode && /^(no-|config\.)?strict-?dep-?builds$/i.test(name!) && (name!.startsWith('no-') || value?.toLowerCase() === 'false')) {
      found.push(arg);
      continue;
    }
    if (arg.startsWith('--no-') || value?.toLowerCase() === 'false') continue;
    const setting = camel(name!.replace(/^config\./, '').split('.')[0]!);
    if (GATE_SETTINGS.has(setting) && !(pnpm12 && setting === 'allowBuild')) found.push(arg);
  }
  return found;
}

/** The refusal when a command-line option (or an unknown source, on pnpm 12 without /proc) widens the build gate. */
export function overrideMessage(options: readonly string[], file: string | undefined): string {
  const what = options.length > 0 ? options.map((o) => `\`${o}\``).join(', ') : 'dangerouslyAllowAllBuilds (set where Lifeguard cannot tell: pnpm 12 lets the command line override Lifeguard)';
  const policy = file ?? 'lifeguard.json';
  return [
    `Lifeguard refused to run: ${what} would override the build gate that the policy sets (on pnpm 11 and 12.8+ command-line settings beat Lifeguard's), so install scripts the policy does not approve could run.`,
    `  to run one package's scripts: add "<name>@<version>" to "scripts.allow" in ${policy}, then run the command without the option`,
    `  to let every dependency script run: set "scripts": { "unapproved": "run" } in ${policy}`,
    `  policy: ${policyLabel(file)}`,
    '  Nothing was installed or changed.',
  ].join('\n');
}
