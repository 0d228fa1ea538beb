/**
 * The fuzz properties of properties.ts with a CI-sized budget (bench/fuzz.mjs runs 1,000,000).
 * A failure prints fast-check's shrunk counterexample and the seed to replay it.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { properties } from './properties';

const CI_RUNS = 4_000;

describe('fuzz: hostile manifests, lockfile entries and policies', () => {
  for (const p of properties) {
    it(p.name, { timeout: 120_000 }, () => {
      fc.assert(p.property as fc.IProperty<unknown[]>, { numRuns: Math.round(CI_RUNS * p.share) });
    });
  }
});
