// Evaluation on real data: every dev malicious name from ../shared/data becomes an OSV record in a
// feed folder (nested like ossf/malicious-packages), loaded through @lifeguard/loader's
// loadPolicyFile with `advisories.feeds`, and run through the core decision.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type Policy } from '@lifeguard/core';
// @lifeguard/loader, by path: the test package does not list it as a dependency
import { loadFeedIndex, loadPolicyFile } from '../../packages/loader/src/index';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = join(here, '..', '..', '..', 'shared', 'data', 'malicious_npm_names.dev.jsonl');

interface Row {
  name: string;
  affected_versions: 'all' | 'unspecified' | string[];
  mal_ids: string[];
  aliases: string[];
  summary: string | null;
  is_npm_high_impact_name: boolean;
}

const rows: Row[] = readFileSync(DATA, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);

function toOsv(row: Row, i: number): Record<string, unknown> {
  const pkg = { ecosystem: 'npm', name: row.name };
  return {
    id: row.mal_ids[0] ?? `LIFEGUARD-DEV-${i}`,
    aliases: [...row.mal_ids.slice(1), ...row.aliases],
    summary: row.summary ?? `Malicious code in ${row.name} (npm)`,
    affected: [
      Array.isArray(row.affected_versions)
        ? { package: pkg, versions: row.affected_versions }
        : { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] },
    ],
  };
}

/** A version next to the listed ones that is not listed (patch + 1 of the highest, else 0.0.1). */
function unlistedNeighbour(listed: string[]): string {
  const parsed = listed.map((v) => /^(\d+)\.(\d+)\.(\d+)$/.exec(v)).filter((m): m is RegExpExecArray => m !== null);
  let candidate = '0.0.1';
  if (parsed.length > 0) {
    const top = parsed.map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!).at(-1)!;
    candidate = `${top[0]}.${top[1]}.${top[2]! + 1}`;
  }
  while (listed.includes(candidate)) candidate = `${candidate}-0`;
  return candidate;
}

const refusedByAdvisory = (policy: Policy, name: string, version: string) =>
  evaluate(policy, { name, version }).findings.some((f) => f.code === 'LIFEGUARD_ADVISORY');

let dir: string;
let policy: Policy;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeguard-eval-adv-'));
  const feed = join(dir, 'malicious-packages', 'osv', 'malicious', 'npm');
  rows.forEach((row, i) => {
    const rec = toOsv(row, i);
    const d = join(feed, ...row.name.split('/'));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `${rec.id as string}.json`), JSON.stringify(rec, null, 2));
  });
  // a compromised legitimate package with one bad release, as in the OSSF record for chalk
  mkdirSync(join(feed, 'chalk'), { recursive: true });
  writeFileSync(
    join(feed, 'chalk', 'MAL-2025-46969.json'),
    JSON.stringify({ id: 'MAL-2025-46969', aliases: ['GHSA-2v46-p5h4-248w'], summary: 'Malicious code in chalk (npm)', affected: [{ package: { ecosystem: 'npm', name: 'chalk' }, versions: ['5.6.1'] }] }),
  );
  const file = join(dir, 'lifeguard.json');
  writeFileSync(file, JSON.stringify({ advisories: { feeds: ['./malicious-packages/osv/malicious/npm'] } }));
  policy = loadPolicyFile(file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('advisory feeds on the dev malicious-name set', () => {
  it('has the expected data', () => {
    expect(rows.length).toBeGreaterThan(2000);
    expect(rows.filter((r) => r.is_npm_high_impact_name).length).toBeGreaterThan(0);
  });

  it('refuses every dev malicious name at an affected version', () => {
    const missed: string[] = [];
    for (const row of rows) {
      const version = Array.isArray(row.affected_versions) ? (row.affected_versions[0] as string) : '1.0.0';
      const verdict = evaluate(policy, { name: row.name, version });
      if (verdict.decision !== 'refuse' || !verdict.findings.some((f) => f.code === 'LIFEGUARD_ADVISORY')) missed.push(`${row.name}@${version}`);
    }
    expect(missed).toEqual([]);
  });

  it('refuses every listed version of version-scoped rows', () => {
    const missed: string[] = [];
    for (const row of rows) {
      if (!Array.isArray(row.affected_versions)) continue;
      for (const v of row.affected_versions) if (!refusedByAdvisory(policy, row.name, v)) missed.push(`${row.name}@${v}`);
    }
    expect(missed).toEqual([]);
  });

  it('compromised legitimate packages (npm-high-impact names): versions outside the list are not refused', () => {
    const wrong: string[] = [];
    for (const row of rows.filter((r) => r.is_npm_high_impact_name)) {
      expect(Array.isArray(row.affected_versions), row.name).toBe(true);
      const listed = row.affected_versions as string[];
      const outside = unlistedNeighbour(listed);
      if (refusedByAdvisory(policy, row.name, outside)) wrong.push(`${row.name}@${outside}`);
      if (evaluate(policy, { name: row.name, version: outside }).decision === 'refuse') wrong.push(`${row.name}@${outside} (decision)`);
    }
    expect(wrong).toEqual([]);
  });

  it('version-scoped rows in general: an unlisted neighbour version is not refused by the feed', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      if (!Array.isArray(row.affected_versions)) continue;
      const outside = unlistedNeighbour(row.affected_versions);
      if (refusedByAdvisory(policy, row.name, outside)) wrong.push(`${row.name}@${outside}`);
    }
    expect(wrong).toEqual([]);
  });

  it('chalk with only 5.6.1 affected refuses only 5.6.1', () => {
    expect(refusedByAdvisory(policy, 'chalk', '5.6.1')).toBe(true);
    expect(evaluate(policy, { name: 'chalk', version: '5.6.1' }).decision).toBe('refuse');
    for (const v of ['5.6.0', '5.6.2', '5.3.0', '4.1.2', '2.4.2']) {
      expect(refusedByAdvisory(policy, 'chalk', v), v).toBe(false);
    }
  });

  it('the second load of the same feed comes from the compiled cache with the same answers', () => {
    const feed = join(dir, 'malicious-packages', 'osv', 'malicious', 'npm');
    const r = loadFeedIndex(feed);
    expect(r.from).toBe('cache');
    for (const row of rows.slice(0, 200)) {
      const version = Array.isArray(row.affected_versions) ? (row.affected_versions[0] as string) : '1.0.0';
      expect(r.index.match(row.name, version).length, row.name).toBeGreaterThan(0);
    }
  });
});
