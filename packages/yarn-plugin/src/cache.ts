import { readFileSync } from 'node:fs';
import type { Finding, Verdict } from '@lifeguard/core';
import { writeAtomic } from '@lifeguard/loader';

/**
 * What the fetched archive says about one package: the part of PackageFacts that costs I/O
 * (opening the zip). Keyed by locator hash + archive checksum, so it never depends on the
 * policy: every install re-evaluates the (cheap) policy against it, and editing lifeguard.json
 * or an advisory feed can never leave a stale verdict behind.
 */
export interface ArchiveFacts {
  /** Install-relevant scripts only (preinstall, install, postinstall, prepare). */
  readonly scripts: Record<string, string>;
  readonly hasBindingGyp: boolean;
  /** dependencies + optionalDependencies of the archive's package.json. */
  readonly dependencies: Record<string, string>;
  /** The last verdict computed from these facts, valid only under the same verdict key. */
  readonly verdict?: CachedVerdict;
}

export interface CachedVerdict {
  /** Hash of: plugin build, policy file bytes, this package's advisory matches, facts. */
  readonly key: string;
  readonly verdict: Verdict;
  readonly extra: readonly Finding[];
}

const FORMAT = 2;

export class FactsCache {
  private entries: Record<string, ArchiveFacts> = Object.create(null);
  private dirty = false;

  /** `file` undefined: no cache at all (nowhere to keep it outside the project). */
  constructor(private readonly file: string | undefined) {
    if (file === undefined) return;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; entries?: unknown };
      if (json.format === FORMAT && json.entries && typeof json.entries === 'object' && !Array.isArray(json.entries)) {
        for (const [k, v] of Object.entries(json.entries as Record<string, unknown>)) {
          if (isFacts(v)) this.entries[k] = v;
        }
      }
    } catch {
      // Missing or corrupt: start empty; the file is only an accelerator.
    }
  }

  get(key: string): ArchiveFacts | undefined {
    return Object.hasOwn(this.entries, key) ? this.entries[key] : undefined;
  }

  set(key: string, facts: ArchiveFacts): void {
    this.entries[key] = facts;
    this.dirty = true;
  }

  /** Writes atomically (temp file + rename); a failure to write is never an install failure. */
  save(keep?: ReadonlySet<string>): void {
    if (keep) {
      for (const k of Object.keys(this.entries)) {
        if (!keep.has(k)) {
          delete this.entries[k];
          this.dirty = true;
        }
      }
    }
    // A read-only checkout or a full disk: carry on without the cache.
    if (this.dirty && this.file !== undefined && writeAtomic(this.file, [JSON.stringify({ format: FORMAT, entries: this.entries })])) this.dirty = false;
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

function isFacts(v: unknown): v is ArchiveFacts {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  if (!(isStringRecord(f.scripts) && typeof f.hasBindingGyp === 'boolean' && isStringRecord(f.dependencies))) return false;
  if (f.verdict === undefined) return true;
  const cv = f.verdict as Record<string, unknown> | null;
  const verdict = cv?.verdict as Record<string, unknown> | undefined;
  return (
    !!cv && typeof cv.key === 'string' && Array.isArray(cv.extra) && !!verdict &&
    ['allow', 'strip', 'refuse'].includes(verdict.decision as string) && Array.isArray(verdict.findings) &&
    Array.isArray(verdict.lifecycle) && typeof verdict.runScripts === 'boolean'
  );
}
