import { evaluate, refusalLines, type Finding, type Policy } from '@lifeguard/core';

/**
 * Config dependencies (`configDependencies` in pnpm-workspace.yaml, and in pnpm-lock.yaml) are
 * installed, and their pnpmfiles loaded, before any hook of Lifeguard's runs: no readPackage or
 * lockfile check ever sees them. updateConfig judges them instead, on every command.
 */
export interface ConfigDependency {
  readonly name: string;
  readonly version: string;
}

const versionOf = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.split('+')[0]!.trim(); // "1.0.0+sha512-…" (pnpm 10), "1.0.0" (11/12)
  if (typeof v === 'object' && v !== null && typeof (v as { version?: unknown }).version === 'string') return (v as { version: string }).version;
  return undefined;
};

/** `config.configDependencies` (the yaml's, as pnpm read it) plus the lockfile's `importers['.'].configDependencies`. */
export function configDependencies(config: Record<string, unknown>, lockfileText: string): ConfigDependency[] {
  const found = new Map<string, ConfigDependency>();
  const add = (name: string, version: string | undefined) => {
    if (version !== undefined && version !== '') found.set(`${name}@${version}`, { name, version });
  };
  const declared = config.configDependencies;
  if (typeof declared === 'object' && declared !== null) for (const [name, v] of Object.entries(declared)) add(name, versionOf(v));
  // Most lockfiles have none: one substring search instead of a pass over every line.
  if (lockfileText.includes('configDependencies:')) for (const d of lockedConfigDependencies(lockfileText)) add(d.name, d.version);
  return [...found.values()];
}

const unquote = (s: string): string => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/** `importers: .: configDependencies: <name>: version: <v>` in any YAML document of pnpm-lock.yaml. */
export function lockedConfigDependencies(text: string): ConfigDependency[] {
  const out: ConfigDependency[] = [];
  let section = '';
  let importer = '';
  let inBlock = false;
  let name: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body === '' || body.startsWith('#')) continue;
    if (indent === 0) {
      section = body.replace(/:.*$/, '');
      inBlock = false;
      continue;
    }
    if (section !== 'importers') continue;
    const m = /^(.+?):(?:\s+(.*))?$/.exec(body);
    if (!m) continue;
    if (indent === 2) [importer, inBlock] = [unquote(m[1]!), false];
    else if (indent === 4) [inBlock, name] = [importer === '.' && m[1] === 'configDependencies', undefined];
    else if (inBlock && indent === 6) name = unquote(m[1]!);
    else if (inBlock && indent === 8 && name !== undefined && m[1] === 'version' && m[2] !== undefined) out.push({ name, version: versionOf(unquote(m[2]))! });
  }
  return out;
}

/** What the policy says about each config dependency: refusals and warnings (scripts are not Lifeguard's to gate here: pnpm runs none). */
export function configDependencyFindings(policy: Policy, deps: readonly ConfigDependency[]): Finding[] {
  const found: Finding[] = [];
  for (const d of deps) {
    const verdict = evaluate(policy, { name: d.name, version: d.version, source: 'registry' });
    found.push(...verdict.findings.filter((f) => f.action !== 'skip-scripts' && f.code !== 'LIFEGUARD_SCRIPTS'));
  }
  return found;
}

export function configDependencyMessage(findings: readonly Finding[], file: string | undefined): string {
  return [
    ...refusalLines(findings, file, 'as a config dependency'),
    '  pnpm installs config dependencies, and loads their pnpmfiles, before any Lifeguard hook runs: remove it from "configDependencies" in pnpm-workspace.yaml,',
    '  then delete node_modules/.pnpm-config and run `pnpm install`.',
  ].join('\n');
}
