import { describe, expect, it } from 'vitest';
import { compilePolicy, defaultPolicy, parsePolicy } from './compile';
import { PolicyError } from './errors';

const FILE = '/project/lifeguard.json';
const load = (text: string | Uint8Array) => compilePolicy(parsePolicy(text, FILE));

function policyError(text: string | Uint8Array): PolicyError {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error(`accepted a bad policy: ${String(text)}`);
}

describe('valid policies', () => {
  it('compiles the DESIGN.md example with every key', () => {
    const p = load(
      JSON.stringify({
        $schema: './node_modules/@lifeguard/core/lifeguard.schema.json',
        mode: 'enforce',
        scripts: {
          unapproved: 'skip',
          allow: ['esbuild', '@swc/core@^1.7.0', { package: 'sharp@0.34.1', reason: 'libvips binary' }],
          deny: ['nx@21.5.0 || 21.6.0'],
        },
        packages: { deny: ['flatmap-stream', 'event-stream@3.3.6'], trust: ['@acme/*'] },
        typosquat: { action: 'refuse', ignore: ['react-dnd'] },
        sources: { exotic: 'refuse', allow: ['github:acme/*'] },
        advisories: { action: 'refuse' },
        releaseAge: { minimum: '3d', exclude: ['@acme/*'] },
      }),
    );
    expect(p.scripts.allow.find('@swc/core', '1.7.3')?.raw).toBe('@swc/core@^1.7.0');
    expect(p.scripts.allow.find('@swc/core', '1.6.0')).toBeUndefined();
    expect(p.scripts.allow.find('sharp', '0.34.1')?.reason).toBe('libvips binary');
    expect(p.scripts.deny.find('nx', '21.6.0')).toBeDefined();
    expect(p.scripts.deny.find('nx', '21.7.0')).toBeUndefined();
    expect(p.packages.trust.find('@acme/widgets', '1.0.0')).toBeDefined();
    expect(p.packages.trust.find('@acmex/widgets', '1.0.0')).toBeUndefined();
    expect(p.sources.allow[0]?.matches('github:acme/tools#v1')).toBe(true);
    expect(p.releaseAge?.minutes).toBe(3 * 24 * 60);
    expect(p.releaseAge?.exclude.find('@acme/x', '1.0.0')).toBeDefined();
  });

  it('applies DESIGN.md defaults for an empty object and for no file', () => {
    for (const p of [load('{}'), defaultPolicy()]) {
      expect(p.mode).toBe('enforce');
      expect(p.scripts.unapproved).toBe('skip');
      expect(p.typosquat.action).toBe('refuse');
      expect(p.sources.exotic).toBe('refuse');
      expect(p.advisories.action).toBe('refuse');
      expect(p.releaseAge).toBeUndefined();
    }
    expect(defaultPolicy().isDefault).toBe(true);
  });

  it('accepts a UTF-8 byte-order mark and bytes', () => {
    expect(load(new TextEncoder().encode('\ufeff{"mode":"warn"}')).mode).toBe('warn');
  });
});

