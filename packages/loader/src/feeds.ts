import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { OsvIndex, PolicyError, type AdvisoryIndex } from '@lifeguard/core';
import { loadFeedIndex, type FeedLoadOptions } from './feed-cache';
import { compileFeedText } from './feed-compile';
import { FeedError } from './feed-error';
import { danglingLink } from './feed-walk';
import { FEED_FILE_MAX_BYTES, readRegularFile, UnsafeFileError } from './safe-read';

/** Reads one OSV file (a record or an array of records) into an index. */
function loadFeedFile(file: string): OsvIndex {
  let text: string;
  try {
    text = readRegularFile(file, FEED_FILE_MAX_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof UnsafeFileError) throw new FeedError(file, e.expected, e.found);
    throw e;
  }
  return new OsvIndex(compileFeedText(file, text).entries);
}

/**
 * Reads one `advisories.feeds` entry (a file or a folder of OSV records, e.g. a clone of
 * ossf/malicious-packages' `osv/malicious/npm`). Folders go through a compiled, cached index (see
 * feed-cache.ts). An unreadable feed or a malformed record is a policy error naming the policy file,
 * `$.advisories.feeds[i]` and the record file: a feed that silently loads nothing protects nothing.
 */
export function loadFeed(policyFile: string, index: number, feed: string, baseDir: string, options: FeedLoadOptions = {}): AdvisoryIndex {
  const at = `$.advisories.feeds[${index}]`;
  // "" would resolve to the policy's own folder (and walk node_modules)
  if (feed.trim() === '') throw new PolicyError(policyFile, at, 'a path to an OSV file or folder', 'an empty string');
  const path = resolve(baseDir, feed);
  try {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      throw new FeedError(path, 'a readable OSV file or folder', danglingLink(path) ?? (e as NodeJS.ErrnoException).code ?? 'unreadable');
    }
    return isDir ? loadFeedIndex(path, options).index : loadFeedFile(path);
  } catch (e) {
    if (e instanceof FeedError) {
      const what = e.expected === 'a readable OSV file or folder' || e.expected === 'a readable OSV folder' ? e.expected : `${e.expected} in every feed file`;
      throw new PolicyError(policyFile, at, what, `${e.file}: ${e.found}`);
    }
    throw e;
  }
}

export { loadFeedIndex, feedCacheFiles, type FeedLoadOptions, type FeedLoadResult } from './feed-cache';
export { FeedError } from './feed-error';
export { gitHead } from './feed-fingerprint';
export { CompiledFeedIndex } from './feed-table';
