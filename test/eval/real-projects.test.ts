/**
 * The default policy on the committed lockfiles of real projects (test/eval/corpus): nothing is refused.
 * Read with the CLI's own lockfile readers and judged by core in-process, as `lifeguard check` does.
 * A refusal here is a broken install of a well-known project: users who meet one switch the tool off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../packages/core/src/evaluate';
import { defaultPolicy } from '../../packages/core/src/policy/compile';
import { findLockfile, readLockfile } from '../../packages/cli/src/lockfiles/index';

const CORPUS = resolve(__dirname, 'corpus');
const projects = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('default policy on real projects', () => {
  const policy = defaultPolicy();

  it('has a corpus across pnpm, Yarn Berry, Yarn classic and npm', () => {
    const kinds = projects.map((p) => {
      const lock = findLockfile(join(CORPUS, p)) ?? '';
      return lock.endsWith('yarn.lock') ? (readFileSync(lock, 'utf8').includes('__metadata:') ? 'berry' : 'classic') : lock.split('/').pop();
    });
    expect(projects.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['pnpm-lock.yaml', 'berry', 'classic', 'package-lock.json']) expect(kinds).toContain(kind);
  });

  it.each(projects)('%s: every package installs', (project) => {
    const lockfile = findLockfile(join(CORPUS, project));
    expect(lockfile, `${project} has no lockfile`).toBeDefined();
    const tree = readLockfile(lockfile as string);
    expect(tree.packages.filter((p) => !p.workspace).length).toBeGreaterThan(100);
    const refused = tree.packages.flatMap((facts) =>
      evaluate(policy, facts)
        .findings.filter((f) => f.action === 'refuse')
        .map((f) => `${facts.name}@${facts.version} ${f.code}: ${f.message}`),
    );
    expect(refused).toEqual([]);
  });
});
