import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { assessScript, evaluate, INSTALL_SCRIPTS, installLifecycle, type PackageFacts, type RiskSignal } from '@lifeguard/core';
import { loadPolicy, policyPath, writeAtomic } from '@lifeguard/loader';
import { withInstalled } from '../facts';
import { readInstalled } from '../installed';
import { findLockfile, readLockfile, type LockedPackage } from '../lockfiles/index';
import { buildDraft, localFeedRecord, nameSlug, type ReportFacts } from '../osv/draft';
import { osvProblems } from '../osv/schema';
import { filesRun } from '../osv/script-files';
import { colors, UsageError } from '../output';

export interface ReportOptions {
  reason?: string;
  output?: string;
  feed?: string;
}

const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9._~-][a-z0-9._~-]*$/i;

/** `name@1.2.3` with a scoped name and an exact version; anything else is a usage error. */
export function parseRelease(target: string | undefined, command: string): { name: string; version: string } {
  const at = target ? target.lastIndexOf('@') : -1;
  if (!target || at <= 0) throw new UsageError(`${command} needs a release: lifeguard ${command} <name>@<version>`);
  const name = target.slice(0, at);
  const version = target.slice(at + 1);
  if (!NAME.test(name) || name.length > 214) throw new UsageError(`${JSON.stringify(name)} is not an npm package name`);
  if (semver.valid(version) === null) throw new UsageError(`${JSON.stringify(version)} is not an exact version (e.g. 1.2.3)`);
  return { name, version };
}

/**
 * `lifeguard report <name>@<version>`: an OSV draft for the OpenSSF malicious-packages database from
 * what this project knows offline, where to send it, and with `--feed DIR` a local advisory so the
 * team's next installs refuse the release while the report is reviewed.
 */
export function report(target: string | undefined, opts: ReportOptions, cwd: string): number {
  const { name, version } = parseRelease(target, 'report');
  const { facts: reportFacts, lockfile } = gatherFacts(name, version, opts.reason, cwd);
  const rel = (p: string): string => relative(cwd, p) || p;
  const draft = buildDraft(reportFacts, new Date());
  const problems = osvProblems(draft, { draft: true });
  if (problems.length > 0) {
    throw new UsageError(`the draft for ${name}@${version} does not follow the OSV schema:\n${problems.map((p) => `  ${p.path} ${p.message}`).join('\n')}`);
  }
  const json = `${JSON.stringify(draft, null, 2)}\n`;
  const c = colors;
  const notes: string[] = [];
  if (opts.output) {
    writeOrFail(resolve(cwd, opts.output), json);
    notes.push(`Draft written to ${opts.output}.`);
  } else process.stdout.write(json);

  if (!reportFacts.seenIn.installed) notes.push(c.yellow(`${name}@${version} is not in node_modules here: its scripts and the files they run are not in the draft. Run this where it is installed, or add what it does to "details".`));
  if (!reportFacts.seenIn.lockfile) notes.push(c.yellow(`${name}@${version} is not in ${lockfile ? rel(lockfile) : 'a lockfile here'}: no integrity or dependency path.`));
  const prName = `MAL-0000-${nameSlug(name)}-${version}.json`;
  notes.push(
    c.bold('Submit it:'),
    `  1. npm: https://www.npmjs.com/package/${name} -> "Report malware" (see https://docs.npmjs.com/reporting-malware-in-an-npm-package).`,
    `  2. OpenSSF malicious-packages: a pull request to https://github.com/ossf/malicious-packages adding`,
    `     osv/malicious/npm/${name}/${prName}`,
    '  "id" and "summary" are left out on purpose: the database assigns them. Read "details" before sending;',
    '  it names the packages that pulled this one into your project. Add a "credits" entry',
    '  ({ "name": "<you or your team>", "type": "FINDER" }) so the database knows where the report came from.',
  );
  if (opts.feed) notes.push(...writeFeedCopy(resolve(cwd, opts.feed), localFeedRecord(draft, name, version), name, version, cwd));
  (opts.output ? process.stdout : process.stderr).write(`${notes.join('\n')}\n`);
  return 0;
}

/** What this project knows offline about the release: lockfile entry, installed files, verdict, signals. */
function gatherFacts(name: string, version: string, reason: string | undefined, cwd: string): { facts: ReportFacts; lockfile: string | undefined } {
  const lockfile = findLockfile(cwd);
  const locked: LockedPackage | undefined = lockfile
    ? readLockfile(lockfile).packages.find((p) => p.name === name && p.version === version)
    : undefined;
  const installedAll = readInstalled(cwd);
  const installed = installedAll.get(`${name}@${version}`);
  const facts: PackageFacts = withInstalled(locked ?? { name, version }, installedAll);
  const { policy } = loadPolicy(cwd);
  const scripts: Record<string, string> = {};
  for (const s of INSTALL_SCRIPTS) {
    const body = facts.scripts && Object.hasOwn(facts.scripts, s) ? facts.scripts[s] : undefined;
    if (typeof body === 'string' && body.trim() !== '') scripts[s] = body;
  }
  const files = installed ? filesRun(installed.dir, Object.values(scripts)) : [];
  const signals: { where: string; signal: RiskSignal }[] = [];
  for (const [where, body] of [...Object.entries(scripts), ...files.map((f) => [f.path, f.text] as const)]) {
    for (const signal of assessScript(body)) signals.push({ where, signal });
  }
  return {
    lockfile,
    facts: {
      name, version, reason, scripts, files, signals,
      lifecycle: installLifecycle(facts),
      findings: evaluate(policy, facts).findings,
      integrity: locked?.integrity,
      via: locked ? (locked.via ?? locked.requiredBy ?? []) : undefined,
      seenIn: { lockfile: locked && lockfile ? relative(cwd, lockfile) || lockfile : undefined, installed: installed !== undefined },
    },
  };
}

/** The draft with a local id in an OSV feed folder, and the policy line that makes installs refuse it. */
function writeFeedCopy(dir: string, record: Record<string, unknown>, name: string, version: string, cwd: string): string[] {
  const problems = osvProblems(record);
  if (problems.length > 0) throw new UsageError(`the local feed record does not follow the OSV schema: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  const file = join(dir, `${nameSlug(name)}-${version}.json`);
  writeOrFail(file, `${JSON.stringify(record, null, 2)}\n`);
  const policyFile = policyPath(cwd).file;
  const feedPath = relative(dirname(policyFile), dir) || '.';
  let listed = false;
  if (existsSync(policyFile)) {
    try {
      const feeds = (JSON.parse(readFileSync(policyFile, 'utf8')) as { advisories?: { feeds?: unknown } }).advisories?.feeds;
      listed = Array.isArray(feeds) && feeds.some((f) => typeof f === 'string' && resolve(dirname(policyFile), f) === dir);
    } catch {
      // The policy was loaded above; an unreadable one would have stopped the command.
    }
  }
  return [
    colors.bold('Local advisory:'),
    `  ${relative(cwd, file) || file} (id ${String(record.id)}).`,
    listed
      ? `  ${JSON.stringify(feedPath)} is in "advisories.feeds" already: the next install refuses ${name}@${version}.`
      : `  Add ${JSON.stringify(feedPath)} to "advisories.feeds" in ${relative(cwd, policyFile) || policyFile} (and commit the folder): every install refuses ${name}@${version} from then on.`,
  ];
}

function writeOrFail(file: string, text: string): void {
  if (!writeAtomic(file, [text])) throw new UsageError(`cannot write ${file}`);
}
