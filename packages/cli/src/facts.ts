import type { PackageFacts } from '@lifeguard/core';
import type { InstalledManifest } from './installed';

/** Lockfile facts, completed with the installed package.json where `--installed` found one. */
export function withInstalled(facts: PackageFacts, installed: ReadonlyMap<string, InstalledManifest> | undefined): PackageFacts {
  const m = installed?.get(`${facts.name}@${facts.version}`);
  return m ? { ...facts, scripts: m.scripts, hasBindingGyp: m.hasBindingGyp } : facts;
}
