import { createRequire } from 'node:module';
import { UsageError } from './output';

const BUNDLES = {
  pnpm: 'pnpm-plugin-lifeguard/dist/pnpmfile.cjs',
  yarn: 'yarn-plugin-lifeguard/dist/yarn-plugin-lifeguard.cjs',
  bun: 'lifeguard-bun-scanner',
} as const;

/** Path of the built adapter bundle that `init` copies into a project. */
export function bundlePath(which: keyof typeof BUNDLES): string {
  try {
    return createRequire(__filename).resolve(BUNDLES[which]);
  } catch {
    throw new UsageError(`cannot find ${BUNDLES[which]}: install and build Lifeguard first (pnpm install && pnpm build)`);
  }
}
