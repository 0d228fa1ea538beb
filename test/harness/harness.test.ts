import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { hashTree, markerExists, markerScript, pnpmProject, publish, run, startRegistry, tempProject, tool, type Registry } from './index';

// Smoke test of the harness itself: registry up, fixture published, a real pnpm installs it
// from 127.0.0.1 and runs (or not) its postinstall.
describe('harness', () => {
  let reg: Registry;
  const markers = tempProject({});
  beforeAll(async () => {
    reg = await startRegistry();
    await publish(reg, [
      { name: '@lg-fixture/harness-a', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'harness-a') } },
      { name: '@lg-fixture/harness-a', version: '1.1.0', scripts: { postinstall: markerScript(markers, 'harness-a') } },
    ]);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('serves published fixtures and no uplink', async () => {
    const meta = (await (await fetch(`${reg.url}@lg-fixture%2fharness-a`)).json()) as { 'dist-tags': { latest: string } };
    expect(meta['dist-tags'].latest).toBe('1.1.0');
    const missing = await fetch(`${reg.url}left-pad`);
    expect(missing.status).toBe(404);
  });

  it('installs with pinned pnpm 12 and runs an allowed postinstall', async () => {
    const t = await tool('pnpm12');
    const dir = pnpmProject(reg, { dependencies: { '@lg-fixture/harness-a': '1.0.0' } }, {
      workspaceYaml: 'allowBuilds:\n  "@lg-fixture/harness-a": true',
    });
    const before = hashTree(dir, ['node_modules']);
    const r = await run(t, ['install'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(markerExists(markers, 'harness-a')).toBe(true);
    expect(hashTree(dir, ['node_modules'])).not.toBe(before);
    expect(hashTree(join(dir, 'nope'), ['x'])).toBe(hashTree(join(dir, 'nope2'), ['x']));
  });
});

describe('pinned tools', () => {
  it.each([
    ['pnpm10', '10.34.9'],
    ['pnpm11', '11.28.10'],
    ['pnpm12', '12.21.0'],
    ['yarn4', '4.18.1'],
  ] as const)('%s runs and reports %s', async (name, version) => {
    const t = await tool(name);
    const r = await run(t, ['--version'], { cwd: tempProject({}) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
});
