import { describe, expect, it } from 'vitest';
import { buildsBindingGyp, installLifecycle, NODE_GYP } from './lifecycle';

describe('the implicit node-gyp build', () => {
  it('is off for "gypfile": false under npm and pnpm 11/12, on under pnpm 10 and Yarn 4 (measured)', () => {
    expect((['npm', 'pnpm', 'pnpm10', 'yarn'] as const).map((b) => buildsBindingGyp(b, false))).toEqual([false, false, true, true]);
    expect((['npm', 'pnpm', 'pnpm10', 'yarn'] as const).map((b) => buildsBindingGyp(b, undefined))).toEqual([true, true, true, true]);
    expect(buildsBindingGyp('npm', 'false')).toBe(true); // only the JSON boolean turns it off
  });

  it('is listed only when the package manager runs it (better-sqlite3 13: binding.gyp, "gypfile": false, no install script)', () => {
    const sqlite = { name: 'better-sqlite3', version: '13.2.0', scripts: { 'build-release': 'node-gyp rebuild --release' } };
    expect(installLifecycle({ ...sqlite, hasBindingGyp: buildsBindingGyp('npm', false) })).toEqual([]);
    expect(installLifecycle({ ...sqlite, hasBindingGyp: buildsBindingGyp('yarn', false) })).toEqual([NODE_GYP]);
  });
});
