import { join } from 'node:path';
import { manifestApprovals, pnpmApprovals, type NativeApprovals } from '@lifeguard/core';
import { parse } from 'yaml';
import { readText } from './writes';

/**
 * The script approvals and denials the project already keeps in its package managers' own
 * settings: pnpm-workspace.yaml, and package.json (pnpm, Yarn, npm and Bun fields). All of them,
 * whichever package manager is detected: a team moving between them keeps what it reviewed.
 */
export function readNativeApprovals(dir: string): NativeApprovals {
  const out: NativeApprovals = { approvals: [], unusable: [] };
  const add = (r: NativeApprovals) => {
    out.approvals.push(...r.approvals);
    out.unusable.push(...r.unusable);
  };
  try {
    add(pnpmApprovals(parse(readText(join(dir, 'pnpm-workspace.yaml'))), 'pnpm-workspace.yaml'));
  } catch {
    // An unparsable pnpm-workspace.yaml fails pnpm itself, with a better message than ours.
  }
  try {
    add(manifestApprovals(JSON.parse(readText(join(dir, 'package.json')) || 'null'), 'package.json'));
  } catch {
    // Same for package.json.
  }
  return out;
}
