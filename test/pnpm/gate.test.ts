/**
 * The build gate cannot be switched off or routed around silently, on real pnpm 10, 11 and 12:
 * command-line build switches, `pnpm approve-builds`, pnpm 10's package.json build lists, config
 * dependencies (denied ones, and a plugin that widens the gate after Lifeguard on pnpm 10).
 * Each refusal leaves package.json, the lockfile, node_modules and pnpm-workspace.yaml as they were.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, markerExists, publish, startRegistry, type Registry, type RunResult } from '../harness/index';
import { type Ctx, fixtures, getTool, newMarkers, out, pnpm, project, projectHash, resetMarkers, S, setPolicy, VERSIONS } from './setup';

/** Each case runs several real installs; the machine may be shared. */
const LONG = 240_000;

let reg: Registry;
const markers = newMarkers();

/** A config-dependency plugin that approves the unapproved fixture in its own updateConfig. */
const WIDENING_PLUGIN = `module.exports = { hooks: { updateConfig(c) {
  if (Array.isArray(c.onlyBuiltDependencies)) c.onlyBuiltDependencies = [...c.onlyBuiltDependencies, '${S}/pn-unapproved'];
  else c.allowBuilds = { ...(c.allowBuilds || {}), '${S}/pn-unapproved': true };
  return c;
} } };
`;

beforeAll(async () => {
  reg = await startRegistry();
  await publish(reg, [
    ...fixtures(reg, markers).filter((f) => [`${S}/pn-unapproved`, `${S}/pn-approved`].includes(f.name)),
    { name: 'pnpm-plugin-widen', version: '1.0.0', files: { 'pnpmfile.cjs': WIDENING_PLUGIN } },
    { name: `${S}/cfg-denied`, version: '1.0.0' },
  ]);
});
afterAll(async () => {
  await reg?.stop();
});

const DEPS = { [`${S}/pn-unapproved`]: '1.0.0', [`${S}/pn-approved`]: '1.0.0' };
const POLICY = { scripts: { allow: [`${S}/pn-approved`] } };
const STATE = ['package.json', 'pnpm-lock.yaml', 'node_modules', 'pnpm-workspace.yaml'];
/** Output without whitespace and box drawing: pnpm 12 wraps hook errors at 80 columns, inside words too. */
const squash = (t: string) => t.replace(/[\s│╰─▶]+/g, '');
const says = (r: RunResult, text: string) => expect(squash(out(r)), out(r)).toContain(squash(text));

function editManifest(dir: string, edit: (pkg: Record<string, unknown>) => void): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  edit(pkg);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

