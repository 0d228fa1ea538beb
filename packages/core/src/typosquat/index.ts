import { npmHighImpact } from 'npm-high-impact';
import type { TyposquatIndex, TyposquatMatch } from './types';

/**
 * Initial detector: distance-1 edits of the top names for longer names.
 */
export function createTyposquatIndex(popular: readonly string[]): TyposquatIndex {
  const known = new Set(popular);
  const targets = new Map<string, string>();
  popular.slice(0, 3000).forEach((name) => {
    if (name.length < 5) return;
    for (let i = 0; i < name.length; i++) {
      const del = name.slice(0, i) + name.slice(i + 1);
      if (!targets.has(del)) targets.set(del, name);
    }
  });
  return {
    isKnown: (name) => known.has(name),
    check(name): TyposquatMatch | undefined {
      if (known.has(name)) return undefined;
      const imitates = targets.get(name);
      if (imitates === undefined) return undefined;
      return { imitates, technique: 'omission', reason: `"${name}" is "${imitates}" with one character dropped` };
    },
  };
}

let cached: TyposquatIndex | undefined;
/** The index over npm-high-impact's popular names, built once per process. */
export function defaultTyposquatIndex(): TyposquatIndex {
  cached ??= createTyposquatIndex(npmHighImpact);
  return cached;
}
