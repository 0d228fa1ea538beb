import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyReference, toJsonSchema } from './schema';

describe('lifeguard.schema.json', () => {
  it('is the file generated from the definition the validator uses', () => {
    const shipped = JSON.parse(readFileSync(join(__dirname, '../../lifeguard.schema.json'), 'utf8'));
    expect(shipped).toEqual(toJsonSchema());
  });
});

describe('README policy reference', () => {
  it('is the table generated from the schema definition', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const m = /<!-- policy-reference:start -->\n([\s\S]*?)\n<!-- policy-reference:end -->/.exec(readme);
    expect(m?.[1]).toBe(policyReference());
  });
});
