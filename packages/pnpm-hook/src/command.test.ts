import { describe, expect, it } from 'vitest';
import { commandOf } from './command';

describe('commandOf', () => {
  it('skips options and the values of options that take one', () => {
    expect(commandOf(['install'])).toBe('install');
    expect(commandOf(['-C', 'install', 'ls'])).toBe('ls'); // a folder named "install"
    expect(commandOf(['--filter', 'web', '--offline', 'i'])).toBe('i');
    expect(commandOf(['--dir=app', 'add', 'x'])).toBe('add');
    expect(commandOf(['--version'])).toBeUndefined();
    expect(commandOf([])).toBeUndefined();
  });
});
