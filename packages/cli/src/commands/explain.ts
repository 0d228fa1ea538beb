import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  classifySpec,
  evaluate,
  explainTyposquat,
  installLifecycle,
  renderFinding,
  scriptApproval,
  type PackageFacts,
  type Policy,
} from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { findLockfile, readLockfile } from '../lockfiles/index';
import { colors, UsageError } from '../output';

export interface ExplainOptions {
  policy?: string;
  lockfile?: string;
}

/** `lifeguard explain <name>[@version]`: every rule that applies to the package, and why. */
export function explain(target: string | undefined, opts: ExplainOptions, cwd: string): number {
  if (!target) throw new UsageError('explain needs a package: lifeguard explain <name>[@version]');
  const at = target.lastIndexOf('@');
  const name = at > 0 ? target.slice(0, at) : target;
  const version = at > 0 ? target.slice(at + 1) : undefined;
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(cwd);
  const c = colors;
  const lines: string[] = [c.bold(`${name}${version ? `@${version}` : ''}`), c.dim(`policy: ${policy.file}`), ''];
  const rule = (key: string, text: string) => lines.push(`  ${c.cyan(key.padEnd(18))} ${text}`);

  const deny = policy.packages.deny.forName(name);
  rule('packages.deny', deny.length ? `listed by ${deny.map((s) => JSON.stringify(s.raw)).join(', ')}${version ? (policy.packages.deny.find(name, version) ? c.red(' -> refused') : ' (this version is not covered)') : ''}` : 'not listed');
  const trust = policy.packages.trust.forName(name);
  rule('packages.trust', trust.length ? `trusted by ${trust.map((s) => JSON.stringify(s.raw)).join(', ')}: typosquat, source and advisory checks do not apply` : 'not trusted');

  if (version) {
    const matches = policy.advisories.index.match(name, version);
    rule('advisories', matches.length ? c.red(`affected: ${matches.map((m) => `${m.id} (${m.source})${m.summary ? ` ${m.summary}` : ''}`).join('; ')}`) : policy.advisories.index.has(name) ? 'records exist for other versions of this package; this version is not affected' : 'no record names this package');
  } else {
    rule('advisories', policy.advisories.index.has(name) ? 'records name this package: give a version to see whether it is affected' : 'no record names this package');
  }

  const ts = explainTyposquat(policy, name);
  rule('typosquat', /^(refused|warned)/.test(ts) ? c.red(ts) : ts);

  rule('scripts', describeScripts(policy, name, version));
  if (policy.releaseAge) {
    rule('releaseAge', policy.releaseAge.exclude.find(name, version) ? 'excluded from the release age gate' : `versions younger than ${policy.releaseAge.minutes} minutes are not resolved`);
  }

  // What the project's lockfile holds for this name, with the verdict for each release.
  const lockfile = opts.lockfile ? resolve(cwd, opts.lockfile) : findLockfile(cwd);
  if (lockfile && existsSync(lockfile)) {
    const installed = readInstalled(cwd);
    const found = readLockfile(lockfile).packages.filter((p) => p.name === name && (!version || p.version === version));
    lines.push('', c.bold(`in ${lockfile}:`));
    if (found.length === 0) lines.push('  not in the lockfile');
    for (const facts of found) lines.push(...verdictLines(policy, withInstalled(facts, installed)));
  } else if (version) {
    lines.push('', c.bold('verdict (as a registry package, scripts unknown):'));
    lines.push(...verdictLines(policy, { name, version }));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function describeScripts(policy: Policy, name: string, version: string | undefined): string {
  const denied = policy.scripts.deny.forName(name).map((s) => JSON.stringify(s.raw));
  const allowed = policy.scripts.allow.forName(name).map((s) => JSON.stringify(s.raw));
  const parts: string[] = [];
  if (allowed.length) parts.push(`scripts.allow ${allowed.join(', ')}`);
  if (denied.length) parts.push(`scripts.deny ${denied.join(', ')} (deny wins)`);
  if (version) {
    const a = scriptApproval(policy, name, version);
    const what = a.status === 'approved' ? (a.entry ? `approved by ${JSON.stringify(a.entry.raw)}` : 'approved by scripts.unapproved "run"') : a.status === 'denied' ? `never run (scripts.deny ${JSON.stringify(a.entry.raw)})` : `not approved: install scripts are ${policy.scripts.unapproved === 'refuse' ? 'refused' : policy.scripts.unapproved === 'run' ? 'run' : 'skipped'}`;
    parts.push(`${version}: ${what}`);
  } else if (!parts.length) parts.push(`no entry: install scripts are ${policy.scripts.unapproved === 'refuse' ? 'refused' : policy.scripts.unapproved === 'run' ? 'run' : 'skipped'}`);
  return parts.join('; ');
}

function verdictLines(policy: Policy, facts: PackageFacts): string[] {
  const v = evaluate(policy, facts);
  const lifecycle = installLifecycle(facts);
  const head = `  ${facts.name}@${facts.version}: ${v.decision === 'refuse' ? colors.red('refused') : v.decision === 'strip' ? colors.yellow('installed, scripts skipped') : colors.green('allowed')}` +
    `${lifecycle.length ? ` (install scripts: ${lifecycle.join(', ')}${v.runScripts ? ', run' : ''})` : ''}` +
    `${facts.source && facts.source !== 'registry' ? ` [${facts.source}${facts.resolved ? ` ${facts.resolved}` : ''}]` : ''}` +
    `${facts.requiredBy?.length ? ` pulled in by ${facts.requiredBy.join(' > ')}` : ''}`;
  const exotic = Object.entries(facts.dependencies ?? {}).filter(([, s]) => classifySpec(s) !== 'registry' && classifySpec(s) !== 'workspace');
  return [head, ...v.findings.map((f) => renderFinding(f, colors).replace(/^/gm, '    ')), ...(exotic.length && !v.findings.length ? [`    exotic dependencies allowed by sources.allow: ${exotic.map(([n]) => n).join(', ')}`] : [])];
}
