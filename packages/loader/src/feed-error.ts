/** A feed file or folder that cannot be used: names the file, what was expected and what was found. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    /** The file (or folder) at fault. */
    readonly file: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: expected ${expected}, found ${found}`);
  }
}
