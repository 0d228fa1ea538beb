import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy } from '../policy/compile';
import { pnpmBuildGate, type LockedRelease } from './pnpm-gate';

const policy = (json: unknown) => compilePolicy(parsePolicy(JSON.stringify(json), '/p/lifeguard.json'));
const r = (name: string, version: string, source: LockedRelease['source'] = 'registry', key = `${name}@${version}`): LockedRelease => ({ name, version, source, key });

describe('pnpmBuildGate', () => {
  const locked = [r('esbuild', '0.25.0'), r('esbuild', '0.26.0'), r('sharp', '0.33.5'), r('nx', '21.5.0'), r('tool', '1.0.0', 'tarball', 'tool@https://x.test/tool-1.0.0.tgz')];

  it('keeps bare names, turns ranges into exact versions, and names tarball packages by their lockfile key', () => {
    const gate = pnpmBuildGate(policy({ scripts: { allow: ['sharp', 'esbuild@^0.25.0', 'tool'], deny: ['nx'] } }), locked);
    // `tool` as a bare name covers registry releases only; its tarball needs the full key.
    expect(gate.allowBuilds).toEqual({ sharp: true, tool: true, 'esbuild@0.25.0': true, 'tool@https://x.test/tool-1.0.0.tgz': true, nx: false });
    expect(gate.onlyBuiltDependencies.sort()).toEqual(['esbuild@0.25.0', 'sharp', 'tool', 'tool@https://x.test/tool-1.0.0.tgz']);
    expect(gate.ignoredBuiltDependencies).toEqual(['nx']);
    expect(gate.allowAll).toBe(false);
  });

  it('lets scripts.deny win: a name with a deny entry is approved version by version only', () => {
    const gate = pnpmBuildGate(policy({ scripts: { allow: ['esbuild'], deny: ['esbuild@0.26.0'] } }), locked);
    expect(gate.allowBuilds).toEqual({ 'esbuild@0.25.0': true, 'esbuild@0.26.0': false });
  });

  it('allows every build only for unapproved: "run" with nothing denied', () => {
    expect(pnpmBuildGate(policy({ scripts: { unapproved: 'run' } }), locked).allowAll).toBe(true);
    expect(pnpmBuildGate(policy({ scripts: { unapproved: 'run', deny: ['nx'] } }), locked).allowAll).toBe(false);
  });

  it('a git build is approved only by an entry naming its source, never by the bare name', () => {
    const git = r('gdep', '1.0.0', 'git', 'gdep@git+https://github.com/acme/gdep.git#0123abc');
    expect(pnpmBuildGate(policy({ scripts: { allow: ['gdep'] } }), [git]).allowBuilds).toEqual({ gdep: true });
    const named = policy({ scripts: { allow: [{ package: 'gdep', source: 'git+https://github.com/acme/gdep.git#*' }] } });
    expect(pnpmBuildGate(named, [git]).allowBuilds).toEqual({ 'gdep@git+https://github.com/acme/gdep.git#0123abc': true });
  });
});
