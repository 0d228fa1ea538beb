import { isAbsolute, join } from 'node:path';
import type { SetupProblem } from '@lifeguard/core';
import { parse } from 'yaml';
import { readProjectText } from './project-file';
import type { LockfileKind } from './lockfiles/index';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

const read = readProjectText;

/** `ignore-pnpmfile`, `ignorePnpmfile` and `IGNORE_PNPMFILE` are one setting to pnpm. */
const norm = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/** The last value of each key of an .npmrc (ini), keyed by normalised name. */
function npmrc(dir: string): Map<string, { key: string; value: string }> {
  const out = new Map<string, { key: string; value: string }>();
  for (const raw of (read(join(dir, '.npmrc')) ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    out.set(norm(key), { key, value: line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2') });
  }
  return out;
}

function yamlFile(file: string): Obj {
  const text = read(file) ?? '';
  try {
    return obj(parse(text));
  } catch {
    return {}; // the package manager reports a broken file itself
  }
}

/** Top-level keys of a YAML document, keyed by normalised name. */
const keysOf = (doc: Obj): Map<string, { key: string; value: unknown }> => new Map(Object.entries(doc).map(([key, value]) => [norm(key), { key, value }]));

const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

/** Lifeguard's pnpmfile (a copy of pnpm-plugin-lifeguard's bundle) and Yarn plugin carry their package's name. */
const isLifeguardPnpmfile = (text: string | undefined): boolean => text !== undefined && text.includes('pnpm-plugin-lifeguard');
const isLifeguardYarnPlugin = (text: string | undefined): boolean => text !== undefined && text.includes('@yarnpkg/plugin-lifeguard');

// Yarn internals the Lifeguard plugin patches: a plugin loaded after it that patches them again wins.
const YARN_INTERNALS: readonly [RegExp, string][] = [
  [/getDependencyMeta/, 'Project.prototype.getDependencyMeta (the script gate)'],
  [/MultiFetcher|\.prototype\.fetch\b/, 'MultiFetcher.prototype.fetch (the refusal step)'],
  [/wrapScriptExecution/, 'the wrapScriptExecution hook (script execution)'],
];

function pnpmProblems(dir: string): SetupProblem[] {
  const out: SetupProblem[] = [];
  const rc = npmrc(dir);
  const ws = keysOf(yamlFile(join(dir, 'pnpm-workspace.yaml')));
  const settings: { file: string; key: string; value: unknown }[] = [];
  for (const [, s] of rc) settings.push({ file: '.npmrc', key: s.key, value: s.value });
  for (const [, s] of ws) settings.push({ file: 'pnpm-workspace.yaml', key: s.key, value: s.value });
  let pnpmfileSettingOurs = false;
  for (const s of settings) {
    const n = norm(s.key);
    const shown = s.file === '.npmrc' ? `${s.key}=${String(s.value)}` : `${s.key}: ${JSON.stringify(s.value)}`;
    if (n === 'ignorepnpmfile' && truthy(s.value)) {
      out.push({ file: s.file, setting: shown, effect: 'pnpm loads no pnpmfile, so Lifeguard\'s hook does not run: nothing is refused and every build the project allows runs', fix: `remove \`${s.key}\` from ${s.file}` });
    } else if (n === 'pnpmfile') {
      const files = (Array.isArray(s.value) ? s.value : [s.value]).filter((f): f is string => typeof f === 'string');
      const ours = files.some((f) => isLifeguardPnpmfile(read(isAbsolute(f) ? f : join(dir, f))));
      if (ours) pnpmfileSettingOurs = true;
      else out.push({ file: s.file, setting: shown, effect: 'pnpm loads this file instead of .pnpmfile.cjs, and it is not Lifeguard\'s hook', fix: `remove \`${s.key}\` from ${s.file} (or point it at Lifeguard's pnpmfile)` });
    } else if (n === 'dangerouslyallowallbuilds' && truthy(s.value)) {
      out.push({ file: s.file, setting: shown, effect: 'every dependency\'s install scripts may run whenever Lifeguard\'s hook is not loaded', fix: `remove \`${s.key}\` from ${s.file}; approve builds in "scripts.allow" in lifeguard.json` });
    }
  }
  const cjs = read(join(dir, '.pnpmfile.cjs'));
  const mjs = read(join(dir, '.pnpmfile.mjs'));
  const configDeps = Object.keys(obj(ws.get('configdependencies')?.value));
  const viaConfigDep = configDeps.some((d) => /^(?:@[^/]+\/)?pnpm-plugin-lifeguard$/.test(d));
  const hookFile = isLifeguardPnpmfile(cjs) || isLifeguardPnpmfile(mjs) || pnpmfileSettingOurs;
  if (mjs !== undefined && !isLifeguardPnpmfile(mjs) && isLifeguardPnpmfile(cjs)) {
    out.push({ file: '.pnpmfile.mjs', setting: 'present beside .pnpmfile.cjs', effect: 'pnpm 11 and 12 load .pnpmfile.mjs and never .pnpmfile.cjs, so Lifeguard\'s hook does not run', fix: 'remove .pnpmfile.mjs (merge its hooks into a file that also loads Lifeguard), or load Lifeguard as a config dependency (pnpm add --config pnpm-plugin-lifeguard)' });
  } else if (!hookFile && !viaConfigDep) {
    out.push({ file: '.pnpmfile.cjs', setting: cjs === undefined ? 'missing' : 'not Lifeguard\'s hook', effect: 'pnpm installs this project without Lifeguard', fix: 'run `lifeguard init` (or `pnpm add --config pnpm-plugin-lifeguard`) and commit the result' });
  }
  const lock = read(join(dir, 'pnpm-lock.yaml'));
  if (hookFile && lock !== undefined && /^lockfileVersion:/m.test(lock) && !/^pnpmfileChecksum:/m.test(lock)) {
    out.push({ file: 'pnpm-lock.yaml', setting: 'no pnpmfileChecksum', effect: 'the lockfile was written by an install that did not load the pnpmfile (--ignore-pnpmfile or ignorePnpmfile), so Lifeguard judged none of its packages at install time', fix: 'run `pnpm install` with the hook loaded and commit the lockfile it writes; check what that install ran (`lifeguard check --installed`)' });
  }
  return out;
}

function yarnProblems(dir: string): SetupProblem[] {
  const rc = yamlFile(join(dir, '.yarnrc.yml'));
  const entries = Array.isArray(rc.plugins) ? rc.plugins : [];
  const plugins = entries.map((e) => {
    const path = typeof e === 'string' ? e : typeof obj(e).path === 'string' ? (obj(e).path as string) : '';
    const text = path === '' ? undefined : read(isAbsolute(path) ? path : join(dir, path));
    const name = /\bname:\s*["']([^"']+)["']/.exec(text?.slice(0, 4096) ?? '')?.[1];
    return { path, text, label: name ? `${path} (${name})` : path };
  });
  const ours = plugins.findIndex((p) => isLifeguardYarnPlugin(p.text));
  if (ours < 0) {
    return [{ file: '.yarnrc.yml', setting: 'plugins: no Lifeguard plugin', effect: 'Yarn installs this project without Lifeguard', fix: 'run `lifeguard init` (or `yarn plugin import <path>/yarn-plugin-lifeguard.cjs`) and commit .yarnrc.yml and .yarn/plugins' }];
  }
  const out: SetupProblem[] = [];
  for (const p of plugins.slice(ours + 1)) {
    if (isLifeguardYarnPlugin(p.text)) continue;
    const patched = YARN_INTERNALS.filter(([re]) => re.test(p.text ?? '')).map(([, what]) => what);
    if (patched.length === 0) continue;
    out.push({ file: '.yarnrc.yml', setting: `plugins: ${p.label} after Lifeguard's`, effect: `it patches ${patched.join(' and ')}, which Lifeguard's plugin relies on; loaded later, it wins`, fix: `remove ${p.path} from "plugins" in .yarnrc.yml, or list it before Lifeguard's plugin` });
  }
  return out;
}

function npmProblems(dir: string): SetupProblem[] {
  const s = npmrc(dir).get('ignorescripts');
  if (s && truthy(s.value)) return [];
  return [{
    file: '.npmrc', setting: s ? `${s.key}=${s.value}` : 'no ignore-scripts=true',
    effect: 'npm has no hook for Lifeguard: without ignore-scripts every dependency\'s install scripts run (npm 11), approved or not',
    fix: 'add `ignore-scripts=true` to .npmrc (lifeguard init does), then run the approved scripts with `lifeguard rebuild`',
  }];
}

/** Set-up checks of a project with a lifeguard.json, for each package manager whose lockfile it has. */
export function setupProblems(dir: string, managers: ReadonlySet<LockfileKind>): SetupProblem[] {
  return [
    ...(managers.has('pnpm') ? pnpmProblems(dir) : []),
    ...(managers.has('yarn') ? yarnProblems(dir) : []),
    ...(managers.has('npm') ? npmProblems(dir) : []),
  ];
}
