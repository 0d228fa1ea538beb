import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compilePolicy, evaluate, parsePolicy, renderJson, renderSarif, type Finding } from '@lifeguard/core';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';

// The official SARIF 2.1.0 schema (draft-04), as shipped by @microsoft/jest-sarif.
const schema = JSON.parse(readFileSync(createRequire(__filename).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

function everyKindOfFinding(): Finding[] {
  const policy = compilePolicy(parsePolicy(JSON.stringify({ packages: { deny: ['denied'] } }), '/p/lifeguard.json'));
  return [
    { name: 'denied', version: '1.0.0' },
    { name: 'event-stream', version: '3.3.6' },
    { name: 'cross_env', version: '1.0.0' },
    { name: 'lib', version: '1.0.0', dependencies: { x: 'https://evil.test/x.tgz' } },
    { name: 'native', version: '2.0.0', scripts: { install: 'node-gyp rebuild' } },
  ].flatMap((facts) => evaluate(policy, facts).findings);
}

describe('SARIF 2.1.0 output', () => {
  const findings = everyKindOfFinding();

  it('covers every check in the fixture', () => {
    expect(new Set(findings.map((f) => f.code))).toEqual(
      new Set(['LIFEGUARD_DENY', 'LIFEGUARD_ADVISORY', 'LIFEGUARD_TYPOSQUAT', 'LIFEGUARD_SOURCE', 'LIFEGUARD_SCRIPTS']),
    );
  });

  it('validates against the official schema', () => {
    const sarif = JSON.parse(renderSarif({ target: 'pnpm-lock.yaml', policyFile: 'lifeguard.json', packages: 5, findings }, '0.1.0'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(findings.length);
    for (const r of sarif.runs[0].results) expect(sarif.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('the schema validator is not vacuous', () => {
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('JSON output carries the documented fields for every finding', () => {
    const json = JSON.parse(renderJson({ target: 'x', policyFile: 'y', packages: 5, findings }));
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['code', 'action', 'package', 'version', 'message', 'fix']));
      expect(['refuse', 'skip-scripts', 'warn']).toContain(f.action);
    }
  });
});
