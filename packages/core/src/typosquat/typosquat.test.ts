import { npmHighImpact } from 'npm-high-impact';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { defaultPolicy } from '../policy/compile';
import { DeletionIndex, osaDistance } from './deletions';
import { createTyposquatIndex, defaultTyposquatIndex } from './index';
import { affixStripped, sepless, skeleton } from './normalize';
import { syntheticSquats, TRICKS } from './synthetic';

const idx = defaultTyposquatIndex();
const verdict = (name: string) => idx.check(name);

describe('typosquat detector (npm-high-impact)', () => {
  it.each([
    ['crossenv', 'cross-env', 'separator'],
    ['cross_env', 'cross-env', 'separator'],
    ['cross.env', 'cross-env', 'separator'],
    ['node-pdfmake', 'pdfmake', 'affix'],
    ['ethersjs', 'ethers', 'affix'],
    ['ethers.js', 'ethers', 'affix'],
    ['remark-stringify10', 'remark-stringify', 'affix'],
    ['@typess/node', '@types/node', 'repetition'],
    ['@tpyes/node', '@types/node', 'swap'],
    ['@typed/node', '@types/node', 'substitution'], // a real word, but as a look-alike scope
    ['from-data', 'form-data', 'swap'], // a real word, but by a swap
    ['fork-s-checker-webpack-plugin', 'fork-ts-checker-webpack-plugin', 'omission'], // "s" is no word
    ['@acitons/artifact', '@actions/artifact', 'swap'],
    ['@hestjs/cqrs', '@nestjs/cqrs', 'substitution'],
    ['tailwindcss-forms', '@tailwindcss/forms', 'scope'],
    ['types-lodash.es', '@types/lodash-es', 'scope'],
    ['ethersproject-wallet', '@ethersproject/wallet', 'scope'],
    ['@cross/env', 'cross-env', 'scope'],
    ['rnocha', 'mocha', 'homoglyph'],
    ['l0dash', 'lodash', 'homoglyph'],
    ['1odash', 'lodash', 'homoglyph'],
    ['lod\u0430sh', 'lodash', 'homoglyph'], // Cyrillic а
    ['cr0ssenv', 'cross-env', 'homoglyph'], // look-alike and separator game together
    ['expres', 'express', 'omission'],
    ['lodassh', 'lodash', 'repetition'],
    ['loadsh', 'lodash', 'swap'],
    ['expressos', 'expresso', 'insertion'],
    ['eth-rpceerrors', 'eth-rpc-errors', 'separator'],
    ['ui-2', 'uid2', 'separator'],
    ['webpakc', 'webpack', 'swap'],
    ['reacr-dom', 'react-dom', 'substitution'],
    ['pergel', 'merge2', 'edit-distance'],
  ])('%s imitates %s (%s)', (name, imitates, technique) => {
    const m = verdict(name);
    expect(m).toMatchObject({ imitates, technique });
    expect(m!.reason).toContain(JSON.stringify(imitates));
    expect(m!.rank).toBe(npmHighImpact.indexOf(imitates) + 1);
  });

  it('catches 29 of 30 historic squats whose target is in the list (2017 crossenv campaign and later)', () => {
    // Public incident names; `sqliter` (an extra letter on `sqlite`, rank 15,326, 6 letters) is
    // the one this tiering lets through.
    const historic = [
      'crossenv', 'cross-env.js', 'd3.js', 'fabric-js', 'gruntcli', 'http-proxy.js', 'jquery.js', 'mongose', 'mssql.js', 'mssql-node',
      'mysqljs', 'node-fabric', 'node-sqlite', 'nodefabric', 'nodemailer-js', 'nodemailer.js', 'nodemssql', 'noderequest', 'nodesass',
      'nodesqlite', 'proxy.js', 'sqlite.js', 'sqliter', 'discordi.js', 'electorn', 'babelcli', 'jquerry', 'twilio-npm', 'typescriptjs', 'lodashs',
    ];
    const missed = historic.filter((n) => !verdict(n));
    expect(missed).toEqual(['sqliter']);
  });

  it('never flags a popular name, whatever it resembles', () => {
    for (const name of ['@antv/g2', '@types/ws', '@types/ms', 'arg', 'argv', 'asynckit', 'synckit', 'ms', 'qs', 'eventemitter3', 'eventemitter2']) {
      expect(idx.isKnown(name)).toBe(true);
      expect(verdict(name)).toBeUndefined();
    }
  });

  it('spares the legit near-neighbours DESIGN.md names (0http, 7zip-min, @antv/s2)', () => {
    for (const name of ['0http', '7zip-min', '@antv/s2']) expect(verdict(name)).toBeUndefined();
  });

  it('never flags a name under a scope that publishes a popular package (one publisher per scope)', () => {
    expect(verdict('@antv/s2')).toBeUndefined();
    expect(verdict('@types/lodahs')).toBeUndefined();
    expect(verdict('@babel/core2')).toBeUndefined();
  });

  it('spares short names unless the trick is exact', () => {
    for (const name of ['qz', 'mx', 'nyx', 'deb', 'pug2', 'rxs']) expect(verdict(name)).toBeUndefined();
  });

  it('counts a non-neighbouring letter only against the top 3,000 names of 6+ characters', () => {
    expect(verdict('axion')).toBeUndefined(); // axios is too short for a deliberate letter pick
    expect(verdict('expresq')).toMatchObject({ imitates: 'express', technique: 'substitution' }); // rank 262
    expect(verdict('eth-rpc-errorq')).toBeUndefined(); // rank 9,576, q is far from s
    expect(verdict('eth-rpc-errora')).toMatchObject({ imitates: 'eth-rpc-errors' }); // a is next to s
  });

  it('spares names whose changed word is another word popular packages use', () => {
    // `tslint-plugin-x` style: a different tool's name, not a typo.
    expect(verdict('csv-parser')).toBeUndefined();
    expect(verdict('lodash.set')).toBeUndefined();
  });

  it('spares legacy names with capital letters (npm refuses new ones)', () => {
    expect(verdict('Lodash')).toBeUndefined();
    expect(verdict('CrossEnv')).toBeUndefined();
  });

  it('spares a flattened scope when many popular names already share that prefix (babel-*, rollup-*)', () => {
    expect(verdict('babel-plugin-transform-typescript')).toBeUndefined();
  });

  it('drives the LIFEGUARD_TYPOSQUAT finding', () => {
    const v = evaluate(defaultPolicy(), { name: 'crossenv', version: '1.0.0' });
    expect(v.decision).toBe('refuse');
    const f = v.findings.find((x) => x.code === 'LIFEGUARD_TYPOSQUAT')!;
    expect(f.message).toContain('"cross-env"');
    expect(f.message).toContain('separators');
    expect(f.details).toMatchObject({ imitates: 'cross-env', technique: 'separator' });
  });
});

