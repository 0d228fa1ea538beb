import { evaluate, type PackageFacts, type Policy } from '@lifeguard/core';
import { askYes } from '../ask';
import { colors } from '../output';

/** An existing dependency the typosquat check flags: it stays refused until someone says it is the package they meant. */
export interface Lookalike {
  readonly name: string;
  readonly versions: readonly string[];
  /** The finding's sentence: what it resembles and how. */
  readonly reason: string;
  /** Monthly downloads of the name itself, when the detector's snapshot knows them. */
  readonly downloads?: number;
}

/** The dependencies of today's tree the detector would flag (refused or warned), one entry per name. */
export function findLookalikes(policy: Policy, packages: readonly PackageFacts[]): Lookalike[] {
  const byName = new Map<string, { versions: Set<string>; reason: string; downloads?: number }>();
  for (const facts of packages) {
    if (facts.workspace) continue;
    const f = evaluate(policy, { ...facts, scripts: {} }).findings.find((x) => x.code === 'LIFEGUARD_TYPOSQUAT');
    if (!f) continue;
    const entry = byName.get(facts.name) ?? { versions: new Set<string>(), reason: f.message };
    entry.versions.add(facts.version);
    const downloads = f.details?.downloads;
    if (typeof downloads === 'number' && Number.isFinite(downloads)) entry.downloads = downloads;
    byName.set(facts.name, entry);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, e]) => ({ name, versions: [...e.versions], reason: e.reason, ...(e.downloads !== undefined ? { downloads: e.downloads } : {}) }));
}

/**
 * Lists the look-alikes and returns the names to write to `typosquat.ignore`: all of them with
 * `--yes` or a "y" at the terminal prompt, none otherwise (then they stay refused, and the message
 * says how to keep them). Never an approval the user did not give.
 */
export function confirmLookalikes(found: readonly Lookalike[], yes: boolean, out: (s: string) => void): string[] {
  if (found.length === 0) return [];
  out(colors.yellow(`  look-alikes: ${found.length} existing dependenc${found.length === 1 ? 'y looks' : 'ies look'} like a typosquat of a popular package:`));
  for (const l of found) {
    const downloads = l.downloads !== undefined ? ` (${l.downloads.toLocaleString('en-US')} downloads a month)` : '';
    out(`              ${l.name}@${l.versions.join(', ')}${downloads}: ${l.reason}`);
  }
  const names = found.map((l) => l.name);
  if (yes || askYes(`  Are these the packages you meant? Writes them to "typosquat.ignore" [y/N] `)) {
    out(`  ignored   ${names.join(', ')} ("typosquat.ignore" in lifeguard.json)`);
    return names;
  }
  out(colors.yellow(`  they stay refused: if they are the packages you meant, run \`lifeguard init --force --yes\` or add them to "typosquat.ignore" in lifeguard.json`));
  return [];
}
