import type { Finding } from '../types';
import { printable } from './escape';
import { distinctFindings } from './model';

/**
 * What the package-manager adapters say during an install, in one place so that pnpm and Yarn
 * word a refusal, a warning and the skipped-builds list the same way. Every message names the
 * package, the finding code and rule, and the lifeguard.json change that would allow it.
 */

/** The policy as messages name it. */
export const policyLabel = (file: string | undefined): string =>
  file ?? 'the built-in default policy (create lifeguard.json at the project root to change it)';

/** One finding in two lines: what is wrong, then the change that would allow it. */
export const findingLines = (f: Finding): [string, string] => [
  printable(`${f.code} ${subject(f)}: ${f.message}`),
  printable(`to allow it: ${f.fix}`),
];

/** `name@version`, or the file alone for set-up findings (which have no version). */
const subject = (f: Finding): string => (f.version === '' ? f.package : `${f.package}@${f.version}`);

/** A refusal: the first package, code and rule, then each distinct finding, then the policy. */
export function refusalLines(findings: readonly Finding[], file: string | undefined, where: string): string[] {
  const first = findings[0];
  const lines = [first ? printable(`Lifeguard refused ${subject(first)} ${where} [${first.code}, rule ${first.rule}]`) : `Lifeguard refused the install ${where}`];
  for (const f of distinctFindings(findings)) {
    const [what, fix] = findingLines(f);
    lines.push(`  ${what}`, `    ${fix}`);
  }
  lines.push(`  policy: ${printable(policyLabel(file))}`);
  return lines;
}

export const warningLine = (f: Finding): string => printable(`Lifeguard warning [${f.code}, rule ${f.rule}]: ${f.message} (to silence: ${f.fix})`);

/** A build that did not run: the package, its lifecycle, the rule that stopped it and its approval. */
export interface SkippedBuild {
  readonly id: string;
  readonly lifecycle: string;
  readonly rule: string;
  readonly fix: string;
  /**
   * What makes the script look like a dropper ("its postinstall evaluates a base64-decoded
   * payload"), from the finding's `details.risk`: a worm must not read like a benign build.
   */
  readonly risk?: string;
}

/** The end-of-install list of builds that did not run, and how to approve each. */
export function skippedLines(builds: readonly SkippedBuild[], file: string | undefined, installCommand: string): string[] {
  const sorted = [...builds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [
    printable(`Lifeguard: install scripts of ${sorted.length} package${sorted.length === 1 ? '' : 's'} did not run (policy: ${policyLabel(file)}):`),
    ...sorted.map((b) =>
      printable(`  - ${b.id}${b.lifecycle ? ` (${b.lifecycle})` : ''} [${b.rule}]${b.risk ? ` RISKY: ${b.risk}; read it before approving` : ''}: to run them, ${b.fix}`)),
    `  After approving them in lifeguard.json, the next \`${installCommand}\` builds them.`,
  ];
}

interface RiskDetail {
  readonly script: string;
  readonly description: string;
  readonly evidence: string;
}

const isRiskDetail = (r: unknown): r is RiskDetail =>
  typeof r === 'object' && r !== null && ['script', 'description', 'evidence'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string');

/** "its postinstall evaluates a base64-decoded payload (`eval(Buffer.from(`)", from `details.risk` (worst first). */
export function riskFlag(f: Finding): string | undefined {
  const first = Array.isArray(f.details?.risk) ? (f.details.risk as unknown[]).find(isRiskDetail) : undefined;
  return first ? `its ${printable(first.script)} ${first.description} (\`${printable(first.evidence)}\`)` : undefined;
}

/** A skipped build as a SkippedBuild (its lifecycle and risk from the finding's details). */
export function skippedBuild(f: Finding): SkippedBuild {
  const risk = riskFlag(f);
  return {
    id: `${f.package}@${f.version}`,
    lifecycle: Array.isArray(f.details?.lifecycle) ? (f.details.lifecycle as string[]).join(', ') : '',
    rule: f.rule,
    fix: f.fix,
    ...(risk ? { risk } : {}),
  };
}
