import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registrySources } from './registries';

describe('registrySources (the config texts Bun takes registries from)', () => {
  it('reads bunfig.toml and .npmrc, and a FIFO planted as .npmrc reads as empty at once instead of hanging the scanner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-bun-reg-'));
    writeFileSync(join(dir, 'bunfig.toml'), '[install]\nregistry = "https://r.test/"\n');
    execFileSync('mkfifo', [join(dir, '.npmrc')]);
    const started = Date.now();
    const sources = registrySources(dir, { HOME: dir });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sources.bunfig[0]).toContain('https://r.test/');
    expect(sources.npmrc).toEqual(['', '']);
  });
});
