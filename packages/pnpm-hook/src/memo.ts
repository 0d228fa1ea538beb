/**
 * Remembered answers of the pnpmfile's updateConfig and preResolution: "with exactly these inputs
 * the engine answered this, said nothing and refused nothing". A hit costs a few file reads and one
 * hash, so the engine (core, the name lists, the policy compiler) is not loaded at all.
 *
 * The inputs are raw, never anything the engine computed: this build, the directory,
 * the working directory, pnpm's arguments (argv, and pnpm 12's command line from /proc), pnpm's
 * version, every environment variable the engine read (and those the cache and policy paths depend
 * on), and the files (fileInputs). Each field of what pnpm handed the hook (`config`,
 * preResolution's context) that the engine read is recorded with its value and compared on a hit:
 * the entry watches the engine's reads, so a field added to the engine later is keyed too.
 *
 * The entry keeps the inputs themselves, not a hash of them, and a hit compares them byte for byte:
 * no hash to collide (a lockfile in a pull request cannot be made to pass for the clean one), and
 * the hit path does not load node:crypto (≈ 2 ms in a fresh worker).
 *
 * Trust: entries live in Lifeguard's cache folder, never in the project (a folder inside the
 * project is not used: a repository must not be able to plant answers). An entry is used only if
 * it is a regular file owned by this user and writable by no one else, it parses whole, and its
 * format, build, kind and inputs are this call's; anything else is a miss.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { defaultCacheDir, userPolicyPath, writeAtomic } from '@lifeguard/loader/paths';

export const MEMO_FORMAT = 'lifeguard-pnpm-answer';
export const MEMO_VERSION = 1;
const MAX_MEMO_BYTES = 64 * 1024 * 1024;

export type MemoKind = 'updateConfig' | 'preResolution';

/** Environment variables always in the key: the policy and cache paths and os.homedir() depend on them. */
const FIXED_ENV = ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LIFEGUARD_POLICY', 'LIFEGUARD_CACHE_DIR', 'LIFEGUARD_FEED_CACHE', 'LIFEGUARD_FEED_CACHE_MIN', 'LIFEGUARD_FEED_RECHECK'];

export interface Memo {
  readonly format: string;
  readonly version: number;
  readonly build: string;
  readonly kind: MemoKind;
  /** Every input of the call but the fields, written out (inputs()). */
  readonly inputs: string;
  /** Fields of what pnpm handed the hook (`config`, preResolution's context) the engine read -> their serialized value then. */
  readonly fields: Record<string, string>;
  /** Environment variables the engine read. */
  readonly env: string[];
  readonly answer: unknown;
}

export interface KeyInputs {
  readonly build: string;
  readonly kind: MemoKind;
  readonly dir: string;
  readonly env: readonly string[];
  /** pnpm's version as this process knows it (pnpm 10/11: from updateConfig), or undefined. */
  readonly version: string | undefined;
}

/**
 * A value pnpm handed a hook as one string (functions and `undefined` named, so no two values read
 * the same), or undefined when it cannot be written down (a cycle): such a call is not remembered.
 */
export function serialize(value: unknown): string | undefined {
  if (value === undefined) return '(undefined)';
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? '(function)' : v === undefined ? '(undefined)' : typeof v === 'bigint' ? `(bigint ${v})` : v));
  } catch {
    return undefined;
  }
}

/** `(absent)` or the serialized value of `given[field]`. */
export const fieldValue = (given: object, field: string): string | undefined => (field in given ? serialize((given as Record<string, unknown>)[field]) : '(absent)');

