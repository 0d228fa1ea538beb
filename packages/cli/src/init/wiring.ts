import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Policy } from '@lifeguard/core';
import { wireBun } from '../bun-setup';
import { bundlePath } from '../bundles';
import { colors } from '../output';
import type { PackageManager, Project } from '../project';
import { readText, type PlannedWrite } from './writes';

/** What wiring one package manager takes: files to write and what to tell the user. */
export interface Wiring {
  readonly writes: PlannedWrite[];
  readonly lines: string[];
}

export const PLUGIN_PATH = '.yarn/plugins/yarn-plugin-lifeguard.cjs';

/** The comment init puts above the `ignore-scripts=true` it writes for npm, so a later init can tell it is its own. */
export const NPMRC_MARK = '# lifeguard init (npm): npm has no install hook, so dependency scripts stay off; `lifeguard rebuild` runs the approved ones';
const IGNORE_SCRIPTS = /^\s*ignore-scripts\s*=\s*true\s*$/i;
const IGNORE_SCRIPTS_ANY = /^\s*ignore-scripts\s*=/i;

/** `policy`: the policy init is about to write or keeps (Bun's trustedDependencies come from it). */
export function wire(project: Project, force: boolean, policy: () => Policy): Wiring {
  const w = project.manager === 'bun' ? wireBun(project, force, policy) : WIRE[project.manager](project, force);
  const stale = staleIgnoreScripts(project.dir, project.manager);
  return { writes: [...w.writes, ...stale.writes], lines: [...w.lines, ...stale.lines] };
}

const WIRE: Record<Exclude<PackageManager, 'bun'>, (project: Project, force: boolean) => Wiring> = { pnpm: wirePnpm, yarn: wireYarn, npm: wireNpm };

function wirePnpm(project: Project, force: boolean): Wiring {
  const target = join(project.dir, '.pnpmfile.cjs');
  const bundle = readFileSync(bundlePath('pnpm'));
  const lines: string[] = [];
  const writes: PlannedWrite[] = [];
  const current = existsSync(target) ? readFileSync(target) : undefined;
  if (current?.equals(bundle)) lines.push('  ok        .pnpmfile.cjs (Lifeguard, up to date)');
  else if (current && !current.toString('utf8').includes('pnpm-plugin-lifeguard') && !force) {
    lines.push(colors.yellow(`  kept      .pnpmfile.cjs (someone else's hooks; --force replaces it, or load Lifeguard as a config dependency)`));
  } else {
    writes.push({ file: target, content: bundle });
    lines.push('  wrote     .pnpmfile.cjs (the Lifeguard pnpm hook; commit it)');
  }
  if (existsSync(join(project.dir, '.pnpmfile.mjs'))) {
    lines.push(colors.red('  warning   .pnpmfile.mjs exists: pnpm 12 prefers it and would never load .pnpmfile.cjs. Merge or remove it.'));
  }
  return { writes, lines };
}

/** Yarn 1 (classic): `packageManager: "yarn@1…"`, or a v1 yarn.lock with no .yarnrc.yml. */
function isYarnClassic(dir: string): boolean {
  try {
    const pm = (JSON.parse(readText(join(dir, 'package.json')) || '{}') as { packageManager?: unknown }).packageManager;
    if (typeof pm === 'string') return pm.startsWith('yarn@1.');
  } catch {
    // unreadable package.json: the files decide
  }
  return !existsSync(join(dir, '.yarnrc.yml')) && /^# yarn lockfile v1$/m.test(readText(join(dir, 'yarn.lock')).slice(0, 300));
}

function wireYarn(project: Project): Wiring {
  if (isYarnClassic(project.dir)) {
    // Writing the plugin would look like protection: Yarn 1 loads no plugins.
    return {
      writes: [],
      lines: [
        colors.red('  warning   Yarn 1 (classic) has no plugin API: Lifeguard cannot hook into its installs. Nothing was wired.'),
        '            Run `lifeguard check` in CI, install with `--ignore-scripts`, or move to Yarn 4 and rerun `lifeguard init`.',
      ],
    };
  }
  const writes: PlannedWrite[] = [{ file: join(project.dir, PLUGIN_PATH), content: readFileSync(bundlePath('yarn')) }];
  const rcFile = join(project.dir, '.yarnrc.yml');
  const doc = parseDocument(readText(rcFile));
  const plugins = (doc.toJS()?.plugins as { path?: string }[] | undefined) ?? [];
  if (plugins.some((p) => p.path === PLUGIN_PATH)) return { writes, lines: [`  ok        .yarnrc.yml already loads ${PLUGIN_PATH} (bundle refreshed)`] };
  doc.set('plugins', [...plugins, { path: PLUGIN_PATH, spec: 'yarn-plugin-lifeguard' }]);
  writes.push({ file: rcFile, content: doc.toString() });
  return { writes, lines: [`  wrote     ${PLUGIN_PATH} and its entry in .yarnrc.yml (what \`yarn plugin import\` does; commit both)`] };
}

function wireNpm(project: Project): Wiring {
  const npmrc = join(project.dir, '.npmrc');
  const old = readText(npmrc);
  const lines: string[] = [];
  const writes: PlannedWrite[] = [];
  if (old.split('\n').some((l) => IGNORE_SCRIPTS.test(l))) lines.push('  ok        .npmrc already has ignore-scripts=true');
  else {
    const kept = old.split('\n').filter((l) => l.trim() !== '' && !IGNORE_SCRIPTS_ANY.test(l) && l !== NPMRC_MARK);
    writes.push({ file: npmrc, content: `${[...kept, NPMRC_MARK, 'ignore-scripts=true'].join('\n')}\n` });
    lines.push('  wrote     .npmrc: ignore-scripts=true (npm has no hook: no dependency script runs on its own)');
  }
  lines.push(`  next      npm install, then \`lifeguard check\` (CI gate) and \`lifeguard rebuild\` (runs the approved scripts);`);
  lines.push(`            \`lifeguard export --to npm --write\` adds npm's native allowScripts as well.`);
  return { writes, lines };
}


/**
 * An `ignore-scripts=true` in .npmrc left from when the project was set up for npm: pnpm obeys it,
 * so every build the policy approves would silently never run. The line init wrote itself (after
 * its comment) is removed; anyone else's is named.
 */
function staleIgnoreScripts(dir: string, manager: PackageManager): Wiring {
  if (manager === 'npm') return { writes: [], lines: [] };
  const npmrc = join(dir, '.npmrc');
  const lines = readText(npmrc).split('\n');
  const ours = lines.findIndex((l, i) => l === NPMRC_MARK && IGNORE_SCRIPTS.test(lines[i + 1] ?? ''));
  if (ours >= 0) {
    const kept = lines.filter((_, i) => i !== ours && i !== ours + 1);
    return { writes: [{ file: npmrc, content: kept.join('\n') }], lines: ['  removed   ignore-scripts=true from .npmrc (init wrote it for npm; the Lifeguard hook gates scripts now)'] };
  }
  if (manager === 'pnpm' && lines.some((l) => IGNORE_SCRIPTS.test(l))) {
    return {
      writes: [],
      lines: [colors.red('  warning   .npmrc has ignore-scripts=true: pnpm obeys it, so even the builds lifeguard.json approves never run. Remove the line; the hook gates scripts.')],
    };
  }
  return { writes: [], lines: [] };
}
