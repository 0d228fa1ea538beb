import { describe, expect, it } from 'vitest';
import { chosenByProject, normalizeDir, overrideTarget, projectChoices } from './project-choices';

describe('project choices', () => {
  it('finds the package an override selector rewrites (pnpm, Yarn, npm forms)', () => {
    expect(['sharp', 'sharp@<1', 'p>sharp', 'p@1>sharp@^0.3', '**/sharp', 'p/sharp', 'sharp@npm:^0.3'].map(overrideTarget)).toEqual(Array(7).fill('sharp'));
    expect(['@s/a', '@s/p>@s/a@1', '@s/p/@s/a', '**/@s/a@npm:^1'].map(overrideTarget)).toEqual(Array(4).fill('@s/a'));
  });

  it('normalizes relative directories and keeps absolute or escaping ones as written', () => {
    expect(['./stubs/empty', 'stubs//empty/', 'a/../stubs/empty', '.', ''].map(normalizeDir)).toEqual(['stubs/empty', 'stubs/empty', 'stubs/empty', '.', '.']);
    expect(['../x', '/abs/x', 'C:\\x'].map(normalizeDir)).toEqual(['../x', '/abs/x', 'C:/x']);
  });

  it("names the dependencies an override set, compared like with like (link:./x is link:x)", () => {
    const choices = projectChoices({ overrides: { sharp: 'link:./stubs/empty', 'p>onnx': 'link:stubs/empty', lodash: '^4.17.21' } });
    expect(chosenByProject(choices, { sharp: 'link:stubs/empty', onnx: 'link:./stubs/empty', lodash: '4.17.21' })).toEqual(['sharp', 'onnx']);
    // Another path, another name, or a spec the override did not write: the publisher's choice.
    expect(chosenByProject(choices, { sharp: 'link:../elsewhere', other: 'link:stubs/empty', onnx: 'github:evil/onnx' })).toEqual([]);
  });

  it('reads npm nested overrides, "." included', () => {
    const choices = projectChoices({ overrides: { parent: { '.': 'file:./vendor/parent', child: 'link:./stubs/child' } } });
    expect(chosenByProject(choices, { parent: 'file:vendor/parent', child: 'link:stubs/child' })).toEqual(['parent', 'child']);
  });

  it("names links to the project's own package directories (a peer pnpm resolved to a workspace)", () => {
    const choices = projectChoices({ dirs: ['.', 'packages/vite', './packages/plugin/'] });
    expect(chosenByProject(choices, { vite: 'link:packages/vite', plugin: 'link:./packages/plugin', x: 'link:packages/other', y: 'file:../../etc' })).toEqual(['vite', 'plugin']);
  });

  it('is not fooled by prototype keys or non-objects', () => {
    const choices = projectChoices({ overrides: JSON.parse('{"__proto__":"link:x","constructor":{"toString":"link:y"}}') as unknown });
    expect(chosenByProject(choices, JSON.parse('{"__proto__":"link:x","toString":"link:y","hasOwnProperty":"link:z"}') as Record<string, string>)).toEqual(['__proto__', 'toString']);
    expect(projectChoices({ overrides: ['link:x'] }).overrides.size).toBe(0);
    expect(projectChoices({ overrides: 'link:x' }).overrides.size).toBe(0);
    let deep: Record<string, unknown> = { x: 'link:y' };
    for (let i = 0; i < 10_000; i++) deep = { p: deep };
    expect(() => projectChoices({ overrides: deep })).not.toThrow();
  });
});
