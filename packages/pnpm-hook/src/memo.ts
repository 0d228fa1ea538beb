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
 * The entry keeps the inputs themselves (raw bytes after a JSON header line), not a hash of them,
 * and a hit compares them byte for byte:
 * no hash to collide (a lockfile in a pull request cannot be made to pass for the clean one), and
 * the hit path does not load node:crypto (≈ 2 ms in a fresh worker).
 *
 * Trust: entries live in Lifeguard's cache folder, never in the project (a folder inside the
 * project is not used: a repository must not be able to plant answers). An entry is used only if
 * it is a regular file owned by this user and writable by no one else, it parses whole, and its
 * format, build, kind and inputs are this call's; anything else is a miss.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { defaultCacheDir, userPolicyPath, writeAtomic } from '@lifeguard/loader/paths';
import { FEED_FILE_MAX_BYTES, readRegularFile, UnsafeFileError } from '@lifeguard/loader/safe-read';

export const MEMO_FORMAT = 'lifeguard-pnpm-answer';
export const MEMO_VERSION = 1;
const MAX_MEMO_BYTES = 64 * 1024 * 1024;
/** Opening never waits (a FIFO) and never takes a terminal. */
export const NONBLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export type MemoKind = 'updateConfig' | 'preResolution';

/** Environment variables always in the key: the policy and cache paths and os.homedir() depend on them. */
const FIXED_ENV = ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LIFEGUARD_POLICY', 'LIFEGUARD_CACHE_DIR', 'LIFEGUARD_FEED_CACHE', 'LIFEGUARD_FEED_CACHE_MIN', 'LIFEGUARD_FEED_RECHECK'];

/** What a remembered answer says: the header line of its file. */
export interface MemoHeader {
  readonly format: string;
  readonly version: number;
  readonly build: string;
  readonly kind: MemoKind;
  /** Byte length of the inputs (inputs()) written after the header. */
  readonly inputsBytes: number;
  /** Fields of what pnpm handed the hook (`config`, preResolution's context) the engine read, with the byte length of each one's value, written after the inputs. */
  readonly fields: Array<[string, number]>;
  /** Environment variables the engine read. */
  readonly env: string[];
  /** What the engine wrote to stderr, said again on a hit (notices; a refusal or a lockfile finding is never remembered). */
  readonly said: string[];
  readonly answer: unknown;
}

/** One remembered answer: its header, and its inputs and field values as they were. */
export interface Memo {
  readonly header: MemoHeader;
  readonly inputs: Buffer;
  /** field -> its serialized value then (fieldValue()). */
  readonly fields: Map<string, Buffer>;
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
 * the same), or undefined when it cannot be written down (a cycle, a Map): such a call is not remembered.
 */
export function serialize(value: unknown): string | undefined {
  if (value === undefined) return '(undefined)';
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      // A Map or Set would write down as `{}` whatever it holds: such a value is not remembered.
      if (v instanceof Map || v instanceof Set) throw new TypeError('not plain data');
      return typeof v === 'function' ? '(function)' : v === undefined ? '(undefined)' : typeof v === 'bigint' ? `(bigint ${v})` : v;
    });
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
  return join(folder, `${kind}-${fnv(`${resolve(projectDir)}\0${JSON.stringify(process.argv.slice(2))}\0${pnpmCommandLine().toString('latin1')}`)}`);
}

/**
 * A file's bytes, or a marker of why there are none (the inputs must differ either way). Read as
 * the loader reads a policy: a FIFO, a device or a link to /dev/zero is never opened blocking or
 * read without bound (F1); the engine then judges, and refuses it naming the file.
 */
function fileBytes(file: string): Buffer {
  try {
    return Buffer.concat([EQ, readRegularFile(file, FEED_FILE_MAX_BYTES)]);
  } catch (e) {
    return Buffer.from(`(${e instanceof UnsafeFileError ? e.found : ((e as NodeJS.ErrnoException).code ?? 'unreadable')})`);
  }
}
const EQ = Buffer.from('=');

let commandLine: Buffer | undefined;
/**
 * The parent's command line (pnpm 12's, its hook workers being its children), read once per process:
 * it does not change. Read plainly: procfs reports a size of 0 for it, so the bounded regular-file
 * reader would see every command line as one "file that grew" and `pnpm rebuild
 * --dangerously-allow-all-builds` would find plain `pnpm rebuild`'s answer.
 */
export const pnpmCommandLine = (): Buffer => (commandLine ??= procCommandLine(process.ppid));

