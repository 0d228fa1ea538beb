import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactsCache } from './cache';

const facts = { scripts: { postinstall: 'x' }, hasBindingGyp: false, dependencies: { a: '^1.0.0' } };

describe('FactsCache', () => {
  it('round-trips through an atomic write and keeps only the keys in use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cache-'));
    const file = join(dir, '.yarn', 'lifeguard-cache.json');
    const c = new FactsCache(file);
    c.set('k1', facts);
    c.set('k2', facts);
    c.save(new Set(['k1']));
    expect(readdirSync(join(dir, '.yarn'))).toEqual(['lifeguard-cache.json']);
    const again = new FactsCache(file);
    expect(again.get('k1')).toEqual(facts);
    expect(again.get('k2')).toBeUndefined();
  });

  it('ignores a corrupt, foreign or old-format file, and bad entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cache-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, '{"format": 2, "entries": {"k1": ');
    expect(new FactsCache(file).get('k1')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ format: 1, entries: { k1: facts } }));
    expect(new FactsCache(file).get('k1')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ format: 2, entries: { k1: { ...facts, scripts: { postinstall: 3 } }, k2: facts, k3: { ...facts, verdict: { key: 1 } } } }));
    const c = new FactsCache(file);
    expect(c.get('k1')).toBeUndefined();
    expect(c.get('k2')).toEqual(facts);
    expect(c.get('k3')).toBeUndefined();
    expect(c.get('__proto__')).toBeUndefined();
  });

  it('does not rewrite an unchanged cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cache-'));
    const file = join(dir, 'c.json');
    const c = new FactsCache(file);
    c.set('k', facts);
    c.save();
    writeFileSync(file, readFileSync(file, 'utf8').replace('"format":2', '"format":2 '));
    const d = new FactsCache(file);
    d.save(new Set(['k']));
    expect(readFileSync(file, 'utf8')).toContain('"format":2 ');
  });
});
