import { describe, expect, it } from 'vitest';
import { changedSettings, gateSnapshot, laterPnpmfiles, runLast } from './later-hooks';

describe('later updateConfig hooks (pnpm 10)', () => {
  it('sees a later plugin widen the gate, in place or in a new object', () => {
    const config: Record<string, unknown> = { onlyBuiltDependencies: ['ok'], strictDepBuilds: false, rootProjectManifest: { name: 'p' } };
    const before = gateSnapshot(config);
    expect(changedSettings(before, gateSnapshot({ ...config }))).toEqual([]);
    expect(changedSettings(before, gateSnapshot({ ...config, onlyBuiltDependencies: ['ok', 'evil'] }))).toEqual(['onlyBuiltDependencies']);
    expect(changedSettings(before, gateSnapshot({ ...config, dangerouslyAllowAllBuilds: true, rootProjectManifest: { pnpm: { neverBuiltDependencies: [] } } }))).toEqual([
      'dangerouslyAllowAllBuilds',
      'package.json pnpm.neverBuiltDependencies',
    ]);
  });
  it('appends the check to the chain pnpm is walking, once', () => {
    const seen: string[] = [];
    const check = (c: Record<string, unknown>) => (seen.push(String(c.v)), c);
    let config: Record<string, unknown> = { v: 0 };
    const chain: Array<(c: Record<string, unknown>) => Record<string, unknown>> = [
      (c) => (runLast(c, check), runLast(c, check), c),
      (c) => ({ ...c, v: 2 }),
    ];
    config.hooks = { updateConfig: chain };
    for (const hook of chain) config = hook(config); // how pnpm 10 runs them
    expect(seen).toEqual(['2']);
    expect(chain).toHaveLength(3);
  });
  it('names the pnpmfiles loaded after Lifeguard', () => {
    expect(laterPnpmfiles({ pnpmfile: ['/p/.pnpmfile.cjs', '/p/node_modules/.pnpm-config/pnpm-plugin-x/pnpmfile.cjs'] }, '/p/.pnpmfile.cjs')).toEqual([
      '/p/node_modules/.pnpm-config/pnpm-plugin-x/pnpmfile.cjs',
    ]);
    expect(laterPnpmfiles({ pnpmfile: ['/a', '/b'] }, '/c')).toEqual(['/a', '/b']);
  });
});
