/**
 * The README and docs/ send readers only to files that are in the repository: a link to a design
 * note that lives outside it (or a file that was renamed) is a dead end for a user.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docs = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Relative targets of Markdown links `[text](target)`, without anchors. */
function relativeLinks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    out.push(target);
  }
  return out;
}

describe('documentation links', () => {
  it.each(docs)('%s links only to files in the repository', (file) => {
    const text = readFileSync(join(REPO, file), 'utf8');
    const missing = relativeLinks(text).filter((t) => !existsSync(resolve(REPO, dirname(file), t)));
    expect(missing).toEqual([]);
  });

  it.each(docs)('%s does not send readers to design notes outside the repository', (file) => {
    const text = readFileSync(join(REPO, file), 'utf8');
    expect(text).not.toMatch(/\b(DESIGN|PLATFORM|TYPOSQUAT-DATA)\.md\b/);
  });
});
