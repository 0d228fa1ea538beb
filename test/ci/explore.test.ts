import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { REPO, markerScript, newMarkers, pnpmProject, publish, run, startRegistry, tool } from '../harness/index';

it('explore', async () => {
  const reg = await startRegistry();
  const markers = newMarkers();
  await publish(reg, [
    { name: '@lg-ci/ran', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'ran') } },
    { name: '@lg-ci/notran', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'notran') } },
    { name: '@lg-ci/denied', version: '1.0.0', scripts: { postinstall: markerScript(markers, 'denied') } },
  ]);
  for (const v of ['pnpm10', 'pnpm12'] as const) {
    const t = await tool(v);
    const dir = pnpmProject(reg, { dependencies: { '@lg-ci/ran': '1.0.0', '@lg-ci/notran': '1.0.0', '@lg-ci/denied': '1.0.0' } }, {
      files: { 'lifeguard.json': JSON.stringify({ scripts: { allow: ['@lg-ci/ran'], deny: ['@lg-ci/denied'] } }) } });
    copyFileSync(join(REPO, 'packages/pnpm-hook/dist/pnpmfile.cjs'), join(dir, '.pnpmfile.cjs'));
    const r = await run(t, ['install'], { cwd: dir });
    console.log(v, r.code, r.stderr.slice(0, 500));
    const m = JSON.parse(readFileSync(join(dir, 'node_modules/.modules.yaml'), 'utf8'));
    console.log(v, m.ignoredBuilds, m.pendingBuilds, m.allowBuilds, m.onlyBuiltDependencies);
    console.log(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8').slice(0, 200));
    console.log(readdirSync(markers));
    const r2 = await run(t, ['install', '--ignore-pnpmfile', '--frozen-lockfile', '--config.dangerously-allow-all-builds=true'], { cwd: dir });
    console.log(v, 'ignore', r2.code, r2.stderr.slice(0, 500));
    const m2 = JSON.parse(readFileSync(join(dir, 'node_modules/.modules.yaml'), 'utf8'));
    console.log(v, m2.ignoredBuilds, m2.pendingBuilds, m2.allowBuilds);
    console.log(readdirSync(markers));
  }
  await reg.stop();
}, 600_000);
