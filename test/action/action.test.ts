/**
 * The GitHub Action (action.yml) run locally: each `run:` step executed with bash the way a runner
 * does (`bash -e`, its env with `${{ inputs.* }}` / `${{ steps.*.outputs.* }}` filled in,
 * GITHUB_OUTPUT), against fixture projects. `npx` is a stand-in on PATH that runs this checkout's
 * CLI when, and only when, asked for `lifeguard@<the action's version>`. The upload step is a
 * `uses:`: checked for what it would be given, not run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, hermeticEnv, newMarkers, tempProject } from '../harness/index';

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  'working-directory'?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string }>;
};
const VERSION = String(action.inputs.version?.default);

/** A stand-in `npx` that runs this checkout's CLI for `npx -y lifeguard@<VERSION> ...` only. */
const bin = newMarkers();
writeFileSync(
  join(bin, 'npx'),
  `#!/usr/bin/env bash\n[ "$1" = "-y" ] && [ "$2" = "lifeguard@${VERSION}" ] || { echo "unexpected npx $*" >&2; exit 99; }\nshift 2\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(REPO, 'packages/cli/bin/lifeguard.cjs'))} "$@"\n`,
);
chmodSync(join(bin, 'npx'), 0o755);

interface StepResult { step: Step; skipped: boolean; code: number; out: string; with?: Record<string, string> }

/** Runs the action's steps in order, as a runner would, stopping at the first failing step. */
function runAction(workspace: string, given: Record<string, string>): { results: StepResult[]; outputs: Record<string, Record<string, string>> } {
  const inputs: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, String(v.default ?? '')])), ...given };
  const outputs: Record<string, Record<string, string>> = {};
  const expr = (e: string): string => {
    const m = /^(inputs|steps)\.([\w-]+)(?:\.outputs\.([\w-]+))?$/.exec(e.trim());
    if (!m) throw new Error(`unsupported expression ${e}`);
    return m[1] === 'inputs' ? (inputs[m[2]!] ?? '') : (outputs[m[2]!]?.[m[3]!] ?? '');
  };
  const fill = (s: string) => s.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => expr(e));
  // The `if:` forms the action uses: `a == 'x'`, `a != 'x'`, joined by &&.
  const cond = (s: string) =>
    s.replace(/^\$\{\{\s*|\s*\}\}$/g, '').split('&&').every((term) => {
      const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(term);
      if (!m) throw new Error(`unsupported if: ${term}`);
      return (expr(m[1]!) === m[3]) === (m[2] === '==');
    });
  const results: StepResult[] = [];
  for (const step of action.runs.steps) {
    if (step.if !== undefined && !cond(step.if)) {
      results.push({ step, skipped: true, code: 0, out: '' });
      continue;
    }
    if (step.uses) {
      results.push({ step, skipped: false, code: 0, out: '', with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, fill(v)])) });
      continue;
    }
    expect(step.shell).toBe('bash');
    const outFile = join(newMarkers(), 'github_output');
    writeFileSync(outFile, '');
    const env = hermeticEnv({
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v)])),
      GITHUB_OUTPUT: outFile,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    });
    const cwd = resolve(workspace, fill(step['working-directory'] ?? '.'));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', fill(step.run ?? '')], { cwd, env, encoding: 'utf8' });
    if (step.id) outputs[step.id] = Object.fromEntries(readFileSync(outFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    results.push({ step, skipped: false, code: r.status ?? 1, out: `${r.stdout}${r.stderr}` });
    if (r.status !== 0) break;
  }
  return { results, outputs };
}

const lock = (pkgs: Record<string, string>) =>
  JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', dependencies: pkgs },
      ...Object.fromEntries(Object.entries(pkgs).map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz` }])),
    },
  });

describe('action.yml (composite) run locally', () => {
  it('is a composite action whose upload step is github/codeql-action/upload-sarif', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((s) => s.uses ?? 'run')).toEqual(['run', 'github/codeql-action/upload-sarif@v3', 'run']);
    // Inputs reach the scripts through env only, never pasted into the script text (no injection).
    for (const s of action.runs.steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('a lockfile with a refused package: SARIF written and handed to the upload, then the job fails with the findings in the log', () => {
    const ws = tempProject({
      'app/package-lock.json': lock({ 'evil-pkg': '1.0.0', lodash: '4.17.21' }),
      'app/lifeguard.json': JSON.stringify({ packages: { deny: ['evil-pkg'] } }),
    });
    const { results, outputs } = runAction(ws, { 'working-directory': 'app' });
    const [check, upload, fail] = results;
    expect(check?.code, check?.out).toBe(0);
    expect(outputs.check?.['exit-code']).toBe('1');
    const sarifFile = outputs.check?.['sarif-file'] ?? '';
    expect(sarifFile).toBe(join(ws, 'app', 'lifeguard.sarif'));
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'LIFEGUARD_DENY', level: 'error' })]));
    expect(upload?.skipped).toBe(false);
    expect(upload?.with).toEqual({ sarif_file: sarifFile, category: 'lifeguard' });
    expect(fail?.code).toBe(1);
    expect(fail?.out).toContain('REFUSED evil-pkg@1.0.0 LIFEGUARD_DENY');
    expect(fail?.out).toContain('::error title=Lifeguard::');
  });

  it('a clean lockfile passes, with the SARIF still uploaded; --lockfile and --policy inputs are passed through', () => {
    const ws = tempProject({
      'package-lock.json': lock({ lodash: '4.17.21' }),
      'ci/strict.json': JSON.stringify({ packages: { deny: ['left-pad'] } }),
      'other/package-lock.json': lock({ 'left-pad': '1.3.0' }),
    });
    const clean = runAction(ws, {});
    expect(clean.results.map((r) => [r.skipped, r.code])).toEqual([[false, 0], [false, 0], [false, 0]]);
    expect(clean.outputs.check?.['exit-code']).toBe('0');
    expect(existsSync(join(ws, 'lifeguard.sarif'))).toBe(true);

    const other = runAction(ws, { lockfile: 'other/package-lock.json', policy: 'ci/strict.json', upload: 'false' });
    expect(other.outputs.check?.['exit-code']).toBe('1');
    expect(other.results[1]?.skipped).toBe(true);
    expect(other.results[2]?.out).toContain('REFUSED left-pad@1.3.0 LIFEGUARD_DENY');
  });

  it('an invalid policy fails the check step itself (exit 2, the file and field named) and uploads nothing', () => {
    const ws = tempProject({ 'package-lock.json': lock({ lodash: '4.17.21' }), 'lifeguard.json': '{ "scripts": { "allow": ["esbuild@^^1"] } }' });
    const { results, outputs } = runAction(ws, {});
    expect(results).toHaveLength(1);
    expect(results[0]?.code).toBe(2);
    expect(results[0]?.out).toContain(`${join(ws, 'lifeguard.json')} at $.scripts.allow[0]`);
    expect(outputs.check?.['exit-code']).toBe('2');
  });
});
