import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { compilePolicy, defaultPolicy, parsePolicy, PolicyError, type Policy } from '@lifeguard/core';
import { loadFeed } from './feeds';

export const POLICY_FILE = 'lifeguard.json';

export interface LoadedPolicy {
  readonly policy: Policy;
  /** Absolute path of the file read, or undefined when the built-in default applies. */
  readonly file: string | undefined;
  /**
   * sha256 of the file's path and the exact bytes compiled (or of the built-in default's label).
   * A cache of verdicts keys on it, on its own build and on the feeds' matches (feeds change
   * without the policy file changing).
   */
  readonly fingerprint: string;
}

const sha256 = (...parts: Array<string | Uint8Array>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/**
 * The policy for a project: `LIFEGUARD_POLICY` if set, else `<projectDir>/lifeguard.json`,
 * else the built-in default. A file that exists but cannot be read or validated throws a
 * PolicyError: the install must fail closed.
 */
export function loadPolicy(projectDir: string, env: NodeJS.ProcessEnv = process.env): LoadedPolicy {
  const { file, override } = policyPath(projectDir, env);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !override) return { policy: defaultPolicy(), file: undefined, fingerprint: sha256('(built-in default)') };
    throw new PolicyError(file, '$', 'a readable policy file', code ?? String(e));
  }
  return { policy: loadPolicyFile(file, bytes), file, fingerprint: sha256(file, bytes) };
}

/** Where a project's policy is: `LIFEGUARD_POLICY` (an absolute path) if set, else `<projectDir>/lifeguard.json`. */
export function policyPath(projectDir: string, env: NodeJS.ProcessEnv = process.env): { file: string; override: boolean } {
  const override = env.LIFEGUARD_POLICY;
  if (override !== undefined && override !== '' && !isAbsolute(override)) {
    throw new PolicyError(override, '$', 'LIFEGUARD_POLICY to be an absolute path', JSON.stringify(override));
  }
  return override ? { file: override, override: true } : { file: join(projectDir, POLICY_FILE), override: false };
}

/** Parses, validates and compiles one policy file, reading its advisory feeds. */
export function loadPolicyFile(file: string, bytes: Uint8Array = readFileSync(file)): Policy {
  const abs = resolve(file);
  const doc = parsePolicy(bytes, abs);
  const feeds = ((doc.json.advisories as { feeds?: string[] } | undefined)?.feeds ?? []).map((f, i) =>
    loadFeed(abs, i, f, dirname(abs)),
  );
  return compilePolicy(doc, { feeds });
}

export { loadFeed, loadFeedIndex, feedCacheFiles, FeedError, type FeedLoadOptions, type FeedLoadResult } from './feeds';
export { defaultCacheDir, writeAtomic } from './feed-cache';
export { verifyFeed, type FeedReport } from './verify';
