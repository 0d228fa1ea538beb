// Interim main job: `lifeguard check` on the example npm project (refusals and skips as a
// user sees them). Replaced by the full registry demo once the adapters land.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, [join(root, 'packages/cli/bin/lifeguard.cjs'), 'check', '--lockfile', 'examples/npm-project/package-lock.json'], { cwd: root, stdio: 'inherit' });
console.log(`\nlifeguard check exited ${r.status} (1 = the install would be refused).`);
