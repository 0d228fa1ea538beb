import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/compile';
import { builtinAdvisories, builtinRecords } from './builtin';

/** [name, compromised versions, neighbouring legitimate versions that must stay installable] */
const CASES: [string, string[], string[]][] = [
  ['event-stream', ['3.3.6'], ['3.3.4', '4.0.0', '4.0.1']],
  ['ua-parser-js', ['0.7.29', '0.8.0', '1.0.0'], ['0.7.28', '0.7.30', '0.8.1', '1.0.1', '1.0.2']],
  ['coa', ['2.0.3', '2.0.4', '2.1.1', '2.1.3', '3.0.1', '3.1.3'], ['2.0.2', '1.0.4']],
  ['rc', ['1.2.9', '1.3.9', '2.3.9'], ['1.2.8', '1.2.7', '1.1.7']],
  ['eslint-config-prettier', ['8.10.1', '9.1.1', '10.1.6', '10.1.7'], ['8.10.0', '9.1.0', '9.1.2', '10.1.5', '10.1.8']],
  ['eslint-plugin-prettier', ['4.2.2', '4.2.3'], ['4.2.1', '5.2.1']],
  ['synckit', ['0.11.9'], ['0.11.8', '0.11.10']],
  ['@pkgr/core', ['0.2.8'], ['0.2.7', '0.2.9']],
  ['napi-postinstall', ['0.3.1'], ['0.3.0', '0.3.2']],
  ['got-fetch', ['5.1.11', '5.1.12'], ['5.1.10']],
  ['is', ['3.3.1', '5.0.0'], ['3.3.0', '3.3.2']],
  ['nx', ['20.9.0', '20.10.0', '20.11.0', '20.12.0', '21.5.0', '21.6.0', '21.7.0', '21.8.0'], ['20.8.2', '21.4.1', '21.8.1', '21.9.0', '24.0.6']],
  ['@nx/devkit', ['20.9.0', '21.5.0'], ['20.10.0', '21.4.1', '21.6.0']],
  ['@nx/js', ['20.9.0', '21.5.0'], ['21.4.1', '21.6.0']],
  ['@nx/workspace', ['20.9.0', '21.5.0'], ['21.4.1']],
  ['@nx/node', ['20.9.0', '21.5.0'], ['21.4.1']],
  ['@nx/eslint', ['21.5.0'], ['20.9.0', '21.4.1']],
  ['@nx/key', ['3.2.0'], ['3.1.0', '5.0.7']],
  ['@nx/enterprise-cloud', ['3.2.0'], ['3.1.0']],
  ['debug', ['4.4.2'], ['4.4.1', '4.4.3', '2.6.9', '4.3.4']],
  ['chalk', ['5.6.1'], ['5.6.0', '5.6.2', '4.1.2']],
  ['ansi-styles', ['6.2.2'], ['6.2.1', '6.2.3', '4.3.0']],
  ['strip-ansi', ['7.1.1'], ['7.1.0', '7.1.2', '6.0.1']],
  ['ansi-regex', ['6.2.1'], ['6.2.0', '6.2.2', '5.0.1']],
  ['supports-color', ['10.2.1'], ['10.2.0', '10.2.2', '7.2.0']],
  ['wrap-ansi', ['9.0.1'], ['9.0.0', '9.0.2', '7.0.0']],
  ['color-convert', ['3.1.1'], ['3.1.0', '3.1.2', '2.0.1']],
  ['color-name', ['2.0.1'], ['2.0.0', '2.0.2', '1.1.4']],
  ['is-arrayish', ['0.3.3'], ['0.3.2', '0.3.4', '0.2.1']],
  ['slice-ansi', ['7.1.1'], ['7.1.0', '7.1.2']],
  ['color', ['5.0.1'], ['5.0.0', '5.0.2', '4.2.3']],
  ['color-string', ['2.1.1'], ['2.1.0', '2.1.2', '1.9.1']],
  ['simple-swizzle', ['0.2.3'], ['0.2.2', '0.2.4']],
  ['supports-hyperlinks', ['4.1.1'], ['4.1.0', '4.1.2']],
  ['has-ansi', ['6.0.1'], ['6.0.0', '6.0.2']],
  ['chalk-template', ['1.1.1'], ['1.1.0', '1.1.2']],
  ['backslash', ['0.2.1'], ['0.2.0', '0.2.2']],
  ['error-ex', ['1.3.3'], ['1.3.2', '1.3.4']],
];

describe('built-in advisories', () => {
  const idx = builtinAdvisories();

  it.each(CASES)('%s: compromised versions refused, neighbours allowed', (name, bad, good) => {
    for (const v of bad) expect(idx.match(name, v), `${name}@${v}`).not.toHaveLength(0);
    for (const v of good) expect(idx.match(name, v), `${name}@${v}`).toHaveLength(0);
  });

  it('flatmap-stream is refused at every version', () => {
    for (const v of ['0.1.0', '0.1.1', '0.1.2', '9.9.9']) expect(idx.match('flatmap-stream', v)).not.toHaveLength(0);
  });

  it('covers exactly the listed packages (no accidental extra names)', () => {
    expect(idx.size).toBe(CASES.length + 1);
  });

  it('every record cites a public id (MAL-YYYY-N or GHSA) and matches report built-in as source', () => {
    for (const r of builtinRecords() as { id: string; aliases: string[] }[]) {
      expect(r.id).toMatch(/^(MAL-\d{4}-\d+|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/);
      for (const a of r.aliases) expect(a).toMatch(/^(MAL-\d{4}-\d+|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d+)$/);
    }
    expect(idx.match('chalk', '5.6.1')).toEqual([
      expect.objectContaining({ id: 'MAL-2025-46969', aliases: ['GHSA-2v46-p5h4-248w'], source: 'built-in' }),
    ]);
  });

  it('applies with no policy file (default policy)', () => {
    const p = defaultPolicy();
    expect(p.advisories.index.match('debug', '4.4.2')).toHaveLength(1);
    expect(p.advisories.index.match('debug', '4.4.1')).toHaveLength(0);
    expect(p.advisories.index.match('nx', '21.5.0')).toHaveLength(1);
    expect(p.advisories.index.match('nx', '21.4.1')).toHaveLength(0);
  });

  it('unrelated popular packages are untouched', () => {
    for (const [n, v] of [['react', '18.3.1'], ['lodash', '4.17.21'], ['typescript', '5.9.3'], ['__proto__', '1.0.0']] as const) {
      expect(idx.match(n, v)).toEqual([]);
    }
  });
});
