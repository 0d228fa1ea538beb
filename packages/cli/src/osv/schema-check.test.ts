import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import schema from '../../vendor/osv-schema/schema.json';
import { SchemaChecker } from './schema-check';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
const ours = new SchemaChecker(schema as Record<string, unknown>);
const agree = (record: unknown): boolean => {
  const a = ajv(record);
  const b = ours.check(record).length === 0;
  expect(b, `${JSON.stringify(record)}\najv: ${JSON.stringify(ajv.errors)}\nours: ${JSON.stringify(ours.check(record))}`).toBe(a);
  return a;
};

/** Records in the shapes the malicious-packages database and the OSV spec use. */
const RECORDS: Record<string, unknown>[] = [
  {
    schema_version: '1.7.5', id: 'MAL-2025-1', modified: '2025-08-13T05:06:56Z', published: '2025-08-13T05:06:56Z',
    summary: 'Malicious code in x (npm)', details: 'steals tokens',
    affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
    credits: [{ name: 'Finder', type: 'FINDER', contact: ['a@b.test'] }],
    database_specific: { iocs: { urls: ['https://e.test/'], domains: ['e.test'], ip_addresses: ['198.51.100.1'] } },
  },
  {
    id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00.123Z', aliases: ['CVE-2024-1'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem: 'npm', name: '@a/b', purl: 'pkg:npm/%40a/b' }, versions: ['1.0.0', '1.0.1'],
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.0.2' }] }] }],
    references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc' }, { type: 'PACKAGE', url: 'https://www.npmjs.com/package/@a/b' }],
  },
  {
    id: 'OSV-2020-1', modified: '2020-01-01T00:00:00Z',
    affected: [{ ranges: [{ type: 'GIT', repo: 'https://github.com/a/b', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }] }],
  },
];

function* mutations(r: Record<string, unknown>): Generator<unknown> {
  const bad: unknown[] = [null, 1, 'x', [], {}, true];
  for (const k of Object.keys(r)) {
    const { [k]: _drop, ...rest } = r;
    yield rest;
    for (const v of bad) yield { ...r, [k]: v };
  }
  yield { ...r, extra_field: 1 };
  yield { ...r, id: 'NOPE-1' };
  yield { ...r, modified: '2020-01-01 00:00:00' };
  const aff = (r.affected as Record<string, unknown>[])[0] as Record<string, unknown>;
  for (const k of Object.keys(aff)) {
    const { [k]: _drop, ...rest } = aff;
    yield { ...r, affected: [rest] };
    for (const v of bad) yield { ...r, affected: [{ ...aff, [k]: v }] };
  }
  yield { ...r, affected: [{ ...aff, package: { ecosystem: 'NotAnEcosystem', name: 'x' } }] };
  yield { ...r, affected: [{ ...aff, ranges: [{ type: 'SEMVER', events: [] }] }] };
  yield { ...r, affected: [{ ...aff, ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }] };
  yield { ...r, affected: [{ ...aff, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }] };
  yield { ...r, affected: [{ ...aff, severity: [{ type: 'CVSS_V3', score: 'x' }] }] };
  yield { ...r, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [{ ...aff, severity: [] }] };
  yield { ...r, references: [{ type: 'NOT_A_TYPE', url: 'https://x.test' }] };
  yield { ...r, credits: [{ name: 'x', type: 'NOT_A_TYPE' }] };
  yield { ...r, database_specific: 'scalar' };
}

describe('schema-check agrees with ajv (JSON Schema 2020-12) on the vendored OSV schema', () => {
  it('on valid records and on hundreds of broken variants of them', () => {
    let valid = 0;
    let invalid = 0;
    for (const r of RECORDS) {
      expect(agree(r)).toBe(true);
      for (const m of mutations(r)) (agree(m) ? valid++ : invalid++);
    }
    // Both outcomes occur, so agreement is not the trivial "both always say yes".
    expect(invalid).toBeGreaterThan(100);
    expect(valid).toBeGreaterThan(10);
  });

  it('names the path of what is wrong', () => {
    expect(ours.check({ id: 'MAL-1', modified: 'yesterday', affected: [{ package: { ecosystem: 'npm' } }] })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '$.modified' }),
        expect.objectContaining({ path: '$.affected[0].package', message: 'must have "name"' }),
      ]),
    );
  });

  it('refuses a schema keyword it does not implement instead of passing it', () => {
    expect(() => new SchemaChecker({ type: 'object', properties: { a: { maxLength: 2 } } }).check({ a: 'abc' })).toThrow(/unsupported keyword "maxLength"/);
  });
});
