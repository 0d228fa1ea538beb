/**
 * The default policy on the committed lockfiles of real projects (test/eval/corpus): nothing is refused
 * but the refusals by design listed below.
 * Read with the CLI's own lockfile readers and judged by core in-process, as `lifeguard check` does.
 * A refusal here is a broken install of a well-known project: users who meet one switch the tool off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../packages/core/src/evaluate';
import { compilePolicy, defaultPolicy, parsePolicy } from '../../packages/core/src/policy/compile';
import type { Policy } from '../../packages/core/src/policy/policy';
import { findLockfile, readLockfile } from '../../packages/cli/src/lockfiles/index';
import { findLookalikes } from '../../packages/cli/src/commands/init-lookalikes';
import { findExoticSources } from '../../packages/cli/src/commands/init-sources';

const CORPUS = resolve(__dirname, 'corpus');

/**
 * Refusals the documented rule makes on purpose, and nothing else: published packages that themselves
 * depend on git (DESIGN: an exotic source a published package declares is refused; pnpm 12 blocks such
 * transitive git deps by itself too, ERR_PNPM_EXOTIC_SUBDEP). A project that wants them lists the spec in
 * `sources.allow`; the last test checks that this is enough.
 */
const BY_DESIGN: Record<string, { refusal: string; allow: string }[]> = {
  pulsar: [
    { refusal: '@electron/rebuild@3.7.2 LIFEGUARD_SOURCE @electron/node-gyp', allow: 'https://github.com/electron/node-gyp#06b29aafb7708acef8b3669835c8a7857ebc92d2' },
    { refusal: 'jasmine-focused@1.0.7 LIFEGUARD_SOURCE jasmine-node', allow: 'git+https://github.com/kevinsawicki/jasmine-node.git#81af4f953a2b7dfb5bde8331c05362a4b464c5ef' },
  ],
};
const projects = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const policyOf = (json: object): Policy => compilePolicy(parsePolicy(JSON.stringify(json), join(CORPUS, 'lifeguard.json')));

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

  const refusals = (project: string, p: Policy) => {
    const lockfile = findLockfile(join(CORPUS, project));
    expect(lockfile, `${project} has no lockfile`).toBeDefined();
    const tree = readLockfile(lockfile as string);
    expect(tree.packages.filter((x) => !x.workspace).length).toBeGreaterThan(100);
    return tree.packages.flatMap((facts) =>
      evaluate(p, facts)
        .findings.filter((f) => f.action === 'refuse')
        .map((f) => ({ id: `${facts.name}@${facts.version} ${f.code}${f.code === 'LIFEGUARD_SOURCE' ? ` ${String(f.details?.dependency)}` : ''}`, message: f.message })),
    );
  };

  it.each(projects)('%s: every package installs', (project) => {
    const expected = (BY_DESIGN[project] ?? []).map((b) => b.refusal);
    const unexpected = refusals(project, policy).filter((r) => !expected.includes(r.id));
    expect(unexpected.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  });

  // Adoption: what `lifeguard init --yes` keeps (look-alikes -> typosquat.ignore, exotic sources ->
  // sources.allow) is exactly the by-design list, and with it nothing in any project is refused.
  it.each(projects)('%s: the policy `lifeguard init --yes` writes refuses nothing', (project) => {
    const tree = readLockfile(findLockfile(join(CORPUS, project)) as string);
    const ignore = findLookalikes(policy, tree.packages).map((l) => l.name);
    const allow = findExoticSources(policy, tree.packages).map((e) => e.spec);
    expect(ignore.filter((n) => refusals(project, policy).some((r) => r.id.startsWith(`${n}@`)))).toEqual([]); // no look-alike is refused: init only asks about warned ones
    expect(allow).toEqual([...(BY_DESIGN[project] ?? []).map((b) => b.allow)].sort());
    const initPolicy = policyOf({ ...(ignore.length ? { typosquat: { ignore } } : {}), ...(allow.length ? { sources: { allow } } : {}) });
    expect(refusals(project, initPolicy).map((r) => r.id)).toEqual([]);
  });

  it.each(Object.keys(BY_DESIGN))('%s: the refusals by design are exactly those, and sources.allow lifts them', (project) => {
    expect([...new Set(refusals(project, policy).map((r) => r.id).filter((id) => id.includes('LIFEGUARD_SOURCE')))]).toEqual(BY_DESIGN[project]?.map((b) => b.refusal));
    const allowing = policyOf({ sources: { allow: BY_DESIGN[project]?.map((b) => b.allow) } });
    expect(refusals(project, allowing).filter((r) => r.id.includes('LIFEGUARD_SOURCE'))).toEqual([]);
  });
});
