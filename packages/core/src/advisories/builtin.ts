import { compileOsvRecord, OsvIndex } from './osv';

/**
 * Well-known malicious releases, refused even with no policy file. Each entry cites its
 * public advisory. Compiled once per process.
 */
const RECORDS: readonly unknown[] = [];

let cached: OsvIndex | undefined;
export function builtinAdvisories(): OsvIndex {
  cached ??= new OsvIndex(RECORDS.flatMap((r) => compileOsvRecord(r, 'built-in')));
  return cached;
}
