import { describe, expect, it } from 'vitest';
import { gateOverrides } from './overrides';

describe('gateOverrides', () => {
  it('finds every command-line form that widens the build gate', () => {
    expect(gateOverrides(['install', '--dangerously-allow-all-builds'])).toEqual(['--dangerously-allow-all-builds']);
    expect(gateOverrides(['i', '--config.dangerously-allow-all-builds=true'])).toEqual(['--config.dangerously-allow-all-builds=true']);
    expect(gateOverrides(['i', '--config.dangerouslyAllowAllBuilds=true'])).toEqual(['--config.dangerouslyAllowAllBuilds=true']);
    expect(gateOverrides(['add', '--allow-build=esbuild', 'esbuild'])).toEqual(['--allow-build=esbuild']);
    expect(gateOverrides(['add', '--allow-build', 'esbuild'])).toEqual(['--allow-build']);
    expect(gateOverrides(['add', '--allow-build=esbuild', 'esbuild'], true)).toEqual([]);
    expect(gateOverrides(['i', '--config.allowBuilds.esbuild=true', '--config.only-built-dependencies=x'])).toHaveLength(2);
  });
  it('under unapproved "refuse", finds strictDepBuilds turned off (pnpm would skip instead of fail)', () => {
    const off = ['--no-strict-dep-builds', '--strict-dep-builds=false', '--config.strict-dep-builds=false', '--config.strictDepBuilds=false'];
    expect(gateOverrides(['install', ...off], false, true)).toEqual(off);
    expect(gateOverrides(['install', ...off])).toEqual([]);
    expect(gateOverrides(['install', '--strict-dep-builds'], false, true)).toEqual([]);
  });
  it('leaves narrowing and unrelated options alone', () => {
    expect(gateOverrides(['install', '--frozen-lockfile', '--no-dangerously-allow-all-builds', '--dangerously-allow-all-builds=false'])).toEqual([]);
    expect(gateOverrides(['exec', '--', 'tool', '--dangerously-allow-all-builds'])).toEqual([]);
    expect(gateOverrides(['exec', 'tool', '--dangerously-allow-all-builds'])).toEqual([]);
    expect(gateOverrides(['run', 'build', '--allow-build=x'])).toEqual([]);
    expect(gateOverrides(['dlx', '--allow-build=esbuild', 'tool'])).toEqual(['--allow-build=esbuild']);
    expect(gateOverrides(['install', '-C', '--allow-builds-dir'])).toEqual([]);
  });
});
