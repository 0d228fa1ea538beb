import { bunfigRegistries, loadPolicy, npmrcRegistries } from '@lifeguard/loader';
import type { RegistrySources } from './registries';
import { scanPackages, type BunPackage, type ScanResult } from './scan';

/**
 * The heavy part (core, the loader, the policy), loaded only when the package set is not one
 * found clean before. `rememberable`: no advisory feeds, whose contents change on their own.
 */
export function judge(dir: string, packages: readonly BunPackage[], declared: ReadonlyMap<string, ReadonlySet<string>>, sources: RegistrySources): ScanResult & { rememberable: boolean } {
  const { policy, file } = loadPolicy(dir);
  const registries = [...sources.bunfig.flatMap(bunfigRegistries), ...sources.npmrc.flatMap((t) => npmrcRegistries(t, process.env)), ...sources.env];
  const result = scanPackages(policy, file, packages, declared, registries);
  return { ...result, rememberable: policy.advisories.feeds.length === 0 };
}
