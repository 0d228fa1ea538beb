import type { Configuration } from './yarn';

/** The project's registries as Yarn is configured: `npmRegistryServer`, each scope's, and `npmRegistries` keys. */
export function registries(configuration: Configuration): string[] {
  const out: string[] = [];
  const server = configuration.get('npmRegistryServer');
  if (typeof server === 'string') out.push(server);
  const scopes = configuration.get('npmScopes');
  if (scopes instanceof Map) {
    for (const scope of scopes.values()) {
      const s = scope instanceof Map ? scope.get('npmRegistryServer') : undefined;
      if (typeof s === 'string') out.push(s);
    }
  }
  const extra = configuration.get('npmRegistries');
  if (extra instanceof Map) for (const k of extra.keys()) if (typeof k === 'string') out.push(k.startsWith('//') ? `https:${k}` : k);
  return out;
}
