import { describe, expect, it } from 'vitest';
import { policyOf } from '../checks/test-policy';
import { manifestApprovals, pnpmApprovals, uncarriedApprovals } from './approvals';

describe('native script approvals', () => {
  it('reads pnpm allowBuilds (true and false), onlyBuilt, neverBuilt and ignoredBuilt lists', () => {
    const r = pnpmApprovals(
      {
        allowBuilds: { esbuild: true, 'nx@21.5.0 || 21.6.0': false, 'pkg@https://example.com/pkg.tgz': true, weird: 'yes' },
        onlyBuiltDependencies: ['@swc/core'],
        neverBuiltDependencies: ['fsevents'],
        ignoredBuiltDependencies: ['core-js'],
      },
      'pnpm-workspace.yaml',
    );
    expect(r.approvals).toEqual([
      { spec: 'esbuild', allow: true, origin: 'pnpm-workspace.yaml allowBuilds' },
      { spec: 'nx@21.5.0 || 21.6.0', allow: false, origin: 'pnpm-workspace.yaml allowBuilds' },
      { spec: '@swc/core', allow: true, origin: 'pnpm-workspace.yaml onlyBuiltDependencies' },
      { spec: 'fsevents', allow: false, origin: 'pnpm-workspace.yaml neverBuiltDependencies' },
      { spec: 'core-js', allow: false, origin: 'pnpm-workspace.yaml ignoredBuiltDependencies' },
    ]);
    // A tarball key is no package spec: named, not imported.
    expect(r.unusable).toEqual([{ key: 'pkg@https://example.com/pkg.tgz', origin: 'pnpm-workspace.yaml allowBuilds' }]);
  });

  it('reads package.json: pnpm field, Yarn dependenciesMeta, npm allowScripts, Bun trustedDependencies; never a glob', () => {
    const r = manifestApprovals(
      {
        pnpm: { onlyBuiltDependencies: ['sharp'] },
        dependenciesMeta: { 'bcrypt@5.1.1': { built: true }, argon2: { built: false }, fsevents: { optional: true } },
        allowScripts: { 'sqlite3@5.1.7': true, prisma: false },
        trustedDependencies: ['puppeteer', '*'],
      },
      'package.json',
    );
    expect(r.approvals.map((a) => `${a.allow ? '+' : '-'}${a.spec} (${a.origin})`)).toEqual([
      '+sharp (package.json "pnpm" onlyBuiltDependencies)',
      '+bcrypt@5.1.1 (package.json dependenciesMeta)',
      '-argon2 (package.json dependenciesMeta)',
      '+sqlite3@5.1.7 (package.json allowScripts)',
      '-prisma (package.json allowScripts)',
      '+puppeteer (package.json trustedDependencies)',
    ]);
    expect(r.unusable).toEqual([{ key: '*', origin: 'package.json trustedDependencies' }]);
    expect(manifestApprovals(null, 'package.json')).toEqual({ approvals: [], unusable: [] });
  });

  it('names the native approvals the policy does not carry', () => {
    const policy = policyOf({ scripts: { allow: ['esbuild', 'nx@21.4.0'], deny: ['sharp'] } });
    const native = [
      { spec: 'esbuild', allow: true, origin: 'o' },
      { spec: 'nx@21.4.0 || 21.5.0', allow: true, origin: 'o' },
      { spec: 'nx@21.4.0', allow: true, origin: 'o' },
      { spec: '@swc/core', allow: true, origin: 'o' },
      { spec: 'sharp', allow: true, origin: 'o' },
      { spec: 'fsevents', allow: false, origin: 'o' },
    ];
    expect(uncarriedApprovals(policy, native).map((a) => a.spec)).toEqual(['nx@21.4.0 || 21.5.0', '@swc/core', 'sharp']);
    expect(uncarriedApprovals(policyOf({ scripts: { unapproved: 'run' } }), native)).toEqual([]);
  });
});
