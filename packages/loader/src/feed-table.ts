import { entryAffects, type AdvisoryIndex, type AdvisoryMatch, type AffectedEntry } from '@lifeguard/core';

/**
 * Body layout, chosen so that a cached load does no per-name work (JSON.parse of a 200,000-key
 * object alone costs ~190 ms; building a Map of them ~40 ms):
 *
 *   <names, "\n"-joined> \0 <values, "\n"-joined> \0 <hash table, base64 of an Int32Array>
 *
 * `values[i]` belongs to `names[i]`: either a bare advisory id (every version, no aliases, the OSSF
 * summary "Malicious code in <name> (npm)": most records), or a JSON array of entries, each a bare
 * id or `[id, all(0|1), versions, ranges, aliases, summary]` (summary `0` = that standard text).
 * The table is open addressing over FNV-1a of the name (slot = index + 1, 0 = empty), so a lookup
 * is a hash, a probe or two and one string comparison. Names with control characters cannot be
 * npm names and are dropped (they would also break the line layout).
 */
export type Encoded = string | [string, 0 | 1, string[], AffectedEntry['ranges'], string[], string | 0 | null];

const standardSummary = (name: string) => `Malicious code in ${name} (npm)`;
const CONTROL = /[\u0000-\u001f\u2028\u2029]/;

export function encode(e: AffectedEntry): Encoded {
  const summary = e.summary === standardSummary(e.name) ? 0 : (e.summary ?? null);
  if (e.all && e.aliases.length === 0 && summary === 0 && !CONTROL.test(e.id) && !e.id.startsWith('[')) return e.id;
  return [e.id, e.all ? 1 : 0, [...e.versions], e.ranges, [...e.aliases], summary];
}

function decode(name: string, v: Encoded, source: string): AffectedEntry {
  if (typeof v === 'string') return { name, id: v, aliases: [], summary: standardSummary(name), source, all: true, versions: [], ranges: [] };
  const [id, all, versions, ranges, aliases, summary] = v;
  return { name, id, aliases, summary: summary === 0 ? standardSummary(name) : (summary ?? undefined), source, all: all === 1, versions, ranges };
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function tableSize(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/** Serialises name -> entries into the body text. */
export function serialize(byName: Map<string, Encoded[]>): { text: string; names: number } {
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, list] of byName) {
    if (CONTROL.test(name)) continue;
    names.push(name);
    values.push(list.length === 1 && typeof list[0] === 'string' ? list[0] : JSON.stringify(list));
  }
  const size = tableSize(names.length);
  const table = new Int32Array(size);
  const mask = size - 1;
  names.forEach((name, i) => {
    let slot = fnv1a(name) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  });
  const b64 = Buffer.from(table.buffer, table.byteOffset, table.byteLength).toString('base64');
  return { text: `${names.join('\n')}\u0000${values.join('\n')}\u0000${b64}`, names: names.length };
}

/** The compiled feed, straight from the body text: O(1) by name, entries decoded on demand. */
export class CompiledFeedIndex implements AdvisoryIndex {
  private readonly names: string[];
  private readonly values: string[];
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Entries decoded so far (only names that were looked up and carry more than a bare id). */
  private readonly decoded = new Map<number, AffectedEntry[]>();

  constructor(
    bodyText: string,
    private readonly source: string,
  ) {
    const a = bodyText.indexOf('\u0000');
    const b = bodyText.indexOf('\u0000', a + 1);
    if (a < 0 || b < 0) throw new Error('corrupt feed index body');
    this.names = a === 0 ? [] : bodyText.slice(0, a).split('\n');
    this.values = a + 1 === b ? [] : bodyText.slice(a + 1, b).split('\n');
    const raw = Buffer.from(bodyText.slice(b + 1), 'base64');
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    this.table = new Int32Array(copy.buffer);
    this.mask = this.table.length - 1;
    if (this.names.length !== this.values.length || this.table.length < this.names.length || (this.table.length & this.mask) !== 0) {
      throw new Error('corrupt feed index body');
    }
  }

  get size(): number {
    return this.names.length;
  }

  private find(name: string): number {
    let slot = fnv1a(name) & this.mask;
    for (let probes = 0; probes <= this.mask; probes++) {
      const i = this.table[slot] as number;
      if (i === 0) return -1;
      if (this.names[i - 1] === name) return i - 1;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.find(name) >= 0;
  }

  match(name: string, version: string): AdvisoryMatch[] {
    const i = this.find(name);
    if (i < 0) return [];
    const raw = this.values[i] as string;
    // the common case, a bare id: every version, nothing to decode
    if (raw.charCodeAt(0) !== 91 /* [ */) return [{ id: raw, aliases: [], summary: standardSummary(name), source: this.source }];
    let entries = this.decoded.get(i);
    if (entries === undefined) {
      entries = (JSON.parse(raw) as Encoded[]).map((enc) => decode(name, enc, this.source));
      this.decoded.set(i, entries);
    }
    const out: AdvisoryMatch[] = [];
    for (const e of entries) {
      if (!entryAffects(e, version) || out.some((m) => m.id === e.id)) continue;
      out.push({ id: e.id, aliases: e.aliases, summary: e.summary, source: e.source });
    }
    return out;
  }
}
