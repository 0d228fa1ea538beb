import { describe, expect, it } from 'vitest';
import { classifySpec, classifyYarnReference, declaredSpec, patchedRange, yarnBinding } from './source-kind';

describe('classifySpec', () => {
  it.each([
    ['^1.0.0', 'registry'],
    ['npm:string-width@^4.2.0', 'registry'],
    ['npm:x@https://h/x.tgz', 'tarball'],
    ['workspace:*', 'workspace'],
    ['github:a/b', 'git'],
    ['a/b#main', 'git'],
    ['git+ssh://git@github.com/a/b.git', 'git'],
    ['https://h/x.tgz', 'tarball'],
    ['https://h/x.git', 'git'],
    // A repository page is cloned (npm's hosted-git-info, Yarn classic): @electron/rebuild 3.7 depends on one.
    ['https://github.com/electron/node-gyp#06b29aafb7708acef8b3669835c8a7857ebc92d2', 'git'],
    ['https://gitlab.com/a/b', 'git'],
    ['https://github.com/a/b/archive/v1.tar.gz', 'tarball'],
    ['https://codeload.github.com/a/b/tar.gz/0123abc', 'tarball'],
    ['file:../x', 'file'],
    ['link:../x', 'link'],
    ['exec:./gen.js', 'exec'],
    ['patch:x@npm%3A1.0.0#./evil.patch', 'patch'],
    ['patch:x@npm%3A1.0.0#./evil.patch::locator=evil%40npm%3A1.0.0', 'patch'],
    ['patch:x@npm%3A1.0.0#./fix.patch::locator=app%40workspace%3A.', 'registry'],
    ['patch:x@npm%3A1.0.0#~/.yarn/patches/x-npm-1.0.0-abc.patch', 'registry'],
    ['patch:typescript@npm%3A^5#optional!builtin<compat/typescript>', 'registry'],
    ['patch:fsevents@npm%3A2.3.2#~builtin<compat/fsevents>', 'registry'],
    ['patch:x@github%3Aa/b#~/p.patch', 'git'],
  ])('%s is %s', (spec, kind) => {
    expect(classifySpec(spec)).toBe(kind);
  });
});

describe('classifyYarnReference / patchedRange', () => {
  it('classifies Yarn locator references', () => {
    expect(classifyYarnReference('npm:1.0.0')).toBe('registry');
    expect(classifyYarnReference('workspace:.')).toBe('workspace');
    expect(classifyYarnReference('https://example.com/x-1.0.0.tgz')).toBe('tarball');
    expect(classifyYarnReference('https://github.com/a/b.git#commit=abc')).toBe('git');
    expect(classifyYarnReference('file:../x.tgz::locator=p%40workspace%3A.')).toBe('file');
    expect(classifyYarnReference('link:../x::locator=p%40workspace%3A.')).toBe('link');
    expect(classifyYarnReference('portal:../x::locator=p%40workspace%3A.')).toBe('link');
  });
  it('judges a patch by who wrote it: the project\'s and Yarn\'s by what they patch, a published package\'s as a patch', () => {
    expect(patchedRange('patch:@s/p@npm%3A1.0.0#./p.patch::version=1.0.0&hash=abc')).toBe('npm:1.0.0');
    expect(classifyYarnReference('patch:@s/p@npm%3A1.0.0#./p.patch::version=1.0.0&hash=abc&locator=app%40workspace%3A.')).toBe('registry');
    expect(classifyYarnReference('patch:@s/p@npm%3A1.0.0#~/.yarn/patches/p.patch::version=1.0.0&hash=abc')).toBe('registry');
    expect(classifyYarnReference('patch:typescript@npm%3A5.0.0#optional!builtin<compat/typescript>::version=5.0.0&hash=7')).toBe('registry');
    expect(classifyYarnReference('patch:x@https%3A//h/x.tgz#~/p.patch')).toBe('tarball');
    expect(classifyYarnReference('patch:@s/p@npm%3A1.0.0#./evil.patch::version=1.0.0&hash=a9&locator=%40s%2Fpatcher%40npm%3A1.0.0')).toBe('patch');
    // No binding and a path relative to some package: nobody vouches for it.
    expect(classifyYarnReference('patch:@s/p@npm%3A1.0.0#./p.patch::version=1.0.0&hash=abc')).toBe('patch');
    expect(classifyYarnReference('exec:./gen.js::locator=app%40workspace%3A.')).toBe('exec');
    expect(declaredSpec('patch:x@npm%3A1.0.0#./e.patch::locator=p%40npm%3A1.0.0')).toBe('patch:x@npm%3A1.0.0#./e.patch');
    expect(declaredSpec('^1.0.0')).toBe('^1.0.0');
    expect(patchedRange('npm:1.0.0')).toBeUndefined();
  });
});


describe('yarnBinding', () => {
  it('names the locator a path reference is bound to', () => {
    expect(yarnBinding('link:./stubs::locator=app%40workspace%3A.')).toBe('app@workspace:.');
    expect(yarnBinding('file:./x#./x::hash=abc&locator=pub%40npm%3A1.0.0')).toBe('pub@npm:1.0.0');
    expect(yarnBinding('npm:1.0.0')).toBeUndefined();
    expect(yarnBinding('link:./x::locator=%E0%A4%A')).toBeUndefined();
  });
});
