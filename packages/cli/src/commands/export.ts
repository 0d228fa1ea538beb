import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bunTrustedDependencies, byName, nativeReleaseAge, pnpmBuildGate, scriptDecisions, type PackageFacts, type Policy } from '@lifeguard/core';
import { loadPolicy, loadPolicyFile } from '@lifeguard/loader';
import { parseDocument, stringify } from 'yaml';
import { findLockfile, readLockfile } from '../lockfiles/index';
import { UsageError } from '../output';
import { setTomlKeys } from '../toml';

export interface ExportOptions {
  to?: string;
  lockfile?: string;
  policy?: string;
  write?: boolean;
}

type Target = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** One file's worth of native settings: merged into `file` with --write, else printed. */
interface NativeChange {
  readonly file: string;
  readonly kind: 'package.json' | 'yaml' | 'ini' | 'toml';
  readonly values: Record<string, unknown>;
  /** The TOML table the values go in (bunfig.toml). */
  readonly table?: readonly string[];
}

/**
 * `lifeguard export --to npm|pnpm|yarn|bun`: the script allowlist (and release age) in the
 * package manager's own switches, resolved to the exact versions in the lockfile, for teams
 * that want the native gate as well as Lifeguard.
 */
export function exportPolicy(opts: ExportOptions, cwd: string): number {
  const to = opts.to as Target | undefined;
  if (!to || !['npm', 'pnpm', 'yarn', 'bun'].includes(to)) throw new UsageError('export needs --to npm|pnpm|yarn|bun');
  const { policy } = opts.policy ? { policy: loadPolicyFile(resolve(cwd, opts.policy)) } : loadPolicy(cwd);
  const lockfile = opts.lockfile ? resolve(cwd, opts.lockfile) : findLockfile(cwd);
  const releases = lockfile ? readLockfile(lockfile).packages.filter((p) => !p.workspace) : [];
  const { approved, denied } = scriptDecisions(policy, releases);
  const deniedByPolicy = denied.filter((key) => {
    const at = key.lastIndexOf('@');
    return policy.scripts.deny.find(key.slice(0, at), key.slice(at + 1)) !== undefined;
  });
  const changes = nativeChanges(to, policy, releases, approved, deniedByPolicy, cwd);
  const notes: string[] = [];
  if (!lockfile) notes.push('no lockfile found: ranges and globs could not be resolved to exact versions, so nothing is approved natively');
  if (to === 'bun') notes.push('Bun trusts whole names only: a name is listed only when every release of it in the lockfile is approved (and [] trusts none, replacing Bun\'s built-in list)');
  if (to === 'npm' && policy.releaseAge?.exclude.size) notes.push('npm has no release-age exclusions: releaseAge.exclude is not exported');

  for (const change of changes) {
    if (opts.write) {
      writeChange(change);
      process.stdout.write(`updated ${change.file}\n`);
    } else {
      process.stdout.write(`# ${change.file}\n${render(change)}\n`);
    }
  }
  for (const n of notes) process.stderr.write(`lifeguard: note: ${n}\n`);
  return 0;
}

