import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { compilePolicy, defaultPolicy, parsePolicy, PolicyError, type Policy } from '@lifeguard/core';
import { loadFeed } from './feeds';
import { userPolicyPath } from './paths';
import { POLICY_MAX_BYTES, readRegularFile, UnsafeFileError } from './safe-read';

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
    bytes = readRegularFile(file, POLICY_MAX_BYTES);
  } catch (e) {
    // Only "nothing at all at that path" means the default policy; a dangling link, a FIFO or a
    // device is somebody's policy that cannot be read, and the install must stop.
    if (e instanceof UnsafeFileError && e.missing && !override) return { policy: defaultPolicy(), file: undefined, fingerprint: sha256('(built-in default)') };
    throw asPolicyError(file, e);
  }
  return { policy: loadPolicyFile(file, bytes), file, fingerprint: sha256(file, bytes) };
}

function asPolicyError(file: string, e: unknown): Error {
  if (e instanceof UnsafeFileError) return new PolicyError(file, '$', e.expected, e.found);
  return e as Error;
}

/** A policy file's bytes, read safely (see safe-read.ts); any problem is a PolicyError naming the file. */
export function readPolicyBytes(file: string): Buffer {
  try {
    return readRegularFile(file, POLICY_MAX_BYTES);
  } catch (e) {
    throw asPolicyError(file, e);
  }
}

/**
 * Where a project's policy is: `LIFEGUARD_POLICY` (an absolute path) if set, else
 * `<projectDir>/lifeguard.json`, else (no such file) the user-level policy when there is one.
 * Commands without a project (`pnpm dlx`, global installs) run in a folder of the package
 * manager's with no lifeguard.json: the user's own policy is what applies there.
 */
export function policyPath(projectDir: string, env: NodeJS.ProcessEnv = process.env): { file: string; override: boolean } {
  const override = env.LIFEGUARD_POLICY;
  if (override !== undefined && override !== '' && !isAbsolute(override)) {
    throw new PolicyError(override, '$', 'LIFEGUARD_POLICY to be an absolute path', JSON.stringify(override));
  }
  if (override) return { file: override, override: true };
  const project = join(projectDir, POLICY_FILE);
  const user = userPolicyPath(env);
  // lstat: a project file that is there but unreadable (a dangling link) is the project's, never skipped.
  return { file: !present(project) && user !== undefined && present(user) ? user : project, override: false };
}

function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Parses, validates and compiles one policy file, reading its advisory feeds. */
export function loadPolicyFile(file: string, bytes: Uint8Array = readPolicyBytes(file)): Policy {
  const abs = resolve(file);
  const doc = parsePolicy(bytes, abs);
  const feeds = ((doc.json.advisories as { feeds?: string[] } | undefined)?.feeds ?? []).map((f, i) =>
    loadFeed(abs, i, f, dirname(abs)),
  );
  return compilePolicy(doc, { feeds });
}

export { loadFeed, loadFeedIndex, feedCacheFiles, FeedError, type FeedLoadOptions, type FeedLoadResult } from './feeds';
export { defaultCacheDir, userPolicyPath, writeAtomic } from './paths';
export { bunfigRegistries, npmrcRegistries } from './registries';
export { verifyFeed, type FeedReport } from './verify';
export { FEED_FILE_MAX_BYTES, FEED_RECORD_MAX_BYTES, POLICY_MAX_BYTES, readRegularFile, UnsafeFileError } from './safe-read';
