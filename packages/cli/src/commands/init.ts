import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compilePolicy, parsePolicy, uncarriedApprovals, type NativeApprovals, type Policy } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { readNativeApprovals } from '../init/native';
import { installedApprovals, scriptEntries, type Approvals } from '../init/policy';
import { schemaRef } from '../init/schema';
import { wire } from '../init/wiring';
import { applyWrites, type PlannedWrite } from '../init/writes';
import { readLockfile } from '../lockfiles/index';
import { colors } from '../output';
import { detectProject, type Project } from '../project';
import { confirmLookalikes, findLookalikes } from './init-lookalikes';
import { confirmExoticSources, findExoticSources } from './init-sources';

export interface InitOptions {
  force?: boolean;
  pm?: string;
  /** Write today's look-alike dependencies to typosquat.ignore and its exotic sources to sources.allow without asking. */
  yes?: boolean;
}

/**
 * `lifeguard init`: a lifeguard.json that approves, by exact version, the packages that have
 * install scripts today plus the approvals the project already had natively, and the project's
 * package manager wired to Lifeguard. Idempotent; never overwrites a policy (or someone else's
 * pnpmfile) without --force. Every file is computed first and written together, or none is.
 */
export function init(opts: InitOptions, cwd: string): number {
  const project = detectProject(cwd, { pm: opts.pm });
  // The header first: the look-alike question (on a terminal) comes while the policy is planned.
  process.stdout.write(`${colors.bold('lifeguard init')}: ${project.manager} project (from ${project.evidence})\n`);
  const lines: string[] = [];
  const native = readNativeApprovals(project.dir);
  const policy = planPolicy(project, native, opts);
  const wiring = wire(project, opts.force === true, () => policy.policy ?? loadPolicy(project.dir).policy);
  const writes = [...policy.writes, ...wiring.writes];
  applyWrites(writes);
  lines.push(...policy.lines, ...wiring.lines, colors.dim(`  files are relative to ${relative(process.cwd(), project.dir) || '.'}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function planPolicy(project: Project, native: NativeApprovals, opts: InitOptions): { writes: PlannedWrite[]; lines: string[]; policy?: Policy } {
  const file = join(project.dir, 'lifeguard.json');
  if (existsSync(file) && !opts.force) return { writes: [], lines: ['  kept      lifeguard.json (exists; --force rewrites it)', ...nativeNotCarried(file, native)] };
  const tree = project.lockfile ? readLockfile(project.lockfile) : undefined;
  // Look-alikes in today's tree are listed and kept only when the user says so: never approved silently.
  const policyOf = (json: object): Policy => compilePolicy(parsePolicy(JSON.stringify(json), file));
  const ignore = confirmLookalikes(findLookalikes(policyOf({}), tree?.packages ?? []), opts.yes === true, (l) => process.stdout.write(`${l}\n`));
  const typosquat = ignore.length > 0 ? { typosquat: { ignore } } : {};
  // The same for published packages' git/URL dependencies: listed, accepted only when the user says so.
  const accepted = confirmExoticSources(findExoticSources(policyOf({}), tree?.packages ?? []), opts.yes === true, (l) => process.stdout.write(`${l}\n`));
  const sources = accepted.length > 0 ? { sources: { allow: accepted } } : {};
  const approvals = installedApprovals(project, tree, policyOf({ ...typosquat, ...sources }));
  const { allow, deny } = scriptEntries(approvals, native.approvals);
  const schema = schemaRef(project.dir);
  const doc = { ...(schema ? { $schema: schema } : {}), scripts: { unapproved: 'skip', allow, ...(deny.length ? { deny } : {}) }, ...typosquat, ...sources };
  const lines = [
    `  ${existsSync(file) ? 'rewrote' : 'wrote  '}   lifeguard.json: ${approvals.installed.length} package(s) with install scripts approved by exact version`,
    ...allow.map((a) => colors.dim(`              ${a.package} (${a.reason})`)),
    ...importedLines(native, deny.length),
    ...notKnownLines(project, approvals),
  ];
  if (!schema) lines.push(colors.dim('  note      no "$schema": the project has no node_modules/lifeguard to point at (a devDependency on lifeguard gives editors completion)'));
  return { writes: [{ file, content: `${JSON.stringify(doc, null, 2)}\n` }], lines, policy: policyOf(doc) };
}

function importedLines(native: NativeApprovals, denials: number): string[] {
  const imported = native.approvals.length;
  const lines: string[] = [];
  if (imported > 0) lines.push(`  imported  ${imported - denials} native approval(s) into scripts.allow and ${denials} denial(s) into scripts.deny`);
  for (const u of native.unusable) lines.push(colors.yellow(`  not imported: ${JSON.stringify(u.key)} (${u.origin}) is no package spec; add its name to scripts.allow if it should build`));
  return lines;
}

/** Why init approved nothing (or less than it could): say what to do, never leave the user guessing. */
function notKnownLines(project: Project, approvals: Approvals): string[] {
  const lines: string[] = [];
  if (approvals.refused.length) lines.push(colors.red(`  not approved: ${approvals.refused.join(', ')} (the default policy refuses them; see lifeguard check)`));
  const install = `${project.manager} install`;
  if (approvals.unknown) {
    lines.push(colors.yellow(`  could not know the install scripts of ${approvals.unknown} package(s): the lockfile does not record scripts and node_modules is not installed.`));
    lines.push(colors.yellow(`  Install once (\`${install}\`), then run \`lifeguard init --force\` to approve them exactly; until then their scripts are skipped.`));
  } else if (approvals.nothingInstalled && declaresDependencies(project.dir)) {
    lines.push(colors.yellow(`  nothing is installed yet, so no install script could be approved. Run \`${install}\` (dependency scripts are skipped and listed),`));
    lines.push(colors.yellow('  then `lifeguard init --force` approves the ones installed, by exact version.'));
  }
  return lines;
}

function declaresDependencies(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => Object.keys((pkg[k] as object | undefined) ?? {}).length > 0);
  } catch {
    return false;
  }
}

/** An existing policy is kept: name the native approvals it would override. */
function nativeNotCarried(file: string, native: NativeApprovals): string[] {
  let missing;
  try {
    missing = uncarriedApprovals(loadPolicyFile(file), native.approvals);
  } catch {
    return []; // an invalid policy: `lifeguard check` and every install say so, with the path
  }
  if (missing.length === 0) return [];
  return [
    colors.yellow(`  warning   lifeguard.json does not approve ${missing.length} build(s) the project approves natively; Lifeguard will skip them:`),
    ...missing.map((a) => colors.yellow(`              ${a.spec} (${a.origin}): add it to "scripts.allow" (init --force rewrites lifeguard.json with it)`)),
  ];
}