describe('createTyposquatIndex on a custom list', () => {
  const popular = ['react', 'lodash', 'express', 'chalk', 'commander', '@acme/widgets'];
  it('uses the given list and extra known names', () => {
    const own = createTyposquatIndex(popular, { knownLegit: ['lodash-fork-ok'] });
    expect(own.check('lodahs')).toMatchObject({ imitates: 'lodash', technique: 'swap' });
    expect(own.check('acme-widgets')).toMatchObject({ imitates: '@acme/widgets', technique: 'scope' });
    expect(own.isKnown('lodash-fork-ok')).toBe(true);
    expect(own.check('webpack')).toBeUndefined();
  });
  it('honours tuning overrides', () => {
    const strict = createTyposquatIndex(popular, { tuning: { swapOrRepeat: [] , edit1: [] } });
    expect(strict.check('lodahs')).toBeUndefined();
  });
  it('checkAsUnknown answers for a known name as if it were not', () => {
    const own = createTyposquatIndex([...popular, 'lodahs']);
    expect(own.check('lodahs')).toBeUndefined();
    expect(own.checkAsUnknown('lodahs')).toMatchObject({ imitates: 'lodash' });
  });
});

describe('lazy building', () => {
  it('gives the same verdicts whatever order names are checked in, and after buildAll', () => {
    const names = ['crossenv', 'expres', 'loadsh', '@typess/node', 'node-pdfmake', 'rnocha', 'pergel', 'some-unknown-package', 'ui-2', 'lodash'];
    const a = createTyposquatIndex(npmHighImpact);
    const b = createTyposquatIndex(npmHighImpact);
    const c = createTyposquatIndex(npmHighImpact);
    c.buildAll();
    const forward = names.map((n) => a.check(n));
    const backward = [...names].reverse().map((n) => b.check(n)).reverse();
    expect(backward).toEqual(forward);
    expect(names.map((n) => c.check(n))).toEqual(forward);
  });

  it('a fresh index (only the shards one name needs) agrees with a fully built one', () => {
    const full = createTyposquatIndex(npmHighImpact);
    full.buildAll();
    const names = syntheticSquats(npmHighImpact, { seed: 99, perTrick: 20, topN: 17338 }).map((s) => s.name);
    names.push('ab', 'abc', 'abcd', 'abcde', 'abcdef', 'ms-', 'expre', 'expresso1', '@a/b');
    for (const name of names) expect(createTyposquatIndex(npmHighImpact).check(name), name).toEqual(full.check(name));
  });
});

describe('building blocks', () => {
  it('normal forms', () => {
    expect(sepless('@Types/lodash-es')).toBe('typeslodashes');
    expect(skeleton('rnocha')).toBe(skeleton('mocha'));
    expect(skeleton('l0dash')).toBe('lodash');
    expect(skeleton('lod\u0430sh')).toBe('lodash');
    expect(affixStripped('node-pdfmake')).toContainEqual(['pdfmake', 'node-', false]);
    expect(affixStripped('x-v10')).toContainEqual(['x', '-v10', true]);
  });
  it('OSA distance', () => {
    expect(osaDistance('lodash', 'loadsh', 2)).toBe(1);
    expect(osaDistance('merge2', 'pergel', 2)).toBe(2);
    expect(osaDistance('abc', 'xyz', 1)).toBe(2);
  });
  it('deletion index finds every name within the depth, and verifies nothing itself', () => {
    const names = ['express', 'lodash', 'merge2', 'chalk'];
    const d1 = new DeletionIndex(1, 10);
    const d2 = new DeletionIndex(2, 10);
    names.forEach((n, i) => (d1.add(n, i), d2.add(n, i)));
    const hits = (d: DeletionIndex, q: string) => {
      const s = new Set<number>();
      d.candidates(q, (id) => s.add(id));
      return [...s].map((i) => names[i]);
    };
    expect(hits(d1, 'expres')).toContain('express');
    expect(hits(d1, 'lodahs')).toContain('lodash');
    expect(hits(d1, 'chalkk')).toContain('chalk');
    expect(hits(d1, 'pergel')).not.toContain('merge2');
    expect(hits(d2, 'pergel')).toContain('merge2');
  });
  it('synthetic squats are deterministic per seed and cover every trick', () => {
    const a = syntheticSquats(npmHighImpact, { seed: 7, perTrick: 5, topN: 2000 });
    const b = syntheticSquats(npmHighImpact, { seed: 7, perTrick: 5, topN: 2000 });
    expect(a).toEqual(b);
    expect(new Set(a.map((s) => s.trick))).toEqual(new Set(TRICKS));
  });
});
