/**
 * The words popular package names are made of. A one-edit near miss that only swaps one real word
 * for another (`tslint`/`eslint`, `lodash.get`/`lodash.set`) is a different package, not a typo, so
 * the typosquat check asks how many popular names use a word; and a scoped name flattened into an
 * unscoped one (`babel-core`) is no squat when many unscoped names share that prefix.
 *
 * Only near misses ask, a few words per install. Counting every word of every popular name costs
 * more than a cold process can spare (~10 ms), so the first questions are answered by searching
 * the list's text and the full table is built only once questions keep coming.
 */

import { WORD_SPLIT } from './normalize';

/** Characters that end a word in a package name (and `\n`, which ends a name in `text`). */
const ENDS = '\n-_.@/';
/** A word never holds these: asked about such a string, the table would say 0. */
const NOT_A_WORD = /[-_.@/\n]/;

export interface VocabularyOptions {
  /** Questions answered by searching before the table is built (0: build it on the first). */
  readonly searchesBeforeTable?: number;
}

export class Vocabulary {
  private text: string | undefined;
  private searches = 0;
  private readonly searchesBeforeTable: number;
  private words: Map<string, number> | undefined;
  private prefixes: Map<string, number> | undefined;

  constructor(
    private readonly popular: readonly string[],
    options: VocabularyOptions = {},
  ) {
    this.searchesBeforeTable = options.searchesBeforeTable ?? 64;
  }

  /** How many parts of popular names equal `word` (lower case, no separators). */
  wordCount(word: string): number {
    if (word === '' || NOT_A_WORD.test(word)) return 0;
    if (this.useTable()) return this.words!.get(word) ?? 0;
    const text = this.textOf();
    let count = 0;
    for (let at = text.indexOf(word, 1); at !== -1; at = text.indexOf(word, at + 1)) {
      if (ENDS.includes(text[at - 1]!) && ENDS.includes(text[at + word.length]!)) count++;
    }
    return count;
  }

  /** How many unscoped popular names have more than one word and start with `word`. */
  prefixCount(word: string): number {
    if (NOT_A_WORD.test(word)) return 0;
    if (this.useTable()) return this.prefixes!.get(word) ?? 0;
    const text = this.textOf();
    const start = `\n${word}`;
    let count = 0;
    for (let at = text.indexOf(start); at !== -1; at = text.indexOf(start, at + 1)) {
      const next = text[at + start.length]!;
      // A name starting with `@` is scoped; `@` after a non-empty first word is a separator.
      if (next !== '\n' && ENDS.includes(next) && (word !== '' || next !== '@')) count++;
    }
    return count;
  }

  private textOf(): string {
    this.text ??= `\n${this.popular.join('\n').toLowerCase()}\n`;
    return this.text;
  }

  private useTable(): boolean {
    if (this.words) return true;
    if (this.searches++ < this.searchesBeforeTable) return false;
    this.buildTable();
    return true;
  }

  /** Counts every word now (for predictable latency, and once questions keep coming). */
  buildTable(): void {
    if (this.words) return;
    const words = new Map<string, number>();
    const prefixes = new Map<string, number>();
    for (const raw of this.popular) {
      const parts = raw.toLowerCase().split(WORD_SPLIT);
      for (const w of parts) if (w !== '') words.set(w, (words.get(w) ?? 0) + 1);
      if (raw[0] !== '@' && parts.length > 1) prefixes.set(parts[0]!, (prefixes.get(parts[0]!) ?? 0) + 1);
    }
    this.words = words;
    this.prefixes = prefixes;
    this.text = undefined;
  }
}
