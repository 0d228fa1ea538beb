import type { Finding, RiskSignal } from '@lifeguard/core';
import { extractIocs, type Iocs } from './iocs';
import type { ScriptFile } from './script-files';

/** The OSV schema version the vendored schema describes. */
export const OSV_SCHEMA_VERSION = '1.7.5';

export interface ReportFacts {
  readonly name: string;
  readonly version: string;
  /** The reporter's own words (`--reason`). */
  readonly reason: string | undefined;
  /** Lifecycle steps the package runs at install (`postinstall`, `node-gyp rebuild`). */
  readonly lifecycle: readonly string[];
  /** Install script bodies by lifecycle name, as the installed package.json has them. */
  readonly scripts: Readonly<Record<string, string>>;
  readonly files: readonly ScriptFile[];
  /** Risk signals per place they were seen (`postinstall`, `setup.js`). */
  readonly signals: readonly { readonly where: string; readonly signal: RiskSignal }[];
  readonly findings: readonly Finding[];
  readonly integrity: string | undefined;
  /** Packages between the project and this one, outermost first; undefined when not in the lockfile. */
  readonly via: readonly string[] | undefined;
  /** Where the facts come from, for the reader of the draft. */
  readonly seenIn: { readonly lockfile: string | undefined; readonly installed: boolean };
}

export interface OsvDraft {
  readonly schema_version: string;
  readonly modified: string;
  readonly published: string;
  readonly details: string;
  readonly affected: readonly [{ readonly package: { readonly ecosystem: 'npm'; readonly name: string }; readonly versions: readonly string[] }];
  readonly references: readonly { readonly type: 'PACKAGE' | 'WEB'; readonly url: string }[];
  readonly database_specific: { readonly iocs: Iocs };
}

const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\s+/g, ' ').trim().slice(0, 300)}\``;

/** RFC 3339 in UTC without milliseconds, as the database's own records have it. */
export const osvTimestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Human text for `details`: why it is malicious, what it does, how it triggers. */
function details(f: ReportFacts): string {
  const p: string[] = [];
  p.push(f.reason ? `${f.name}@${f.version}: ${f.reason.trim()}` : `${f.name}@${f.version} was reported as malicious with lifeguard report.`);
  if (f.lifecycle.length > 0) {
    const steps = f.lifecycle.map((l) => (f.scripts[l] !== undefined ? `${l}: ${code(f.scripts[l] as string)}` : l));
    p.push(`Trigger: on install, through the ${f.lifecycle.join(', ')} lifecycle step${f.lifecycle.length > 1 ? 's' : ''} (${steps.join('; ')}).`);
  } else if (f.seenIn.installed) {
    p.push('Trigger: it has no install scripts; any payload runs when the package is imported or called.');
  }
  if (f.files.length > 0) p.push(`Files run at install: ${f.files.map((x) => `${x.path} (sha256 ${x.sha256}, ${x.size} bytes)`).join(', ')}.`);
  if (f.signals.length > 0) {
    p.push(`What the install code does: ${f.signals.map(({ where, signal }) => `${signal.description} (${where}: ${code(signal.evidence)})`).join('; ')}.`);
  }
  const rules = f.findings.filter((x) => x.code !== 'LIFEGUARD_SCRIPTS');
  if (rules.length > 0) p.push(`Lifeguard: ${rules.map((x) => `${x.code} ${x.message}`).join(' ')}`);
  if (f.integrity) p.push(`Tarball integrity${f.seenIn.lockfile ? ` (from ${f.seenIn.lockfile})` : ''}: ${f.integrity}.`);
  if (f.via && f.via.length > 0) p.push(`Pulled in by: ${f.via.join(' > ')} > ${f.name}.`);
  return p.join('\n\n');
}

/**
 * An OSV record draft in the shape ossf/malicious-packages asks contributors for (CONTRIBUTING.md):
 * one `affected` entry, `details`, a reference, `database_specific.iocs`, and no `id` or `summary`
 * (the database assigns both).
 */
export function buildDraft(f: ReportFacts, now: Date): OsvDraft {
  const texts = [...Object.values(f.scripts), ...f.files.map((x) => x.text)];
  const ts = osvTimestamp(now);
  return {
    schema_version: OSV_SCHEMA_VERSION,
    modified: ts,
    published: ts,
    details: details(f),
    affected: [{ package: { ecosystem: 'npm', name: f.name }, versions: [f.version] }],
    references: [{ type: 'PACKAGE', url: `https://www.npmjs.com/package/${f.name}/v/${f.version}` }],
    database_specific: { iocs: extractIocs(texts) },
  };
}

/** A file-name-safe form of a package name: `@acme/x` -> `acme__x`. */
export const nameSlug = (name: string): string => name.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '__');

/** The draft as a record of a local feed: an id of its own (OSV's `x_` prefix is for local ids) and a summary. */
export function localFeedRecord(draft: OsvDraft, name: string, version: string): Record<string, unknown> {
  return {
    id: `x_lifeguard-${nameSlug(name)}-${version}`,
    summary: `Reported as malicious with lifeguard report (pending review): ${name}@${version}`,
    ...draft,
  };
}
