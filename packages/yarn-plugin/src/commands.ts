import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { classifyYarnReference, distinctFindings, evaluate, findingLines, isReportFormat, renderReport, scriptApproval, type Finding, type Report } from '@lifeguard/core';
import { createColors } from 'picocolors';
import pkg from '../package.json';
import { stateFor, type Entry, type ProjectState } from './plugin';
import { shared } from './shared';
import type { CommandContext, Configuration, Project } from './yarn';

/**
 * Runs the fetch step over everything the lockfile lists (cached archives are read, missing ones
 * downloaded), with the fetch wrapper recording verdicts instead of throwing.
 */
async function collect(ctx: CommandContext): Promise<{ configuration: Configuration; project: Project; st: ProjectState; entries: Entry[] } | number> {
  const { core } = shared();
  const configuration = await core.Configuration.find(ctx.cwd, ctx.plugins);
  const { project } = await core.Project.find(configuration, ctx.cwd);
  let st: ProjectState;
  try {
    st = stateFor(project);
  } catch (e) {
    ctx.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  // The install state (or, in a fresh checkout, a lockfile-only resolution) registers every package.
  await project.restoreInstallState();
  if (project.storedResolutions.size === 0) {
    ctx.stderr.write('Lifeguard: this project has no yarn.lock entries to check; run `yarn install` first.\n');
    return 2;
  }
  st.collect = true;
  const cache = await core.Cache.find(configuration);
  const report = await core.StreamReport.start({ configuration, stdout: ctx.stderr, includeFooter: false }, async (report) => {
    await project.fetchEverything({ cache, report, persistProject: false } as Parameters<Project['fetchEverything']>[0]);
  });
  if (report.hasErrors()) return report.exitCode() || 2;
  const entries: Entry[] = [];
  for (const p of st.entries.values()) {
    const e = await p.catch(() => null);
    if (e) entries.push(e);
  }
  st.cache.save();
  return { configuration, project, st, entries: entries.sort((a, b) => (a.pretty < b.pretty ? -1 : 1)) };
}

const allFindings = (entries: readonly Entry[]): Finding[] => distinctFindings(entries.flatMap((e) => [...e.verdict.findings, ...e.extra]));

/** `yarn lifeguard check`. */
export async function runCheck(ctx: CommandContext, opts: { format: string; json: boolean; output: string | undefined }): Promise<number> {
  const format = opts.json ? 'json' : opts.format;
  if (!isReportFormat(format)) {
    ctx.stderr.write(`Lifeguard: --format must be text, json or sarif (got ${JSON.stringify(format)})\n`);
    return 2;
  }
  const res = await collect(ctx);
  if (typeof res === 'number') return res;
  const findings = allFindings(res.entries);
  const cwd = ctx.cwd;
  const report: Report = {
    target: relative(cwd, join(res.project.cwd, 'yarn.lock')) || 'yarn.lock',
    policyFile: res.st.file ? relative(cwd, res.st.file) || res.st.file : res.st.policy.file,
    packages: res.entries.length,
    findings,
  };
  const colors = createColors(format === 'text' && !opts.output && Boolean(res.configuration.get('enableColors')));
  const text = renderReport(report, format, colors, pkg.version);
  if (opts.output) writeFileSync(resolve(cwd, opts.output), text);
  else ctx.stdout.write(text);
  return findings.some((f) => f.action === 'refuse') ? 1 : 0;
}

/** `yarn lifeguard explain <name>[@version]`. */
export async function runExplain(ctx: CommandContext, spec: string): Promise<number> {
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  const res = await collect(ctx);
  if (typeof res === 'number') return res;
  const { policy } = res.st;
  const { core } = shared();
  const out = ctx.stdout;
  const versionOf = (e: Entry): string | undefined => res.project.storedPackages.get(e.locator.locatorHash)?.version ?? undefined;
  const matches = res.entries.filter((e) => core.structUtils.stringifyIdent(e.locator) === name && (version === undefined || versionOf(e) === version));
  const verdicts = matches.length > 0
    ? matches.map((e) => ({ label: e.pretty, v: e.verdict, extra: e.extra, ver: versionOf(e) ?? version ?? '', ref: e.locator.reference as string | undefined }))
    : [{ label: `${spec} (not in this project; judged on its name and version only)`, v: evaluate(policy, { name, version: version ?? '0.0.0' }), extra: [] as Finding[], ver: version ?? '0.0.0', ref: undefined as string | undefined }];
  out.write(`Lifeguard: policy ${res.st.file ?? '(built-in default)'} (mode ${policy.mode})\n`);
  let refused = false;
  for (const { label, v, extra, ver, ref } of verdicts) {
    out.write(`${label}: ${v.decision}\n`);
    out.write(`  install lifecycle: ${v.lifecycle.length ? v.lifecycle.join(', ') : 'none'}\n`);
    const a = scriptApproval(policy, name, ver, ref === undefined ? {} : { source: classifyYarnReference(ref), resolved: ref });
    out.write(`  scripts: ${a.status}${a.status !== 'unapproved' && a.entry ? ` by ${JSON.stringify(a.entry.raw)}` : ''}${a.status === 'unapproved' ? ` (scripts.unapproved: ${policy.scripts.unapproved})` : ''}\n`);
    const deny = policy.packages.deny.find(name, ver);
    if (deny) out.write(`  packages.deny: ${JSON.stringify(deny.raw)}\n`);
    const trust = policy.packages.trust.find(name, ver);
    if (trust) out.write(`  packages.trust: ${JSON.stringify(trust.raw)}\n`);
    for (const f of [...v.findings, ...extra]) {
      const [what, fix] = findingLines(f);
      out.write(`  ${f.action}: ${what}\n    ${fix}\n`);
    }
    if (v.findings.length + extra.length === 0) out.write('  no findings\n');
    if (v.decision === 'refuse') refused = true;
  }
  return refused ? 1 : 0;
}
