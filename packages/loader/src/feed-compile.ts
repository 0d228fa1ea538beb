import { compileOsvRecord, findDuplicateKey, OsvRecordError, type AffectedEntry } from '@lifeguard/core';
import { FeedError } from './feed-error';
import { DeepHasher, type DeepFingerprint } from './feed-fingerprint';
import { encode, serialize, type Encoded } from './feed-table';
import { readRecord } from './feed-walk';

/**
 * The entries of one feed file (an OSV record, or an array of them). Throws FeedError naming the
 * file and what is wrong with it.
 */
export function compileFeedText(file: string, text: string): { records: number; entries: AffectedEntry[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new FeedError(file, 'an OSV record in valid JSON', (e as Error).message);
  }
  let dup;
  try {
    dup = findDuplicateKey(text, parsed);
  } catch {
    throw new FeedError(file, 'an OSV record in valid JSON', 'nesting too deep to check');
  }
  // `"withdrawn"` or `"affected"` written twice: the last silently wins, and a record can unlist itself.
  if (dup) throw new FeedError(file, 'an OSV record with each key once per object', `${JSON.stringify(dup.key)} a second time at ${dup.path}`);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const entries: AffectedEntry[] = [];
  for (const r of list) {
    try {
      entries.push(...compileOsvRecord(r, file));
    } catch (e) {
      if (e instanceof OsvRecordError) throw new FeedError(file, 'an OSV record', e.message.slice(file.length + 2));
      throw e;
    }
  }
  return { records: list.length, entries };
}

export interface Built {
  readonly bodyText: string;
  readonly names: number;
  readonly records: number;
  readonly deep: DeepFingerprint;
  readonly files: number;
}

/** Compiles records one by one (in sorted path order) into the body. */
class Compiler {
  private readonly byName = new Map<string, Encoded[]>();
  private readonly deep = new DeepHasher();
  private records = 0;
  private files = 0;

  add(file: string, text: string, size: number, mtimeMs: number): void {
    this.files++;
    this.deep.add(file, size, mtimeMs);
    const { records, entries } = compileFeedText(file, text);
    this.records += records;
    for (const entry of entries) {
      const list = this.byName.get(entry.name);
      if (list) list.push(encode(entry));
      else this.byName.set(entry.name, [encode(entry)]);
    }
  }

  done(): Built {
    const { text, names } = serialize(this.byName);
    return { bodyText: text, names, records: this.records, deep: this.deep.done(), files: this.files };
  }
}

/** Reads and compiles the records one at a time, in walk order. */
export function buildSerial(files: string[]): Built {
  const c = new Compiler();
  for (const file of files) {
    let read: { text: string; size: number; mtimeMs: number };
    try {
      read = readRecord(file);
    } catch (e) {
      if (e instanceof FeedError) throw e;
      throw new FeedError(file, 'a readable OSV record', (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    c.add(file, read.text, read.size, read.mtimeMs);
  }
  return c.done();
}