export function procCommandLine(pid: number): Buffer {
  try {
    return Buffer.concat([EQ, readFileSync(`/proc/${pid}/cmdline`)]);
  } catch (e) {
    return Buffer.from(`(${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/** The feeds a policy file names (`advisories.feeds`), resolved; undefined when it does not parse (the engine then refuses). */
function feedsOf(file: string, bytes: Buffer): string[] | undefined {
  try {
    const doc = JSON.parse(bytes.toString('utf8', 1)) as { advisories?: { feeds?: unknown } };
    const feeds = doc?.advisories?.feeds;
    if (!Array.isArray(feeds)) return [];
    return feeds.filter((f): f is string => typeof f === 'string').map((f) => resolve(dirname(resolve(file)), f));
  } catch {
    return undefined;
  }
}

/** Length-prefixed parts: no choice of contents can make two different lists read the same. */
function joined(parts: ReadonlyArray<string | Buffer>): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p) : p;
    out.push(Buffer.from(`${b.length}:`), b);
  }
  return Buffer.concat(out);
}

/**
 * The files a verdict depends on, as they are: the three policy files (LIFEGUARD_POLICY, the
 * project's, the user's), a stat fingerprint of each feed file they name, pnpm-lock.yaml and
 * pnpm-workspace.yaml. Undefined when it cannot be had cheaply: a feed folder's changes are only
 * seen by the loader's own freshness checks, which a remembered answer would skip.
 */
export function fileInputs(dir: string, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const parts: Array<string | Buffer> = [];
  const policies = [env.LIFEGUARD_POLICY ?? '', join(dir, 'lifeguard.json'), userPolicyPath(env) ?? ''];
  for (const file of policies) {
    if (file === '') {
      parts.push('(none)');
      continue;
    }
    const bytes = fileBytes(file);
    parts.push(file, bytes);
    if (bytes[0] !== EQ[0]) continue;
    for (const feed of feedsOf(file, bytes) ?? []) {
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
  parts.push(fileBytes(join(dir, 'pnpm-lock.yaml')), fileBytes(join(dir, 'pnpm-workspace.yaml')));
  return joined(parts);
}

/** Every input of one call besides pnpm's own fields (compared one by one), as bytes. */
export function inputs(i: KeyInputs, files: Buffer, env: NodeJS.ProcessEnv = process.env): Buffer {
  const parts: Array<string | Buffer> = [MEMO_FORMAT, String(MEMO_VERSION), i.build, i.kind, resolve(i.dir), process.cwd(), i.version ?? '(unknown)', JSON.stringify(process.argv.slice(2))];
  parts.push(pnpmCommandLine());
  for (const name of [...new Set([...FIXED_ENV, ...i.env])].sort()) parts.push(name, env[name] === undefined ? '(unset)' : `=${env[name]}`);
  parts.push(files);
  return joined(parts);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isFieldList = (v: unknown): v is Array<[string, number]> =>
  Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && isCount(x[1]));

/** Reads one entry; undefined for a missing, foreign, corrupt, truncated or unsafe file. */
export function readMemo(file: string, build: string, kind: MemoKind): Memo | undefined {
  let fd: number;
  try {
    fd = openSync(file, NONBLOCKING); // a FIFO planted here must not hang the install
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!st.isFile() || st.size > MAX_MEMO_BYTES || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    const buf = Buffer.alloc(st.size);
    if (readSync(fd, buf, 0, st.size, 0) !== st.size) return undefined;
    const nl = buf.indexOf(10);
    if (nl < 0) return undefined;
    const h = JSON.parse(buf.toString('utf8', 0, nl)) as Partial<MemoHeader>;
    if (h.format !== MEMO_FORMAT || h.version !== MEMO_VERSION || h.build !== build || h.kind !== kind) return undefined;
    if (!isCount(h.inputsBytes) || !isFieldList(h.fields) || !isStrings(h.env) || !isStrings(h.said) || !('answer' in h)) return undefined;
    // Truncated or padded: the lengths must add up to the file, exactly.
    if (nl + 1 + h.inputsBytes + h.fields.reduce((n, [, len]) => n + len, 0) !== st.size) return undefined;
    let at = nl + 1 + h.inputsBytes;
    const fields = new Map<string, Buffer>();
    for (const [name, len] of h.fields) {
      fields.set(name, buf.subarray(at, at + len));
      at += len;
    }
    return { header: h as MemoHeader, inputs: buf.subarray(nl + 1, nl + 1 + h.inputsBytes), fields };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Written atomically (temp file + rename); a failure only costs the next install a full check. */
export function writeMemo(file: string, header: Omit<MemoHeader, 'format' | 'version' | 'inputsBytes' | 'fields'>, inputsNow: Buffer, fields: Record<string, string>): void {
  const values = Object.values(fields).map((v) => Buffer.from(v));
  const full: MemoHeader = { ...header, format: MEMO_FORMAT, version: MEMO_VERSION, inputsBytes: inputsNow.length, fields: Object.keys(fields).map((k, i) => [k, values[i]!.length]) };
  writeAtomic(file, [`${JSON.stringify(full)}\n`, inputsNow, ...values]);
}

/** The first remembered field of what pnpm handed the hook whose value changed, or undefined. */
export function changedField(memo: Memo, given: object): string | undefined {
  for (const [field, value] of memo.fields) {
    const now = fieldValue(given, field);
    if (now === undefined || !value.equals(Buffer.from(now))) return field;
  }
  return undefined;
}
