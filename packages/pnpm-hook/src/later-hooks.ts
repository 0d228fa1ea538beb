/**
 * pnpm 10 runs the updateConfig hooks of config-dependency plugins (`pnpm-plugin-*`) after the
 * project's pnpmfile: a plugin can widen the build gate Lifeguard just set (measured: an unapproved
 * postinstall ran). pnpm 10 hands updateConfig its own hook chain (`config.hooks.updateConfig`, walked
 * with for…of), so Lifeguard appends one last hook that refuses when the gate it set was changed.
 * pnpm 11/12 keep the chain elsewhere and run plugins first.
 */
type Config = Record<string, unknown>;

/** The settings that decide which builds run, including pnpm 10's package.json `pnpm` lists. */
const GATE_KEYS = ['dangerouslyAllowAllBuilds', 'allowBuilds', 'onlyBuiltDependencies', 'onlyBuiltDependenciesFile', 'neverBuiltDependencies', 'strictDepBuilds'] as const;
const MANIFEST_KEYS = ['onlyBuiltDependencies', 'onlyBuiltDependenciesFile', 'neverBuiltDependencies'] as const;

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** What the gate looks like in `config`: one string per setting. */
export function gateSnapshot(config: Config): Record<string, string> {
  const snap: Record<string, string> = {};
  for (const k of GATE_KEYS) snap[k] = JSON.stringify(config[k]) ?? 'undefined';
  const pnpm = obj(obj(config.rootProjectManifest)?.pnpm);
  for (const k of MANIFEST_KEYS) snap[`package.json pnpm.${k}`] = JSON.stringify(pnpm?.[k]) ?? 'undefined';
  return snap;
}

/** The settings whose value differs between two snapshots. */
export const changedSettings = (before: Record<string, string>, after: Record<string, string>): string[] =>
  Object.keys(before).filter((k) => before[k] !== after[k]);

/**
 * Appends `check` to pnpm 10's updateConfig chain (once): it runs after every other pnpmfile's
 * updateConfig and sees the final config.
 */
export function runLast(config: Config, check: (final: Config) => Config): void {
  const chain = obj(config.hooks)?.updateConfig;
  if (!Array.isArray(chain) || chain.includes(check)) return;
  chain.push(check);
}

/** The pnpmfiles pnpm loaded after `self` (every other one when `self` is not listed). */
export function laterPnpmfiles(config: Config, self: string): string[] {
  const files = Array.isArray(config.pnpmfile) ? config.pnpmfile.filter((f): f is string => typeof f === 'string') : [];
  const at = files.indexOf(self);
  return at < 0 ? files.filter((f) => f !== self) : files.slice(at + 1);
}

export function laterHookMessage(changed: readonly string[], files: readonly string[], file: string | undefined): string {
  return [
    `Lifeguard refused to run: a pnpmfile loaded after Lifeguard's changed pnpm's build gate (${changed.join(', ')}), which would let install scripts run that the policy does not approve.`,
    ...files.map((f) => `  loaded after Lifeguard: ${f}`),
    `  remove that pnpmfile's build settings (or the config dependency), or approve the packages in "scripts.allow" of ${file ?? 'lifeguard.json'}.`,
    '  Nothing was installed or changed.',
  ].join('\n');
}
