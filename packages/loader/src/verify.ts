import { statSync } from 'node:fs';
import { compileFeedText } from './feed-compile';
import { FeedError } from './feed-error';
import { readRecord, walkFeed } from './feed-walk';

export interface FeedReport {
  readonly feed: string;
  readonly files: number;
  readonly records: number;
  /** Every file that would stop an install, each naming what is wrong with it. */
  readonly problems: readonly FeedError[];
}

/**
 * Reads every record of a feed (an OSV file or folder) and lists every malformed one, instead of
 * stopping at the first as an install does (an install fails closed on any of them). For feed
 * maintainers and for the team whose installs one bad record just stopped.
 */
export function verifyFeed(feed: string): FeedReport {
  let files: string[];
  try {
    files = statSync(feed).isDirectory() ? walkFeed(feed) : [feed];
  } catch (e) {
    return { feed, files: 0, records: 0, problems: [new FeedError(feed, 'a readable OSV file or folder', (e as NodeJS.ErrnoException).code ?? (e as Error).message)] };
  }
  const problems: FeedError[] = [];
  let records = 0;
  for (const file of files) {
    try {
      records += compileFeedText(file, readRecord(file).text).records;
    } catch (e) {
      problems.push(e instanceof FeedError ? e : new FeedError(file, 'a readable OSV record', (e as NodeJS.ErrnoException).code ?? (e as Error).message));
    }
  }
  return { feed, files: files.length, records, problems };
}
