/**
 * The default policy on real published manifests (../shared/data): nothing legitimate is refused.
 * Install scripts are skipped (decision "strip"), never refused; `prepare`-only packages and
 * platform binaries are installed as they are.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../packages/core/src/evaluate';
import { defaultPolicy } from '../../packages/core/src/policy/compile';
import type { PackageFacts } from '../../packages/core/src/types';

const DATA = resolve(__dirname, '../../../shared/data');

interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string> | null;
  dependencies?: Record<string, string> | null;
  optionalDependencies?: Record<string, string> | null;
  gypfile?: boolean | null;
  derived_install_lifecycle?: unknown;
}

const rows = (file: string): Manifest[] =>
  readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Manifest);

const facts = (m: Manifest): PackageFacts => ({
  name: m.name,
  version: m.version,
  scripts: m.scripts ?? {},
  dependencies: { ...(m.optionalDependencies ?? {}), ...(m.dependencies ?? {}) },
  hasBindingGyp: m.gypfile === true,
});

describe('default policy on legit manifests', () => {
  const policy = defaultPolicy();

  it('refuses none of the 80 packages with install scripts, and skips their scripts', () => {
    const legit = rows('legit_manifests.install_scripts.jsonl');
    expect(legit).toHaveLength(80);
    const verdicts = legit.map((m) => [`${m.name}@${m.version}`, evaluate(policy, facts(m))] as const);
    expect(verdicts.filter(([, v]) => v.decision === 'refuse').map(([id, v]) => `${id}: ${v.findings.map((f) => f.code).join(',')}`)).toEqual([]);
    expect(verdicts.filter(([, v]) => v.decision !== 'strip' || v.runScripts).map(([id]) => id)).toEqual([]);
  });

  it('refuses none of the 106 packages without install scripts, and finds nothing to skip', () => {
    const legit = rows('legit_manifests.no_install_scripts.jsonl');
    expect(legit).toHaveLength(106);
    const verdicts = legit.map((m) => [`${m.name}@${m.version}`, evaluate(policy, facts(m))] as const);
    expect(verdicts.filter(([, v]) => v.decision !== 'allow').map(([id, v]) => `${id}: ${v.decision} ${v.findings.map((f) => f.code).join(',')}`)).toEqual([]);
  });
});
