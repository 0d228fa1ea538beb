import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { renderJson, renderJsonl, renderSarif, renderText, shower } from './render';
import type { ScanResult } from './scan';

const sarifSchema = JSON.parse(readFileSync(createRequire(__filename).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const plain = new Proxy({}, { get: () => (s: string) => s }) as never;

const result: ScanResult = {
  lockfiles: 3,
  affected: [
    { project: '/org/a', lockfile: '/org/a/pnpm-lock.yaml', package: 'evil', version: '1.0.0', via: ['lib@1.0.0'], scripts: 'ran', evidence: 'node_modules/.modules.yaml', matched: ['MAL-1'] },
    { project: '/org/b', lockfile: '/org/b/package-lock.json', package: 'evil', version: '1.0.0', via: [], scripts: 'not-run', evidence: 'ignore-scripts in .npmrc', matched: ['MAL-1'] },
  ],
  unreadable: [{ project: '/org/c', lockfile: '/org/c/bun.lock', error: 'bun.lock is not readable by this build of lifeguard' }],
};
const show = shower('/org');

describe('lifeguard incident output', () => {
  it('JSON: exactly the documented fields per affected release, plus a summary', () => {
    const json = JSON.parse(renderJson(result, show));
    expect(Object.keys(json)).toEqual(['affected', 'summary']);
    expect(json.affected[0]).toEqual({ project: 'a', lockfile: 'a/pnpm-lock.yaml', package: 'evil', version: '1.0.0', via: ['lib@1.0.0'], scripts: 'ran' });
    expect(json.summary).toMatchObject({ lockfiles: 3, affectedProjects: 2, scripts: { ran: 1, 'not-run': 1 }, unreadable: [{ lockfile: 'c/bun.lock' }] });
  });

  it('JSON lines: one object per line, concatenable across shards', () => {
    const lines = renderJsonl(result, show).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2)).toEqual(JSON.parse(renderJson(result, show)).affected);
    expect(lines[2]).toMatchObject({ lockfile: 'c/bun.lock', error: expect.stringContaining('not readable') });
  });

  it('SARIF validates against the official 2.1.0 schema', () => {
    const sarif = JSON.parse(renderSarif(result, 'MAL-1', show, '0.1.0'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(2);
  });

  it('text ends with what to do per project: rotate only where scripts ran, and why node_modules is no proof', () => {
    const text = renderText(result, 'MAL-1', show, plain);
    expect(text).toMatch(/a: remove evil@1\.0\.0 or pin away[^\n]*\n\s+Rotate every credential/);
    expect(text).not.toMatch(/b: remove[^\n]*\n\s+Rotate/);
    expect(text).toContain('not searched: c/bun.lock');
    expect(text.trimEnd().split('\n').slice(-2).join('\n')).toMatch(/no proof[\s\S]*advisories\.feeds/);
  });

  it('shows control characters from a hostile lockfile escaped', () => {
    const hostile: ScanResult = { ...result, affected: [{ ...result.affected[0]!, via: ['lib\u001b[2J@1.0.0'] }] };
    const text = renderText(hostile, 'MAL-1', show, plain);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('lib\\u001b[2J@1.0.0');
  });
});
