import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJsonSchema } from './schema';

describe('lifeguard.schema.json', () => {
  it('is the file generated from the definition the validator uses', () => {
    const shipped = JSON.parse(readFileSync(join(__dirname, '../../lifeguard.schema.json'), 'utf8'));
    expect(shipped).toEqual(toJsonSchema());
  });
});
