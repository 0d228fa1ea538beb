import { describe, expect, it } from 'vitest';
import { readBunLock } from './bun';

// The shape Bun 1.4.5 writes (lockfileVersion 2), trailing commas and all.
const LOCK = `{
  "lockfileVersion": 2,
  "configVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": { "native": "^1.0.0", "g": "github:a/g", },
    },
    "packages/a": { "name": "a", },
  },
  "trustedDependencies": ["native",],
  "packages": {
    "a": ["a@workspace:packages/a"],
    "native": ["native@1.0.0", "", { "dependencies": { "inner": "^2.0.0", "remote": "https://evil.test/r.tgz" }, "hasInstallScript": true }, "sha512-x"],
    "native/inner": ["inner@2.1.0", "http://127.0.0.1:4873/inner/-/inner-2.1.0.tgz", {}, "sha512-y"],
    "remote": ["remote@https://evil.test/r.tgz", {}],
    "g": ["g@github:a/g#c0ffee", { "hasInstallScript": true }, "a-g-c0ffee"],
    "__proto__": ["__proto__@1.0.0", "", { "dependencies": { "constructor": "1.0.0" } }, "sha512-z"],
  }
}
`;

describe('bun.lock', () => {
  const tree = readBunLock(LOCK, 'bun.lock');
  const get = (name: string) => tree.packages.find((p) => p.name === name);

  it('reads npm, nested, tarball and git entries with their facts and parents', () => {
    expect(tree.kind).toBe('bun');
    expect(get('native')).toMatchObject({ version: '1.0.0', source: 'registry', hasInstallScript: true, requiredBy: [] });
    expect(get('native')?.dependencies?.remote).toBe('https://evil.test/r.tgz');
    expect(get('inner')).toMatchObject({ version: '2.1.0', source: 'registry', requiredBy: ['native'], via: ['native@1.0.0'], integrity: 'sha512-y' });
    expect(get('remote')).toMatchObject({ source: 'tarball', resolved: 'https://evil.test/r.tgz' });
    expect(get('g')).toMatchObject({ source: 'git', hasInstallScript: true, requiredBy: [] });
  });

  it('marks workspaces as the project\'s own code', () => {
    expect(tree.packages.filter((p) => p.name === 'a')).toEqual([{ name: 'a', version: '0.0.0', workspace: true, source: 'workspace' }]);
  });

  it('keeps a package and a dependency named like Object members as data', () => {
    expect(get('__proto__')).toMatchObject({ version: '1.0.0' });
    expect(Object.keys(get('__proto__')?.dependencies ?? {})).toEqual(['constructor']);
  });

  it('fails clearly on bad JSONC, an unknown version and a malformed entry', () => {
    expect(() => readBunLock('{ "lockfileVersion": 1, ', 'bun.lock')).toThrow(/bun.lock: not valid JSONC at line 1/);
    expect(() => readBunLock('{"lockfileVersion": 9}', 'bun.lock')).toThrow(/lockfileVersion 9 is not supported/);
    expect(() => readBunLock('{"lockfileVersion": 1, "packages": {"x": "x@1"}}', 'bun.lock')).toThrow(/packages\["x"\] is not a \[resolution, \.\.\.\] entry/);
    expect(() => readBunLock('{"lockfileVersion": 1, "packages": {"x": ["nover"]}}', 'bun.lock')).toThrow(/is not "name@resolution"/);
  });
});
