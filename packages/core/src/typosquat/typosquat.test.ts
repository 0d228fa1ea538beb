import { npmHighImpact } from 'npm-high-impact';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { policyOf } from '../checks/test-policy';
import { defaultPolicy } from '../policy/compile';
import { DeletionIndex, osaDistance } from './deletions';
import { createTyposquatIndex, defaultTyposquatIndex } from './index';
import { popularitySnapshot } from './popularity';
import { affixStripped, sepless, skeleton } from './normalize';
import { syntheticSquats, TRICKS } from './synthetic';

// The rules alone (no popularity snapshot): several historic squats below are now npm security
// placeholders whose typo traffic makes them "established" in the default index (see there).
const idx = createTyposquatIndex(npmHighImpact, { targetDownloads: (id) => popularitySnapshot().targetDownloads(id) });
const verdict = (name: string) => idx.check(name);

describe('typosquat rules (npm-high-impact, no snapshot)', () => {
  it.each([
    ['crossenv', 'cross-env', 'separator'],
    ['cross_env', 'cross-env', 'separator'],
    ['cross.env', 'cross-env', 'separator'],
    ['node-pdfmake', 'pdfmake', 'affix'],
    ['ethersjs', 'ethers', 'affix'],
    ['ethers.js', 'ethers', 'affix'],
    ['remark-stringify10', 'remark-stringify', 'version-suffix'],
    ['picomatch3', 'picomatch', 'version-suffix'],
    ['undici-v7', 'undici', 'version-suffix'],
    ['cookie_parsr', 'cookie-parser', 'omission'], // an edit and a separator change
    ['react-router-do', 'react-router-dom', 'omission'], // last letter dropped: "do" is a word, still a typo
    ['Express', 'express', 'case'],
    ['CROSS-ENV', 'cross-env', 'case'],
    ['@types/Node', '@types/node', 'case'],
    ['CrossEnv', 'cross-env', 'separator'],
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

  it('never refuses short names on an inexact trick: one edit from a 4-5 letter name is medium confidence', () => {
    for (const name of ['qz', 'mx', 'nyx', 'deb', 'pug2']) expect(verdict(name)).toBeUndefined();
    expect(verdict('rxs')).toMatchObject({ imitates: 'rxjs', confidence: 'medium' });
    expect(verdict('axion')).toMatchObject({ imitates: 'axios', confidence: 'medium' }); // too short for a far-key pick to be high
  });

  it('every trick but the extra word and short names is high confidence', () => {
    for (const name of ['crossenv', 'expres', '@typess/node', 'node-pdfmake', 'rnocha', 'pergel', 'ui-2', 'viem-2', 'Express']) {
      expect(verdict(name)?.confidence, name).toBe('high');
    }
  });

  it('an extra word around a top name is medium confidence, unless the word or the name opens a naming convention', () => {
    expect(verdict('plain-crypto-js')).toMatchObject({ imitates: 'crypto-js', technique: 'extra-word', confidence: 'medium' });
    expect(verdict('axios-utils')).toBeUndefined(); // "axios" is a word many popular names build on
    expect(verdict('react-foo-bar')).toBeUndefined();
    expect(verdict('gulp-crypto-js')).toBeUndefined(); // gulp-* is a convention
  });

  it('counts a non-neighbouring letter only against the top 3,000 names of 6+ characters', () => {
    expect(verdict('expresq')).toMatchObject({ imitates: 'express', technique: 'substitution' }); // rank 262
    expect(verdict('eth-rpc-errorq')).toBeUndefined(); // rank 9,576, q is far from s
    expect(verdict('eth-rpc-errora')).toMatchObject({ imitates: 'eth-rpc-errors' }); // a is next to s
  });

  it('spares names whose changed word is another word popular packages use', () => {
    // `tslint-plugin-x` style: a different tool's name, not a typo.
    expect(verdict('csv-parser')).toBeUndefined();
    expect(verdict('lodash.set')).toBeUndefined();
  });

  it('checks names with capital letters like any other (mirrors serve them; case-insensitive file systems load them)', () => {
    expect(verdict('Lodash')).toMatchObject({ imitates: 'lodash', technique: 'case', confidence: 'high' });
    expect(verdict('LODASH')).toMatchObject({ imitates: 'lodash', technique: 'case' });
    expect(verdict('Loadsh')).toMatchObject({ imitates: 'lodash', technique: 'swap' });
    expect(verdict('JSONStream')).toBeUndefined(); // popular as spelled
  });

  it('spares a flattened scope when many popular names already share that prefix (babel-*, rollup-*)', () => {
    expect(verdict('babel-plugin-transform-typescript')).toBeUndefined();
  });

  it('drives the LIFEGUARD_TYPOSQUAT finding', () => {
    const v = evaluate(defaultPolicy(), { name: 'cross_env', version: '1.0.0' });
    expect(v.decision).toBe('refuse');
    const f = v.findings.find((x) => x.code === 'LIFEGUARD_TYPOSQUAT')!;
    expect(f.message).toContain('"cross-env"');
    expect(f.message).toContain('separators');
    expect(f.details).toMatchObject({ imitates: 'cross-env', technique: 'separator', confidence: 'high' });
  });
});

describe('the default index: rules, then the 2026-03 download snapshot', () => {
  const def = defaultTyposquatIndex();

  it('spares established look-alikes (>= 1,000 downloads a month), the false refusals real projects met', () => {
    const names = ['ansicolor', 'multimath', 'immediato', 'wcwidth.js', 'cson-parser', 'libpq', 'jstree', 'xterm-addon-webgl', 'raven-js', 'fastify-swagger', 'graphql-import-node', 'js-yaml-loader', 'bytes.js', 'qrcodejs', 'numeraljs'];
    for (const name of names) {
      const e = def.explain(name);
      expect(e.kind, name).toBe('established');
      if (e.kind === 'established') expect(e.downloads, name).toBeGreaterThanOrEqual(1000);
      expect(def.check(name), name).toBeUndefined();
      expect(idx.check(name), `${name} is flagged by the rules alone`).toBeDefined();
    }
    expect(def.explain('raven-js')).toMatchObject({ kind: 'established', downloads: 550000, match: { imitates: 'raven' } });
  });

  it('never spares a case variant of a popular name, whatever its traffic (Express has 1,100 a month)', () => {
    expect(def.explain('Express')).toMatchObject({ kind: 'flagged', match: { imitates: 'express', technique: 'case' } });
    expect(def.check('CROSS-ENV')).toMatchObject({ imitates: 'cross-env' });
    expect(def.check('@types/Node')).toMatchObject({ imitates: '@types/node' });
  });

  it('says known, clean or flagged for the rest', () => {
    expect(def.explain('express')).toEqual({ kind: 'known' });
    expect(def.explain('some-unknown-package')).toEqual({ kind: 'clean' });
    expect(def.explain('viem-2')).toMatchObject({ kind: 'flagged', match: { imitates: 'viem', technique: 'version-suffix', confidence: 'high' } });
  });

  it('refuses 24 of 30 historic squats; npm security placeholders that keep typo traffic are spared, and left to deny and advisories', () => {
    // Public incident names; `sqliter` (an extra letter on `sqlite`, rank 15,326, 6 letters) is
    // the one the rules let through. The placeholders' content is npm's, not the attacker's.
    const historic = [
      'crossenv', 'cross-env.js', 'd3.js', 'fabric-js', 'gruntcli', 'http-proxy.js', 'jquery.js', 'mongose', 'mssql.js', 'mssql-node',
      'mysqljs', 'node-fabric', 'node-sqlite', 'nodefabric', 'nodemailer-js', 'nodemailer.js', 'nodemssql', 'noderequest', 'nodesass',
      'nodesqlite', 'proxy.js', 'sqlite.js', 'sqliter', 'discordi.js', 'electorn', 'babelcli', 'jquerry', 'twilio-npm', 'typescriptjs', 'lodashs',
    ];
    expect(historic.filter((n) => !idx.check(n))).toEqual(['sqliter']);
    expect(historic.filter((n) => def.explain(n).kind === 'established')).toEqual(['crossenv', 'd3.js', 'mongose', 'mysqljs']);
    const denied = evaluate(policyOf({ packages: { deny: ['crossenv'] } }), { name: 'crossenv', version: '1.0.0' });
    expect(denied.decision).toBe('refuse');
    expect(denied.findings.map((f) => f.code)).toEqual(['LIFEGUARD_DENY']);
  });
});

describe('createTyposquatIndex on a custom list', () => {
  const popular = ['react', 'lodash', 'express', 'chalk', 'commander', '@acme/widgets'];
  it('uses the given list and extra known names', () => {
    const own = createTyposquatIndex(popular, { knownLegit: ['lodash-fork-ok'], established: (n) => (n === 'lodasj' ? 5000 : undefined) });
    expect(own.check('lodasj')).toBeUndefined();
    expect(own.explain('lodasj')).toMatchObject({ kind: 'established', downloads: 5000, match: { imitates: 'lodash' } });
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

  it('a list holding `İ` (every name lower-cased up front) gives the verdicts of the lazy path', () => {
    const names = syntheticSquats(npmHighImpact, { seed: 5, perTrick: 10, topN: 17338 }).map((s) => s.name);
    names.push('Express', 'CROSS-ENV', '@types/Node', 'lodash', 'JSONStream', 'jsonstream', 'some-unknown-package');
    const ascii = createTyposquatIndex(npmHighImpact);
    const mixed = createTyposquatIndex([...npmHighImpact, 'zzz-\u0130t\u00e9']);
    for (const name of names) expect(mixed.explain(name), name).toEqual(ascii.explain(name));
    expect(mixed.isKnown('zzz-\u0130t\u00e9')).toBe(true);
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
    expect(affixStripped('viem-2')).toContainEqual(['viem', '-2', true]);
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
