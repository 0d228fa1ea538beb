import { relative } from 'node:path';
import type { Colors } from '@lifeguard/core';
import type { AffectedRelease, ScanResult, Unreadable } from './scan';

export const INCIDENT_FORMATS = ['text', 'json', 'jsonl', 'sarif'] as const;
export type IncidentFormat = (typeof INCIDENT_FORMATS)[number];
export const isIncidentFormat = (f: string): f is IncidentFormat => (INCIDENT_FORMATS as readonly string[]).includes(f);

/** Paths as the user gave them: relative to the current folder when inside it. */
export type Show = (path: string) => string;
export const shower = (cwd: string): Show => (p) => {
  const r = relative(cwd, p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

/** The public JSON shape of one affected release (the issue's contract; nothing else). */
const entry = (a: AffectedRelease, show: Show) => ({
  project: show(a.project),
  lockfile: show(a.lockfile),
  package: a.package,
  version: a.version,
  via: a.via,
  scripts: a.scripts,
});

const unreadableEntry = (u: Unreadable, show: Show) => ({ project: show(u.project), lockfile: show(u.lockfile), error: u.error });

function summary(r: ScanResult, show: Show) {
  const count = (s: string) => r.affected.filter((a) => a.scripts === s).length;
  return {
    lockfiles: r.lockfiles,
    affectedProjects: new Set(r.affected.map((a) => a.project)).size,
    affectedReleases: r.affected.length,
    scripts: { ran: count('ran'), 'not-run': count('not-run'), unknown: count('unknown'), none: count('none') },
    /** Lockfiles found but not searched: the answer is incomplete for those projects. */
    unreadable: r.unreadable.map((u) => unreadableEntry(u, show)),
  };
}

export function renderJson(r: ScanResult, show: Show): string {
  return `${JSON.stringify({ affected: r.affected.map((a) => entry(a, show)), summary: summary(r, show) }, null, 2)}\n`;
}

/** One affected release per line (and one line per lockfile that could not be read, with `error`): shards concatenate. */
export function renderJsonl(r: ScanResult, show: Show): string {
  return [...r.affected.map((a) => entry(a, show)), ...r.unreadable.map((u) => unreadableEntry(u, show))].map((o) => `${JSON.stringify(o)}\n`).join('');
}

const SCRIPTS_TEXT: Record<AffectedRelease['scripts'], string> = {
  ran: 'install scripts RAN',
  'not-run': 'install scripts did not run',
  unknown: 'whether install scripts ran is unknown',
  none: 'no install scripts',
};

/** Control characters from a hostile lockfile or folder name are shown escaped, never sent to the terminal. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function renderText(r: ScanResult, label: string, showRaw: Show, c: Colors): string {
  const show: Show = (p) => printable(showRaw(p));
  const lines: string[] = [];
  const byProject = new Map<string, AffectedRelease[]>();
  for (const a of r.affected) byProject.set(a.project, [...(byProject.get(a.project) ?? []), a]);
  if (byProject.size === 0) lines.push(c.green(`${label}: no affected release in ${r.lockfiles} lockfile${r.lockfiles === 1 ? '' : 's'}.`));
  else lines.push(c.bold(c.red(`${label}: ${byProject.size === 1 ? '1 project holds' : `${byProject.size} projects hold`} an affected release (${r.lockfiles} lockfiles searched).`)));
  for (const [project, list] of byProject) {
    lines.push('', c.bold(show(project)));
    for (const a of list) {
      const how = SCRIPTS_TEXT[a.scripts];
      lines.push(`  ${a.package}@${a.version} in ${show(a.lockfile)}${a.via.length ? `, pulled in by ${printable(a.via.join(' > '))}` : ' (a direct dependency)'}`);
      lines.push(`    ${a.scripts === 'ran' ? c.red(how) : a.scripts === 'unknown' ? c.yellow(how) : how} (${a.evidence})`);
    }
  }
  for (const u of r.unreadable) lines.push('', c.yellow(`not searched: ${show(u.lockfile)}: ${printable(u.error)}`));
  if (byProject.size > 0) {
    lines.push('', c.bold('What to do, per project:'));
    for (const [project, list] of byProject) {
      const ran = list.some((a) => a.scripts === 'ran' || a.scripts === 'unknown');
      const releases = [...new Set(list.map((a) => `${a.package}@${a.version}`))].join(', ');
      lines.push(`  ${show(project)}: remove ${releases} or pin away from it (an override/resolution to a clean version), reinstall, and commit the lockfile.`);
      if (ran) lines.push(`    ${c.red('Rotate every credential this machine and its CI could reach')} (npm and GitHub tokens, cloud keys, SSH keys): the scripts ran${list.every((a) => a.scripts === 'ran') ? '' : ' or may have run'}.`);
    }
    lines.push(
      '',
      'A clean-looking node_modules is no proof: droppers rewrite or delete their own package.json after they run.',
      'Add the advisory to "advisories.feeds" so no install brings the release back (lifeguard report --feed DIR writes one).',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderSarif(r: ScanResult, label: string, show: Show, toolVersion: string): string {
  const results = r.affected.map((a) => ({
    ruleId: 'LIFEGUARD_INCIDENT',
    ruleIndex: 0,
    level: 'error',
    message: { text: `${a.package}@${a.version} (${a.matched.join(', ')}) is in ${show(a.lockfile)}; ${SCRIPTS_TEXT[a.scripts]} (${a.evidence}).${a.scripts === 'ran' || a.scripts === 'unknown' ? ' Rotate credentials.' : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: show(a.lockfile) } } }],
    partialFingerprints: { release: `${a.package}@${a.version}/${a.via.join('>')}` },
    properties: { project: show(a.project), package: a.package, version: a.version, via: a.via, scripts: a.scripts, advisories: a.matched },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'lifeguard',
          version: toolVersion,
          informationUri: 'https://github.com/lifeguard-dev/lifeguard',
          rules: [{ id: 'LIFEGUARD_INCIDENT', name: 'LIFEGUARD_INCIDENT', shortDescription: { text: `Lockfile holds a release affected by ${label}` }, defaultConfiguration: { level: 'error' } }],
        },
      },
      results,
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
