import { describe, expect, it } from 'vitest';
import { dlxPackages } from './dlx';

describe('dlxPackages', () => {
  it('is the command, or the --package values, without versions', () => {
    expect([...dlxPackages(['dlx', '@acme/tool@1.2.0', '--flag'])]).toEqual(['@acme/tool']);
    expect([...dlxPackages(['--silent', 'dlx', '--package=cowsay@1', '-p', '@s/x', 'cowsay', 'hi'])]).toEqual(['cowsay', '@s/x']);
    expect([...dlxPackages(['install'])]).toEqual([]);
  });
});
