import { loadPolicy } from '@lifeguard/loader';
import { scanPackages, type BunPackage, type ScanResult } from './scan';

/**
 * The heavy part (core, the loader, the policy), loaded only when the package set is not one
 * found clean before. `rememberable`: no advisory feeds, whose contents change on their own.
 */
export function judge(dir: string, packages: readonly BunPackage[], declared: ReadonlyMap<string, ReadonlySet<string>>): ScanResult & { rememberable: boolean } {
  const { policy, file } = loadPolicy(dir);
  const result = scanPackages(policy, file, packages, declared);
  return { ...result, rememberable: policy.advisories.feeds.length === 0 };
}
