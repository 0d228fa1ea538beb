import type { FindingCode } from '../types';
import { type Report, sortFindings } from './model';

const RULES: Record<FindingCode, string> = {
  LIFEGUARD_DENY: 'Package denied by packages.deny',
  LIFEGUARD_ADVISORY: 'Known-malicious release (OSV advisory)',
  LIFEGUARD_TYPOSQUAT: 'Name imitates a popular package',
  LIFEGUARD_SOURCE: 'Dependency fetched from an exotic source (git, URL, path)',
  LIFEGUARD_SCRIPTS: 'Install scripts not approved by scripts.allow',
  LIFEGUARD_MANIFEST_MISMATCH: 'Registry metadata and package.json disagree',
  LIFEGUARD_LOCKFILE: 'Lockfile entry whose fields or tarball URL disagree with its key, or from a foreign host',
  LIFEGUARD_SETUP: 'Configuration that switches Lifeguard off or around it',
  LIFEGUARD_SCRIPTS_RAN: 'Install scripts ran although the policy does not approve them',
};

const LEVEL = { refuse: 'error', 'skip-scripts': 'warning', warn: 'warning' } as const;

/** SARIF 2.1.0 for code-scanning UIs: one result per finding, the code as ruleId, located at the lockfile. */
export function renderSarif(report: Report, toolVersion: string): string {
  const findings = sortFindings(report.findings);
  const used = [...new Set(findings.map((f) => f.code))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lifeguard',
            version: toolVersion,
            informationUri: 'https://github.com/lifeguard-dev/lifeguard',
            rules: used.map((id) => ({
              id,
              name: id,
              shortDescription: { text: RULES[id] },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: used.indexOf(f.code),
          level: LEVEL[f.action],
          message: { text: `${f.message} Fix: ${f.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: report.target } } }],
          partialFingerprints: { package: `${f.package}@${f.version}/${f.code}` },
          properties: { package: f.package, version: f.version, action: f.action, severity: f.severity, fix: f.fix, rule: f.rule },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