// Each bad policy must fail closed with the file, the JSON path of the bad field and the expectation.
const BAD: [kind: string, text: string | Uint8Array, path: string, expected: RegExp][] = [
  ['empty file', '', '$', /JSON object/],
  ['whitespace only', '  \n', '$', /JSON object/],
  ['not JSON', '{mode: warn}', '$', /valid JSON/],
  ['trailing comma', '{"mode":"warn",}', '$', /valid JSON/],
  ['non-UTF-8 bytes', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), '$', /UTF-8/],
  ['top-level array', '[]', '$', /an object/],
  ['top-level string', '"enforce"', '$', /an object/],
  ['unknown top-level key', '{"script":{}}', '$.script', /known keys/],
  ['__proto__ key', '{"__proto__":{"mode":"warn"}}', '$.__proto__', /known keys/],
  ['constructor key', '{"scripts":{"constructor":[]}}', '$.scripts.constructor', /known keys/],
  ['wrong mode', '{"mode":"audit"}', '$.mode', /"enforce", "warn"/],
  ['mode not a string', '{"mode":true}', '$.mode', /a string/],
  ['scripts not an object', '{"scripts":["esbuild"]}', '$.scripts', /an object/],
  ['allow not an array', '{"scripts":{"allow":"esbuild"}}', '$.scripts.allow', /an array/],
  ['allow entry a number', '{"scripts":{"allow":[42]}}', '$.scripts.allow[0]', /package spec/],
  ['bad semver range', '{"scripts":{"allow":["esbuild@^^1"]}}', '$.scripts.allow[0]', /not a valid semver range/],
  ['empty range after @', '{"packages":{"deny":["lodash@"]}}', '$.packages.deny[0]', /semver range/],
  ['bad name in spec', '{"packages":{"deny":["Left Pad"]}}', '$.packages.deny[0]', /not a package name/],
  ['empty spec', '{"packages":{"trust":[""]}}', '$.packages.trust[0]', /package spec/],
  ['object spec without package', '{"scripts":{"allow":[{"reason":"x"}]}}', '$.scripts.allow[0].package', /"package" key/],
  ['object spec with bad range', '{"scripts":{"allow":[{"package":"sharp@x.y.z","reason":"r"}]}}', '$.scripts.allow[0].package', /semver range/],
  ['object spec unknown key', '{"scripts":{"allow":[{"package":"sharp","why":"r"}]}}', '$.scripts.allow[0].why', /known keys/],
  ['reason not a string', '{"scripts":{"allow":[{"package":"sharp","reason":1}]}}', '$.scripts.allow[0].reason', /a string/],
  ['bad unapproved value', '{"scripts":{"unapproved":"allow"}}', '$.scripts.unapproved', /"skip", "refuse", "run"/],
  ['bad typosquat action', '{"typosquat":{"action":"block"}}', '$.typosquat.action', /"refuse", "warn", "off"/],
  ['typosquat ignore not strings', '{"typosquat":{"ignore":[null]}}', '$.typosquat.ignore[0]', /a string/],
  ['bad sources.exotic', '{"sources":{"exotic":"allow"}}', '$.sources.exotic', /"refuse", "warn", "off"/],
  ['empty sources.allow glob', '{"sources":{"allow":[""]}}', '$.sources.allow[0]', /glob/],
  ['advisory feeds not array', '{"advisories":{"feeds":"osv"}}', '$.advisories.feeds', /an array/],
  ['bad advisory action', '{"advisories":{"action":"skip"}}', '$.advisories.action', /"refuse", "warn"/],
  ['bad duration unit', '{"releaseAge":{"minimum":"3 days"}}', '$.releaseAge.minimum', /duration/],
  ['duration as number', '{"releaseAge":{"minimum":3}}', '$.releaseAge.minimum', /a string/],
  ['exclude without minimum', '{"releaseAge":{"exclude":["@acme/*"]}}', '$.releaseAge.minimum', /duration/],
  ['huge string', JSON.stringify({ packages: { deny: ['a'.repeat(100_000)] } }), '$.packages.deny[0]', /at most 512 characters/],
];

describe('invalid policies fail closed', () => {
  it.each(BAD)('%s', (_kind, text, path, expected) => {
    const e = policyError(text);
    expect(e.file).toBe(FILE);
    expect(e.path).toBe(path);
    expect(e.message).toContain(FILE);
    expect(e.message).toContain(path);
    expect(e.expected).toMatch(expected);
  });

  it('cuts huge offending values in the message', () => {
    const e = policyError(JSON.stringify({ mode: 'x'.repeat(10_000) }));
    expect(e.message.length).toBeLessThan(600);
  });
});

describe('every package list matches names in any letter case', () => {
  it('packages.deny, packages.trust, scripts.allow, scripts.deny, releaseAge.exclude, typosquat.ignore', () => {
    const p = compilePolicy(parsePolicy(JSON.stringify({
      packages: { deny: ['Evil-Pkg'], trust: ['@ACME/*'] },
      scripts: { allow: ['ESBuild'], deny: ['Core-JS'] },
      releaseAge: { minimum: '3d', exclude: ['@Company/*'] },
      typosquat: { ignore: ['Cross_Env'] },
    }), '/p/lifeguard.json'));
    expect(p.packages.deny.find('evil-pkg', '1.0.0')).toBeDefined();
    expect(p.packages.deny.find('EVIL-PKG', '1.0.0')).toBeDefined();
    expect(p.packages.trust.find('@acme/x', '1.0.0')).toBeDefined();
    expect(p.scripts.allow.find('esbuild', '0.25.0')).toBeDefined();
    expect(p.scripts.deny.find('core-js', '3.0.0')).toBeDefined();
    expect(p.releaseAge!.exclude.find('@company/lib', '1.0.0')).toBeDefined();
    expect(p.typosquat.ignore.has('cross_env')).toBe(true);
  });
});
