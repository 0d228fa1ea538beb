import type { Finding } from '../types';
import { printable } from './escape';
import { type Report, sortFindings, summarize } from './model';

/** The few picocolors functions the text report uses; the caller passes picocolors (core reads no env). */
export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const LABEL = { refuse: 'REFUSED', 'skip-scripts': 'SKIPPED', warn: 'WARNING' } as const;

export function renderFinding(f: Finding, c: Colors): string {
  const paint = f.action === 'refuse' ? c.red : f.action === 'skip-scripts' ? c.yellow : c.cyan;
  const subject = f.version === '' ? f.package : `${f.package}@${f.version}`;
  return `${paint(c.bold(LABEL[f.action]))} ${c.bold(printable(subject))} ${c.dim(f.code)}\n  ${printable(f.message)}\n  ${c.dim('fix:')} ${printable(f.fix)}`;
}

/** Human output for `lifeguard check`: one block per finding, then a one-line summary. */
export function renderText(report: Report, c: Colors): string {
  const s = summarize(report);
  const lines = sortFindings(report.findings).map((f) => renderFinding(f, c));
  const policy = c.dim(`policy: ${report.policyFile}`);
  const tally = [
    `${s.packages} packages checked`,
    s.refused ? c.red(`${s.refused} refused`) : `${s.refused} refused`,
    s.skipped ? c.yellow(`${s.skipped} with scripts skipped`) : `${s.skipped} with scripts skipped`,
    `${s.warnings} warnings`,
  ].join(', ');
  const unknown = s.scriptsUnknown
    ? `\n${c.yellow(`Install scripts of ${s.scriptsUnknown} package${s.scriptsUnknown === 1 ? '' : 's'} unknown: ${report.target} does not record them. Run \`lifeguard check --installed\` after an install to read node_modules.`)}`
    : '';
  const verdict = s.refused ? c.red(c.bold('Lifeguard: install would be refused.')) : c.green('Lifeguard: nothing refused.');
  return `${lines.join('\n\n')}${lines.length ? '\n\n' : ''}${tally} (${printable(report.target)}; ${printable(policy)})${unknown}\n${verdict}\n`;
}
