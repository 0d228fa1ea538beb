import { readFileSync } from 'node:fs';
import { compileOsvRecord, OsvIndex, OsvRecordError, parsePackageSpec, type AffectedEntry } from '@lifeguard/core';
import { UsageError } from '../output';

/** Which releases an incident is about: a `name@range` given on the command line, or OSV advisories. */
export interface Affects {
  /** What the output calls the incident. */
  readonly label: string;
  /** Cheap pre-filter on a lockfile's text: false only when no affected name can be in it. */
  mayMention(text: string): boolean;
  /** Ids (advisory ids, or the range given) covering this release; empty when it is not affected. */
  match(name: string, version: string): string[];
}

/**
 * The text pre-filter: a lockfile that does not contain an affected name (case-folded, as npm folds
 * names) is skipped unparsed. Escapes could spell a name without its letters (`\u0061xios` in JSON, `\x61`
 * in YAML), so a lockfile with any backslash is always parsed.
 */
function mentions(names: readonly string[]): (text: string) => boolean {
  return (text) => {
    if (text.includes('\\')) return true;
    const lower = text.toLowerCase();
    return names.some((n) => lower.includes(n));
  };
}

/** `lifeguard incident <name>@<range>`: the name exactly (case-insensitive), the range as npm reads it. */
export function affectsRange(target: string): Affects {
  const spec = parsePackageSpec(target.toLowerCase());
  if ('expected' in spec) throw new UsageError(`${JSON.stringify(target)}: expected ${spec.expected}`);
  if (!spec.exactName) throw new UsageError(`${JSON.stringify(target)}: name the package exactly (no globs)`);
  return {
    label: target,
    mayMention: mentions([spec.name]),
    match: (name, version) => (spec.matches(name.toLowerCase(), version) ? [target] : []),
  };
}

/** `--advisory FILE`: every npm package of the OSV records in the files (a record or an array of them). */
export function affectsAdvisories(files: readonly string[]): Affects {
  const entries: AffectedEntry[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${file}: expected an OSV record in valid JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      for (const record of Array.isArray(json) ? json : [json]) entries.push(...compileOsvRecord(record, file));
    } catch (e) {
      if (e instanceof OsvRecordError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (entries.length === 0) throw new UsageError(`${files.join(', ')}: no npm package in the advisory (or it is withdrawn)`);
  const index = new OsvIndex(entries.map((e) => ({ ...e, name: e.name.toLowerCase() })));
  const ids = [...new Set(entries.map((e) => e.id))];
  return {
    label: ids.join(', '),
    mayMention: mentions([...new Set(entries.map((e) => e.name.toLowerCase()))]),
    match: (name, version) => index.match(name.toLowerCase(), version).map((m) => m.id),
  };
}