describe.each(VERSIONS)('%s: the build gate holds', (v) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    Object.assign(ctx, { reg, markers, v, t: await getTool(v) });
  }, LONG);

  it('refuses command-line build switches, frozen installs and rebuild included; env and files stay overridden', async () => {
    resetMarkers(markers);
    const dir = project(ctx, DEPS, { policy: POLICY });
    for (const option of ['--dangerously-allow-all-builds', '--config.dangerously-allow-all-builds=true']) {
      const before = hashTree(dir, STATE);
      const r = await pnpm(ctx, dir, ['install', option]);
      expect(r.code, out(r)).not.toBe(0);
      says(r, `Lifeguard refused to run: \`${option}\``);
      says(r, '"scripts.allow"');
      expect(hashTree(dir, STATE)).toBe(before);
      expect(markerExists(markers, 'unapproved'), out(r)).toBe(false);
    }
    // `pnpm add --allow-build=<pkg>` widens the gate on pnpm 10/11: refused. pnpm 12 writes it into
    // allowBuilds (pnpm-workspace.yaml) before any hook, and updateConfig's gate replaces it.
    const add0 = hashTree(dir, STATE);
    const add = await pnpm(ctx, dir, ['add', `--allow-build=${S}/pn-unapproved`, `${S}/pn-unapproved@1.0.0`]);
    if (v === 'pnpm12') expect(add.code, out(add)).toBe(0);
    else {
      expect(add.code, out(add)).not.toBe(0);
      says(add, `Lifeguard refused to run: \`--allow-build=${S}/pn-unapproved\``);
      expect(hashTree(dir, STATE)).toBe(add0);
    }
    expect(markerExists(markers, 'unapproved'), out(add)).toBe(false);

    // The env switch and pnpm-workspace.yaml lose to updateConfig: the install runs, the script does not.
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), `${readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8')}\ndangerouslyAllowAllBuilds: true\n`);
    const env = await pnpm(ctx, dir, ['install'], { PNPM_CONFIG_DANGEROUSLY_ALLOW_ALL_BUILDS: 'true', npm_config_dangerously_allow_all_builds: 'true' });
    expect(env.code, out(env)).toBe(0);
    expect(markerExists(markers, 'approved'), out(env)).toBe(true);
    expect(markerExists(markers, 'unapproved'), out(env)).toBe(false);
    const rebuilt = await pnpm(ctx, dir, ['rebuild']);
    expect(rebuilt.code, out(rebuilt)).toBe(0);
    expect(markerExists(markers, 'unapproved'), `plain pnpm rebuild honours the gate\n${out(rebuilt)}`).toBe(false);

    // A frozen install and `pnpm rebuild` with the switch: refused before any build.
    resetMarkers(markers);
    const frozen0 = hashTree(dir, STATE);
    const frozen = await pnpm(ctx, dir, ['install', '--frozen-lockfile', '--dangerously-allow-all-builds']);
    expect(frozen.code, out(frozen)).not.toBe(0);
    says(frozen, 'Lifeguard refused to run');
    expect(hashTree(dir, STATE)).toBe(frozen0);
    const rebuild = await pnpm(ctx, dir, ['rebuild', '--dangerously-allow-all-builds']);
    expect(rebuild.code, out(rebuild)).not.toBe(0);
    // pnpm 10/11 reject the option on rebuild themselves; pnpm 12 takes it and Lifeguard refuses.
    if (v === 'pnpm12') says(rebuild, 'Lifeguard refused to run');
    expect(markerExists(markers, 'unapproved'), out(frozen) + out(rebuild)).toBe(false);

    // scripts.unapproved "run" lets every script run: the switch is no override then.
    setPolicy(dir, { scripts: { unapproved: 'run' } });
    const run = await pnpm(ctx, dir, ['rebuild', ...(v === 'pnpm12' ? ['--dangerously-allow-all-builds'] : [])]);
    expect(run.code, out(run)).toBe(0);
    expect(markerExists(markers, 'unapproved'), out(run)).toBe(true);

    // unapproved "refuse" relies on strictDepBuilds: turning it off on the command line is refused too.
    setPolicy(dir, { scripts: { allow: [`${S}/pn-approved`], unapproved: 'refuse' } });
    const strict = await pnpm(ctx, dir, ['install', '--frozen-lockfile', '--config.strict-dep-builds=false']);
    expect(strict.code, out(strict)).not.toBe(0);
    says(strict, 'Lifeguard refused to run: `--config.strict-dep-builds=false`');
  }, LONG);

  it('refuses `pnpm approve-builds <pkg>` with the lifeguard.json line, building and writing nothing', async () => {
    resetMarkers(markers);
    const dir = project(ctx, DEPS, { policy: POLICY });
    const yaml = hashTree(dir, ['pnpm-workspace.yaml']);
    const r0 = await pnpm(ctx, dir, ['install']);
    expect(r0.code, out(r0)).toBe(0);
    expect(markerExists(markers, 'unapproved')).toBe(false);
    expect(hashTree(dir, ['pnpm-workspace.yaml']), 'an install never writes the gate into pnpm-workspace.yaml').toBe(yaml);
    const before = hashTree(dir, STATE);
    const r = await pnpm(ctx, dir, ['approve-builds', `${S}/pn-unapproved`]);
    expect(r.code, out(r)).not.toBe(0);
    says(r, `add "${S}/pn-unapproved@1.0.0" to "scripts.allow"`);
    expect(markerExists(markers, 'unapproved'), out(r)).toBe(false);
    expect(hashTree(dir, STATE), 'pnpm-workspace.yaml and the rest unchanged').toBe(before);
  }, LONG);

  it('package.json "pnpm" build lists neither widen the gate nor end in a config conflict', async () => {
    resetMarkers(markers);
    const dir = project(ctx, DEPS, { policy: POLICY });
    editManifest(dir, (pkg) => (pkg.pnpm = { onlyBuiltDependencies: [`${S}/pn-unapproved`] }));
    const before = hashTree(dir, STATE);
    const only = await pnpm(ctx, dir, ['install']);
    expect(markerExists(markers, 'unapproved'), out(only)).toBe(false);
    if (v === 'pnpm10') {
      // pnpm 10 applies the list after every hook: refused, naming the package and the fix.
      expect(only.code, out(only)).not.toBe(0);
      says(only, `"pnpm.onlyBuiltDependencies" in package.json lists ${S}/pn-unapproved, which the policy does not approve`);
      expect(hashTree(dir, STATE)).toBe(before);
      // A list of approved names only narrows the gate: fine.
      editManifest(dir, (pkg) => (pkg.pnpm = { onlyBuiltDependencies: [`${S}/pn-approved`] }));
      const ok = await pnpm(ctx, dir, ['install']);
      expect(ok.code, out(ok)).toBe(0);
      expect(markerExists(markers, 'approved'), out(ok)).toBe(true);
    } else {
      // pnpm 11/12 no longer read the field.
      expect(only.code, out(only)).toBe(0);
      expect(markerExists(markers, 'approved'), out(only)).toBe(true);
    }

    resetMarkers(markers);
    const dir2 = project(ctx, DEPS, { policy: POLICY });
    editManifest(dir2, (pkg) => (pkg.pnpm = { neverBuiltDependencies: [`${S}/pn-approved`] }));
    const never = await pnpm(ctx, dir2, ['install']);
    expect(out(never)).not.toContain('CONFIG_CONFLICT');
    expect(markerExists(markers, 'unapproved'), out(never)).toBe(false);
    if (v === 'pnpm10') {
      expect(never.code, out(never)).not.toBe(0);
      says(never, '"pnpm.neverBuiltDependencies" in package.json cannot be combined with Lifeguard\'s build gate on pnpm 10');
    } else expect(never.code, out(never)).toBe(0);
  }, LONG);

  it('judges config dependencies: a denied one fails the install, a plugin cannot widen the gate', async () => {
    resetMarkers(markers);
    const dir = project(ctx, DEPS, { policy: { ...POLICY, packages: { deny: [`${S}/cfg-denied`] } } });
    await pnpm(ctx, dir, ['add', '--config', `${S}/cfg-denied@1.0.0`]);
    const before = projectHash(dir);
    const r = await pnpm(ctx, dir, ['install']);
    expect(r.code, out(r)).not.toBe(0);
    says(r, `Lifeguard refused ${S}/cfg-denied@1.0.0 as a config dependency [LIFEGUARD_DENY`);
    says(r, 'remove it from "configDependencies" in pnpm-workspace.yaml');
    expect(projectHash(dir)).toBe(before);
    expect(markerExists(markers, 'approved'), out(r)).toBe(false);

    // A pnpm-plugin-* whose updateConfig approves the unapproved package: it runs after Lifeguard's on
    // pnpm 10 (refused), before it on 11/12 (Lifeguard's gate wins).
    resetMarkers(markers);
    const dir2 = project(ctx, DEPS, { policy: POLICY });
    const add = await pnpm(ctx, dir2, ['add', '--config', 'pnpm-plugin-widen@1.0.0']);
    expect(add.code, out(add)).toBe(0);
    const before2 = projectHash(dir2);
    const r2 = await pnpm(ctx, dir2, ['install']);
    expect(markerExists(markers, 'unapproved'), out(r2)).toBe(false);
    if (v === 'pnpm10') {
      expect(r2.code, out(r2)).not.toBe(0);
      says(r2, "a pnpmfile loaded after Lifeguard's changed pnpm's build gate (onlyBuiltDependencies)");
      says(r2, 'pnpm-plugin-widen');
      expect(projectHash(dir2)).toBe(before2);
    } else {
      expect(r2.code, out(r2)).toBe(0);
      expect(markerExists(markers, 'approved'), out(r2)).toBe(true);
    }
  }, LONG);
});
