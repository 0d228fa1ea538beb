import { builtinAdvisories } from '../advisories/builtin';
import { mergeIndexes } from '../advisories/osv';
import type { AdvisoryIndex } from '../advisories/types';
import { describe, PolicyError } from './errors';
import { durationToMinutes } from './duration';
import { findDuplicateKey } from './duplicate-keys';
import type { Policy } from './policy';
import { isSpecProblem, NameSet, parsePackageSpec, parseSourceGlob, SpecList, type PackageSpec } from './spec';
import { validateShape } from './validate';

export const DEFAULT_POLICY_FILE = '(built-in default policy)';

/**
 * lifeguard.json as written, after shape validation. Feeds are read by the caller
 * (core does no I/O) and handed to `compilePolicy`.
 */
export interface PolicyDocument {
  readonly file: string;
  readonly json: Record<string, unknown>;
}

/** Decodes and parses the policy file's bytes; every failure names the file. */
export function parsePolicy(content: Uint8Array | string, file: string): PolicyDocument {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      throw new PolicyError(file, '$', 'UTF-8 encoded JSON', 'bytes that are not valid UTF-8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new PolicyError(file, '$', 'a JSON object (use {} for the defaults)', 'an empty file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyError(file, '$', 'valid JSON', `a syntax error (${(e as Error).message})`);
  }
  let dup;
  try {
    dup = findDuplicateKey(text, json);
  } catch {
    throw new PolicyError(file, '$', 'JSON nested no deeper than a policy needs', 'nesting too deep to check');
  }
  // A second "deny" would silently replace the first: the team's list gone without a word.
  if (dup) throw new PolicyError(file, dup.path, 'each key once per object (JSON.parse would silently keep the last)', `${JSON.stringify(dup.key)} a second time`);
  validateShape(json, file);
  return { file, json: json as Record<string, unknown> };
}

type Obj = Record<string, unknown>;
const section = (json: Obj, key: string): Obj => (json[key] as Obj | undefined) ?? {};

function specList(file: string, path: string, value: unknown): SpecList {
  const items = (value as unknown[] | undefined) ?? [];
  const specs: PackageSpec[] = items.map((item, i) => {
    const raw = typeof item === 'string' ? item : ((item as Obj).package as string);
    const reason = typeof item === 'string' ? undefined : ((item as Obj).reason as string | undefined);
    const at = typeof item === 'string' ? `${path}[${i}]` : `${path}[${i}].package`;
    const parsed = parsePackageSpec(raw, reason);
    if (isSpecProblem(parsed)) throw new PolicyError(file, at, parsed.expected, describe(raw));
    const source = typeof item === 'string' ? undefined : (item as Obj).source;
    if (typeof source !== 'string') return parsed;
    const glob = parseSourceGlob(source);
    if (!glob) throw new PolicyError(file, `${path}[${i}].source`, 'a glob over the build\'s locator reference or lockfile key, e.g. "patch:esbuild@npm%3A0.25.0#./fix.patch::*"', describe(source));
    return { ...parsed, source: glob };
  });
  return new SpecList(specs);
}

export interface CompileOptions {
  /** Indexes of the feeds named in `advisories.feeds`, already read by the caller. */
  readonly feeds?: readonly AdvisoryIndex[];
}

/** Turns a validated document into a Policy; bad globs and ranges are errors, never non-matches. */
export function compilePolicy(doc: PolicyDocument, options: CompileOptions = {}): Policy {
  const { file, json } = doc;
  const scripts = section(json, 'scripts');
  const packages = section(json, 'packages');
  const typosquat = section(json, 'typosquat');
  const sources = section(json, 'sources');
  const advisories = section(json, 'advisories');
  const releaseAge = json.releaseAge as Obj | undefined;

  const sourceAllow = ((sources.allow as string[] | undefined) ?? []).map((raw, i) => {
    const glob = parseSourceGlob(raw);
    if (!glob) throw new PolicyError(file, `$.sources.allow[${i}]`, 'a glob over dependency specs, e.g. "github:acme/*"', describe(raw));
    return glob;
  });
  if (releaseAge && releaseAge.minimum === undefined && releaseAge.exclude !== undefined) {
    throw new PolicyError(file, '$.releaseAge.minimum', 'a duration such as "3d" when releaseAge.exclude is given', 'no minimum');
  }

  return {
    file,
    isDefault: file === DEFAULT_POLICY_FILE,
    mode: (json.mode as Policy['mode'] | undefined) ?? 'enforce',
    scripts: {
      unapproved: (scripts.unapproved as Policy['scripts']['unapproved'] | undefined) ?? 'skip',
      allow: specList(file, '$.scripts.allow', scripts.allow),
      deny: specList(file, '$.scripts.deny', scripts.deny),
    },
    packages: {
      deny: specList(file, '$.packages.deny', packages.deny),
      trust: specList(file, '$.packages.trust', packages.trust),
    },
    typosquat: {
      action: (typosquat.action as Policy['typosquat']['action'] | undefined) ?? 'refuse',
      ignore: new NameSet((typosquat.ignore as string[] | undefined) ?? []),
    },
    sources: { exotic: (sources.exotic as Policy['sources']['exotic'] | undefined) ?? 'refuse', allow: sourceAllow },
    advisories: {
      action: (advisories.action as Policy['advisories']['action'] | undefined) ?? 'refuse',
      feeds: (advisories.feeds as string[] | undefined) ?? [],
      index: mergeIndexes([builtinAdvisories(), ...(options.feeds ?? [])]),
    },
    releaseAge:
      releaseAge?.minimum === undefined
        ? undefined
        : {
            minutes: durationToMinutes(releaseAge.minimum as string),
            exclude: specList(file, '$.releaseAge.exclude', releaseAge.exclude),
          },
  };
}

/** The policy that applies when a project has no lifeguard.json. */
export function defaultPolicy(): Policy {
  return compilePolicy({ file: DEFAULT_POLICY_FILE, json: {} });
}
