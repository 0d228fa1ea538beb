import { parse, type ArrayNode, type ObjectNode, type ValueNode } from '@humanwhocodes/momoa';

/** A key written twice in one JSON object: JSON.parse keeps the last one without a word. */
export interface DuplicateKey {
  readonly key: string;
  /** JSON path of the second occurrence, e.g. `$.scripts.allow`. */
  readonly path: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const step = (seg: string | number): string => (typeof seg === 'number' ? `[${seg}]` : IDENT.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`);

/**
 * The first duplicate key in a JSON text that JSON.parse accepted (`parsed` is its result), or undefined. Keys are
 * compared as decoded (`"a"` and `"\u0061"` are the same key), `__proto__` like any other.
 * The walk is iterative (deep nesting cannot overflow it); momoa's parser may throw a
 * RangeError on nesting deeper than the stack allows, which callers treat as invalid input.
 */
export function findDuplicateKey(text: string, parsed: unknown): DuplicateKey | undefined {
  // Every key written is a string followed by `:`, so the text has at least as many `"…:` as keys
  // written; if JSON.parse kept that many, none was dropped. Only a text with more (a duplicate, or
  // a string value holding `":`) pays for the full parse below: feeds of 220,000 records stay fast.
  if (keyColons(text) <= memberCount(parsed)) return undefined;
  const doc = parse(text, { mode: 'json' });
  const todo: Array<{ node: ValueNode; path: string }> = [{ node: doc.body, path: '$' }];
  for (let item = todo.pop(); item; item = todo.pop()) {
    const { node, path } = item;
    if (node.type === 'Object') {
      const seen = new Set<string>();
      for (const m of (node as ObjectNode).members) {
        const key = m.name.type === 'String' ? m.name.value : m.name.name;
        if (seen.has(key)) return { key, path: path + step(key) };
        seen.add(key);
        todo.push({ node: m.value, path: path + step(key) });
      }
    } else if (node.type === 'Array') {
      (node as ArrayNode).elements.forEach((e, i) => todo.push({ node: e.value, path: path + step(i) }));
    }
  }
  return undefined;
}

const KEY_COLON = /"[ \t\n\r]*:/g;

function keyColons(text: string): number {
  let n = 0;
  KEY_COLON.lastIndex = 0;
  while (KEY_COLON.exec(text) !== null) n++;
  return n;
}

/** Own keys of every object in a JSON.parse result (iterative: nesting depth does not matter). */
function memberCount(value: unknown): number {
  let n = 0;
  const todo: unknown[] = [value];
  for (let v = todo.pop(); todo.length > 0 || v !== undefined; v = todo.pop()) {
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) for (const e of v) todo.push(e);
    else {
      const keys = Object.keys(v);
      n += keys.length;
      for (const k of keys) todo.push((v as Record<string, unknown>)[k]);
    }
  }
  return n;
}
