import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core decides; adapters do I/O. A core that read files or the environment could not be
// trusted to give the same verdict in pnpm, Yarn and the CLI.
const FORBIDDEN = /from ['"](?:node:)?(?:fs|fs\/promises|path|process|child_process|net|http|https|dgram|dns|os|worker_threads|tls)['"]|\bprocess\.(?:env|argv|exit|cwd|stdout|stderr|stdin|platform|version)\b|\brequire\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'test-policy.ts' ? [join(dir, e.name)] : [],
  );
}

describe('core purity', () => {
  it('imports no fs, path, process or network module and touches no process global', () => {
    const offenders = sources(__dirname).filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
