import { parse, stringify } from 'smol-toml';
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from './output';

type Table = Record<string, unknown>;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parsed TOML; a file that is not TOML is a usage error naming it. */
export function parseToml(text: string, file: string): Table {
  try {
    return parse(text) as Table;
  } catch (e) {
    throw new UsageError(`${file}: not valid TOML, so Lifeguard did not change it (${(e as Error).message.split('\n')[0]})`);
  }
}

const at = (doc: Table, path: readonly string[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Table)[k] : undefined), doc);

/**
 * `values` set in the TOML table `table` (bunfig.toml's `[install]`, `[install.security]`) with
 * the rest of the file, comments included, kept as written: the key's line is replaced or added
 * under the table's header, or the table is appended. Only a table written in another form
 * (dotted keys, inline) makes it re-serialise the whole file. The result is always re-parsed.
 */
export function setTomlKeys(text: string, file: string, table: readonly string[], values: Readonly<Record<string, unknown>>): string {
  const doc = parseToml(text, file);
  const line = (k: string, v: unknown) => stringify({ [k]: v }).trim();
  const lines = text.split('\n');
  const header = new RegExp(`^\\s*\\[\\s*${table.map(esc).join('\\s*\\.\\s*')}\\s*\\]\\s*(?:#.*)?$`);
  const start = lines.findIndex((l) => header.test(l));
  let next: string;
  if (start < 0) {
    const block = [`[${table.join('.')}]`, ...Object.entries(values).map(([k, v]) => line(k, v))].join('\n');
    next = at(doc, table) === undefined ? `${text.trimEnd()}${text.trim() ? '\n\n' : ''}${block}\n` : '';
  } else {
    let end = start + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end] ?? '')) end++;
    for (const [k, v] of Object.entries(values)) {
      const keyLine = new RegExp(`^\\s*${esc(k)}\\s*=`);
      const i = lines.slice(start + 1, end).findIndex((l) => keyLine.test(l));
      if (i >= 0) lines[start + 1 + i] = line(k, v);
      else {
        lines.splice(start + 1, 0, line(k, v));
        end++;
      }
    }
    next = lines.join('\n');
  }
  if (next && Object.entries(values).every(([k, v]) => isDeepStrictEqual(at(safeParse(next), [...table, k]), v))) return next;
  // Fallback: the table is written some other way; merge into the parsed document.
  let t: Table = doc;
  for (const k of table) t = (t[k] ??= {}) as Table;
  Object.assign(t, values);
  return `${stringify(doc)}\n`;
}

function safeParse(text: string): Table {
  try {
    return parse(text) as Table;
  } catch {
    return {};
  }
}