function nativeChanges(to: Target, policy: Policy, releases: readonly PackageFacts[], approved: string[], denied: string[], dir: string): NativeChange[] {
  const age = nativeReleaseAge(policy);
  const deniedNames = byName(denied);
  switch (to) {
    case 'pnpm': {
      // The pnpm hook's own translation: bare names stay names (they cover versions resolved
      // later), ranges become exact versions, tarball and git packages their lockfile keys.
      const gate = pnpmBuildGate(policy, releases.map((r) => ({ name: r.name, version: r.version, source: r.source ?? 'registry', key: `${r.name}@${r.resolved ?? r.version}` })));
      const values = { allowBuilds: gate.allowBuilds, dangerouslyAllowAllBuilds: gate.allowAll, strictDepBuilds: policy.scripts.unapproved === 'refuse', ...(age ? age.pnpm : {}) };
      return [{ file: join(dir, 'pnpm-workspace.yaml'), kind: 'yaml', values }];
    }
    case 'npm': {
      const allowScripts: Record<string, boolean> = {};
      for (const key of approved) allowScripts[key] = true;
      // npm pins approvals but denies by name only.
      for (const name of deniedNames.keys()) allowScripts[name] = false;
      const out: NativeChange[] = [{ file: join(dir, 'package.json'), kind: 'package.json', values: { allowScripts } }];
      const npmrc: Record<string, unknown> = { 'strict-allow-scripts': policy.scripts.unapproved === 'refuse' };
      if (age) Object.assign(npmrc, age.npm);
      out.push({ file: join(dir, '.npmrc'), kind: 'ini', values: npmrc });
      return out;
    }
    case 'yarn': {
      const dependenciesMeta: Record<string, { built: boolean }> = {};
      for (const key of approved) dependenciesMeta[key] = { built: true };
      for (const key of denied) dependenciesMeta[key] = { built: false };
      return [
        { file: join(dir, 'package.json'), kind: 'package.json', values: { dependenciesMeta } },
        { file: join(dir, '.yarnrc.yml'), kind: 'yaml', values: { enableScripts: false, ...(age ? age.yarn : {}) } },
      ];
    }
    case 'bun': {
      const trustedDependencies = bunTrustedDependencies(policy, releases);
      const out: NativeChange[] = [{ file: join(dir, 'package.json'), kind: 'package.json', values: { trustedDependencies } }];
      if (age) out.push({ file: join(dir, 'bunfig.toml'), kind: 'toml', table: ['install'], values: { minimumReleaseAge: age.bun.minimumReleaseAge } });
      return out;
    }
  }
}

function render(change: NativeChange): string {
  switch (change.kind) {
    case 'package.json':
      return JSON.stringify(change.values, null, 2);
    case 'yaml':
      return stringify(change.values).trimEnd();
    case 'ini':
      return Object.entries(change.values).map(([k, v]) => `${k}=${String(v)}`).join('\n');
    case 'toml':
      return setTomlKeys('', change.file, change.table ?? [], change.values).trimEnd();
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A native map merged with what the policy says: the project's own explicit denials (pnpm
 * `allowBuilds` and npm `allowScripts` `false`, Yarn `built: false`) stay, and so do Yarn's other
 * `dependenciesMeta` fields (`optional`, `unplugged`). A key the policy sets wins.
 */
function mergeNative(key: string, old: unknown, next: unknown): unknown {
  if (!isRecord(old) || !isRecord(next)) return next;
  const out: Record<string, unknown> = {};
  if (key === 'allowBuilds' || key === 'allowScripts') {
    for (const [k, v] of Object.entries(old)) if (v === false && !Object.hasOwn(next, k)) out[k] = false;
    return { ...out, ...next };
  }
  if (key === 'dependenciesMeta') {
    for (const [k, meta] of Object.entries(old)) {
      if (!isRecord(meta)) continue;
      const mine = next[k];
      // An old `built: true` the policy no longer carries goes; everything else stays.
      const { built, ...rest } = meta;
      const kept = isRecord(mine) ? { ...meta, ...mine } : built === false ? meta : rest;
      if (Object.keys(kept).length > 0) out[k] = kept;
    }
    for (const [k, meta] of Object.entries(next)) if (!Object.hasOwn(out, k)) out[k] = meta;
    return out;
  }
  return next;
}

function writeChange(change: NativeChange): void {
  const old = existsSync(change.file) ? readFileSync(change.file, 'utf8') : '';
  let next: string;
  switch (change.kind) {
    case 'package.json': {
      const pkg = old ? (JSON.parse(old) as Record<string, unknown>) : {};
      const merged = Object.fromEntries(Object.entries(change.values).map(([k, v]) => [k, mergeNative(k, pkg[k], v)]));
      next = `${JSON.stringify({ ...pkg, ...merged }, null, 2)}\n`;
      break;
    }
    case 'yaml': {
      const doc = parseDocument(old);
      const current = (doc.toJS() ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(change.values)) doc.set(k, mergeNative(k, current[k], v));
      next = doc.toString();
      break;
    }
    case 'ini': {
      const keys = new Set(Object.keys(change.values));
      const kept = old.split('\n').filter((l) => l.trim() !== '' && !keys.has(l.split('=')[0]?.trim() ?? ''));
      next = `${[...kept, render(change)].join('\n')}\n`;
      break;
    }
    case 'toml':
      next = setTomlKeys(old, change.file, change.table ?? [], change.values);
      break;
  }
  writeFileSync(change.file, next);
}
