import { type Report, sortFindings, summarize } from './model';

/** `--format json`: one object, `findings` as documented in DESIGN.md, plus `summary` counts. */
export function renderJson(report: Report): string {
  const out = {
    target: report.target,
    policy: report.policyFile,
    findings: sortFindings(report.findings).map((f) => ({
      code: f.code,
      action: f.action,
      severity: f.severity,
      package: f.package,
      version: f.version,
      message: f.message,
      fix: f.fix,
      rule: f.rule,
      ...(f.details ? { details: f.details } : {}),
    })),
    summary: summarize(report),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
