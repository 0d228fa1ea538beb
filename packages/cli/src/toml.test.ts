import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { setTomlKeys } from './toml';

const SCANNER = { scanner: './.lifeguard/bun-scanner.js' };

describe('setTomlKeys (bunfig.toml edits)', () => {
  it('appends a missing table and keeps everything else byte for byte', () => {
    const old = '# team settings\n[install]\nregistry = "https://r.test/" # ours\n';
    const next = setTomlKeys(old, 'bunfig.toml', ['install', 'security'], SCANNER);
    expect(next.startsWith(old.trimEnd())).toBe(true);
    expect((parse(next) as any).install).toEqual({ registry: 'https://r.test/', security: SCANNER });
  });

  it('replaces the key in an existing table, adds one that is missing, and writes a file from nothing', () => {
    const old = '[install.security]\nscanner = "other" # comment\n\n[run]\nbun = true\n';
    const next = setTomlKeys(old, 'bunfig.toml', ['install', 'security'], SCANNER);
    expect(next).toBe('[install.security]\nscanner = "./.lifeguard/bun-scanner.js"\n\n[run]\nbun = true\n');
    expect(setTomlKeys('[install]\nfrozenLockfile = true\n', 'b', ['install'], { minimumReleaseAge: 259200 })).toBe(
      '[install]\nminimumReleaseAge = 259200\nfrozenLockfile = true\n',
    );
    expect(setTomlKeys('', 'b', ['install', 'security'], SCANNER)).toBe('[install.security]\nscanner = "./.lifeguard/bun-scanner.js"\n');
  });

  it('merges into a table written with dotted keys', () => {
    const next = setTomlKeys('install.security.scanner = "x"\n', 'bunfig.toml', ['install', 'security'], SCANNER);
    expect((parse(next) as any).install.security).toEqual(SCANNER);
  });

  it('refuses to touch a file that is not TOML, naming it', () => {
    expect(() => setTomlKeys('[install\n', '/p/bunfig.toml', ['install'], {})).toThrow(/\/p\/bunfig.toml: not valid TOML/);
  });
});
