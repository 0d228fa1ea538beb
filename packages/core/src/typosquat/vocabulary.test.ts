import { npmHighImpact } from 'npm-high-impact';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary';

/** Asks both ways: by searching the list's text, and from the full table. */
const both = (popular: readonly string[]) => ({
  search: new Vocabulary(popular, { searchesBeforeTable: Infinity }),
  table: new Vocabulary(popular, { searchesBeforeTable: 0 }),
});

describe('Vocabulary', () => {
  const tiny = ['lodash.get', 'lodash.set', 'lodash', '@babel/core', 'babel-core', 'babel-preset-env', 'Express', 'core-js', 'x-core-core', '-odd'];

  it('counts the parts of popular names that equal a word, and the unscoped names it starts', () => {
    const { search, table } = both(tiny);
    for (const v of [search, table]) {
      expect(v.wordCount('lodash')).toBe(3);
      expect(v.wordCount('core')).toBe(5); // @babel/core, babel-core, core-js, x-core-core twice
      expect(v.wordCount('babel')).toBe(3);
      expect(v.wordCount('express')).toBe(1); // lower-cased
      expect(v.wordCount('lodas')).toBe(0); // part of a word is no word
      expect(v.wordCount('')).toBe(0);
      expect(v.prefixCount('babel')).toBe(2); // not the scoped @babel/core
      expect(v.prefixCount('lodash')).toBe(2); // not `lodash` alone: one word
      expect(v.prefixCount('core')).toBe(1);
      expect(v.prefixCount('')).toBe(1); // `-odd`; scoped names do not start with an empty word
    }
  });

  it('gives the same answers searching and from the table, on the real popular list', () => {
    const { search, table } = both(npmHighImpact);
    const words = new Set<string>();
    for (let i = 0; i < npmHighImpact.length; i += 37) for (const w of npmHighImpact[i]!.toLowerCase().split(/[-_.@/]/)) words.add(w);
    for (const odd of ['', 're', 'js', 'a', 'zzzzqx', 'react\ndom', 'react-dom', 'types/node', '@types', '__proto__', 'constructor', 'x'.repeat(300)]) words.add(odd);
    expect(words.size).toBeGreaterThan(500);
    for (const w of words) {
      expect(search.wordCount(w), w).toBe(table.wordCount(w));
      expect(search.prefixCount(w), w).toBe(table.prefixCount(w));
    }
  });

  it('answers by searching first, then builds the table once questions keep coming', () => {
    const v = new Vocabulary(tiny, { searchesBeforeTable: 2 });
    expect([v.wordCount('lodash'), v.wordCount('core'), v.wordCount('lodash'), v.prefixCount('babel')]).toEqual([3, 5, 3, 2]);
  });
});