/** The folder of remembered answers, or undefined when it would be inside the project (or cannot be placed). */
export function memoDir(projectDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let dir = join(defaultCacheDir(env), 'pnpm-answers');
  try {
    dir = realpathSync.native(dir);
  } catch {
    /* not created yet: the resolved path is checked */
  }
  const inside = (root: string) => {
    const rel = relative(root, dir);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  let real = projectDir;
  try {
    real = realpathSync.native(projectDir);
  } catch {
    /* compare as given */
  }
  return inside(resolve(projectDir)) || inside(real) ? undefined : dir;
}

/** FNV-1a, 64 bits: only names the entry's file (a collision costs a miss: the inputs are compared in full). */
function fnv(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(36);
}

/**
 * One entry per project, kind and command line (`pnpm install` and `pnpm install --frozen-lockfile`
 * alternate all day; one entry each keeps both answered).
 */
export function memoFile(folder: string, kind: MemoKind, projectDir: string): string {
  return join(folder, `${kind}-${fnv(`${resolve(projectDir)}\0${JSON.stringify(process.argv.slice(2))}\0${fileText(`/proc/${process.ppid}/cmdline`)}`)}`);
}

/** A file's text (latin1: every byte stands for itself), or a marker of why there is none (the inputs must differ either way). */
function fileText(file: string): string {
  try {
    return `=${readFileSync(file, 'latin1')}`;
  } catch (e) {
    return `(${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
}

/** The feeds a policy file names (`advisories.feeds`), resolved; undefined when it does not parse (the engine then refuses). */
function feedsOf(file: string, text: string): string[] | undefined {
  try {
    const doc = JSON.parse(Buffer.from(text, 'latin1').toString('utf8')) as { advisories?: { feeds?: unknown } };
    const feeds = doc?.advisories?.feeds;
    if (!Array.isArray(feeds)) return [];
    return feeds.filter((f): f is string => typeof f === 'string').map((f) => resolve(dirname(resolve(file)), f));
  } catch {
    return undefined;
  }
}

/** Length-prefixed parts: no choice of contents can make two different lists read the same. */
const joined = (parts: readonly string[]): string => parts.map((p) => `${p.length}:${p}`).join('');

/**
 * The files a verdict depends on, written out: the three policy files (LIFEGUARD_POLICY, the
 * project's, the user's), a stat fingerprint of each feed file they name, pnpm-lock.yaml and
 * pnpm-workspace.yaml. Undefined when it cannot be had cheaply: a feed folder's changes are only
 * seen by the loader's own freshness checks, which a remembered answer would skip.
 */
export function fileInputs(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const parts: string[] = [];
  const policies = [env.LIFEGUARD_POLICY ?? '', join(dir, 'lifeguard.json'), userPolicyPath(env) ?? ''];
  for (const file of policies) {
    if (file === '') {
      parts.push('(none)');
      continue;
    }
    const text = fileText(file);
    parts.push(file, text);
    if (!text.startsWith('=')) continue;
    for (const feed of feedsOf(file, text.slice(1)) ?? []) {
      let st;
      try {
        st = statSync(feed, { bigint: true });
      } catch (e) {
        parts.push(feed, `(${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
        continue;
      }
      if (!st.isFile()) return undefined;
      parts.push(feed, `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
    }
  }
  parts.push(fileText(join(dir, 'pnpm-lock.yaml')), fileText(join(dir, 'pnpm-workspace.yaml')));
  return joined(parts);
}

/** Every input of one call besides pnpm's own fields (compared one by one, see sameFields), written out. */
export function inputs(i: KeyInputs, files: string, env: NodeJS.ProcessEnv = process.env): string {
  const parts = [MEMO_FORMAT, String(MEMO_VERSION), i.build, i.kind, resolve(i.dir), process.cwd(), i.version ?? '(unknown)', JSON.stringify(process.argv.slice(2))];
  parts.push(fileText(`/proc/${process.ppid}/cmdline`));
  for (const name of [...new Set([...FIXED_ENV, ...i.env])].sort()) parts.push(name, env[name] === undefined ? '(unset)' : `=${env[name]}`);
  parts.push(files);
  return joined(parts);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Reads one entry; undefined for a missing, foreign, corrupt, truncated or unsafe file. */
export function readMemo(file: string, build: string, kind: MemoKind): Memo | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!st.isFile() || st.size > MAX_MEMO_BYTES || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    const buf = Buffer.alloc(st.size);
    if (readSync(fd, buf, 0, st.size, 0) !== st.size) return undefined;
    const m = JSON.parse(buf.toString('utf8')) as Partial<Memo>;
    if (m.format !== MEMO_FORMAT || m.version !== MEMO_VERSION || m.build !== build || m.kind !== kind) return undefined;
    if (typeof m.inputs !== 'string' || !isStringRecord(m.fields) || !isStrings(m.env) || !('answer' in m)) return undefined;
    return m as Memo;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Written atomically (temp file + rename); a failure only costs the next install a full check. */
export function writeMemo(file: string, memo: Memo): void {
  writeAtomic(file, [JSON.stringify(memo)]);
}

/** Whether every remembered field of what pnpm handed the hook still has the value it had. */
export const sameFields = (memo: Memo, given: object): boolean =>
  Object.entries(memo.fields).every(([field, value]) => fieldValue(given, field) === value);
