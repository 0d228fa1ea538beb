import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDependencyNames, workspacePackages } from './workspace';

describe('the project as pnpm finds it', () => {
  it('names its packages and the file:/link: directories their manifests pull in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeguard-ws-'));
    const write = (path: string, json: object) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(json));
    };
    write('package.json', { name: 'app', dependencies: { fixture: 'file:./fixtures/a', lib: '^1.0.0' }, devDependencies: { stub: 'link:./stubs/x' } });
    write('packages/core/package.json', { name: '@app/core', optionalDependencies: { vendored: 'file:../../vendor/v', remote: 'github:a/b' } });
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    const packages = workspacePackages(dir);
    expect([...packages.keys()].sort()).toEqual(['@app/core', 'app']);
    expect([...localDependencyNames(packages.values())].sort()).toEqual(['fixture', 'stub', 'vendored']);
  });
});
