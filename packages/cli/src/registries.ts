import { join } from 'node:path';
import { bunfigRegistries, npmrcRegistries } from '@lifeguard/loader';
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

/**
 * The registries a project installs from, as its files declare them: .npmrc (`registry=`,
 * `@scope:registry=`), .yarnrc.yml (`npmRegistryServer`, `npmScopes.*.npmRegistryServer`,
 * `npmRegistries` keys) and pnpm-workspace.yaml (`registry`, `registries`). The public npm
 * registry is always one (core adds it). bunfig.toml (`[install] registry`, `[install.scopes]`) too.
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
  out.push(...bunfigRegistries(read(join(dir, 'bunfig.toml')) ?? ''));
  return [...new Set(out)];
}
