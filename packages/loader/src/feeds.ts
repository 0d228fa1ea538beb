import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileOsvRecord, OsvIndex, OsvRecordError, PolicyError, type AdvisoryIndex } from '@lifeguard/core';

/** Every `.json` file under a folder (an OSV database clone), sorted for stable results. */
function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Reads one `advisories.feeds` entry (a file or a folder of OSV records). An unreadable feed
 * or a malformed record is a policy error: a feed that silently loads nothing protects nothing.
 */
export function loadFeed(policyFile: string, index: number, feed: string, baseDir: string): AdvisoryIndex {
  const path = resolve(baseDir, feed);
  const at = `$.advisories.feeds[${index}]`;
  let files: string[];
  try {
    files = statSync(path).isDirectory() ? jsonFiles(path) : [path];
  } catch (e) {
    throw new PolicyError(policyFile, at, 'a readable OSV file or folder', `${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const idx = new OsvIndex();
  for (const file of files) {
    let record: unknown;
    try {
      record = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new PolicyError(policyFile, at, 'OSV records in valid JSON', `${file}: ${(e as Error).message}`);
    }
    const records = Array.isArray(record) ? record : [record];
    try {
      for (const r of records) for (const entry of compileOsvRecord(r, file)) idx.add(entry);
    } catch (e) {
      if (e instanceof OsvRecordError) throw new PolicyError(policyFile, at, 'OSV records', e.message);
      throw e;
    }
  }
  return idx;
}
