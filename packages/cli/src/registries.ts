import { join } from 'node:path';
import { parse } from 'yaml';
import { readProjectText } from './project-file';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

const read = readProjectText;

function yamlOf(file: string): Obj {
  const text = read(file);
  if (text === undefined) return {};
  try {
    return obj(parse(text));
  } catch {
    return {}; // the package manager reports a broken file itself; no registry comes from it
  }
}

/** `registry=` and `@scope:registry=` of an .npmrc text (ini; `${VAR}` taken from `env`). */
export function npmrcRegistries(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    if (key !== 'registry' && !/^@[^:]+:registry$/.test(key)) continue;
    const value = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2').replace(/\$\{([^}]+)\}/g, (_m, v: string) => env[v] ?? '');
    if (value !== '') out.push(value);
  }
  return out;
}

/**
 * The registries a project installs from, as its files declare them: .npmrc (`registry=`,
 * `@scope:registry=`), .yarnrc.yml (`npmRegistryServer`, `npmScopes.*.npmRegistryServer`,
 * `npmRegistries` keys) and pnpm-workspace.yaml (`registry`, `registries`). The public npm
 * registry is always one (core adds it).
 */
export function projectRegistries(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = npmrcRegistries(read(join(dir, '.npmrc')) ?? '', env);
  const yarnrc = yamlOf(join(dir, '.yarnrc.yml'));
  if (typeof yarnrc.npmRegistryServer === 'string') out.push(yarnrc.npmRegistryServer);
  for (const scope of Object.values(obj(yarnrc.npmScopes))) {
    const server = obj(scope).npmRegistryServer;
    if (typeof server === 'string') out.push(server);
  }
  out.push(...Object.keys(obj(yarnrc.npmRegistries)).map((k) => (k.startsWith('//') ? `https:${k}` : k)));
  const workspace = yamlOf(join(dir, 'pnpm-workspace.yaml'));
  if (typeof workspace.registry === 'string') out.push(workspace.registry);
  for (const r of Object.values(obj(workspace.registries))) if (typeof r === 'string') out.push(r);
  return [...new Set(out)];
}
