/**
 * Risky-script signals on the 80 legit packages with install scripts (../shared/data): pins how
 * many the text check calls risky, so a noisier rule fails CI. docs/detection.md has the numbers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../packages/core/src/evaluate';
import { defaultPolicy } from '../../packages/core/src/policy/compile';
import { assessScript } from '../../packages/core/src/risk/index';

const DATA = resolve(__dirname, '../../../shared/data');
const FILE = join(DATA, 'legit_manifests.install_scripts.jsonl');
interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string> | null;
}
const rows = (file: string): Manifest[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Manifest);

describe('risky-script signals on legit manifests', () => {
  it('flags 0 of the 80 legit packages with install scripts as risky', () => {
    const legit = rows(FILE);
    expect(legit).toHaveLength(80);
    const risky = legit.filter((m) =>
      ['preinstall', 'install', 'postinstall'].some((k) => typeof m.scripts?.[k] === 'string' && assessScript(m.scripts[k]!).length > 0),
    );
    expect(risky.map((m) => `${m.name}@${m.version}`)).toEqual([]);
  });

  it('leaves their LIFEGUARD_SCRIPTS findings at the plain severity, with no risk details', () => {
    const policy = defaultPolicy();
    for (const m of rows(FILE)) {
      const f = evaluate(policy, { name: m.name, version: m.version, scripts: m.scripts ?? {} }).findings.find((x) => x.code === 'LIFEGUARD_SCRIPTS');
      expect(f, m.name).toBeDefined();
      expect(f!.severity, m.name).toBe('low');
      expect(f!.details, m.name).not.toHaveProperty('risk');
    }
  });

  it('stays quiet on every script (build, test, prepare, ...) of all 186 legit manifests', () => {
    const all = [...rows(FILE), ...rows(join(DATA, 'legit_manifests.no_install_scripts.jsonl'))];
    expect(all).toHaveLength(186);
    const noisy = all.flatMap((m) => Object.entries(m.scripts ?? {}).filter(([, body]) => typeof body === 'string' && assessScript(body).length > 0).map(([k]) => `${m.name}:${k}`));
    expect(noisy).toEqual([]);
  });
});
