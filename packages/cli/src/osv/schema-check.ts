/**
 * A JSON Schema 2020-12 checker for the keywords the vendored OSV schema uses, so the CLI bundle does
 * not carry a general validator (ajv 2020 with this schema bundles to 308 kB, 142 kB minified, and
 * compiles it on every run). A keyword it does not know is an error at first use, never a silent pass:
 * a schema update that adds one must extend this file (schema-check.test.ts proves it agrees with ajv
 * on the vendored schema). `format` is an annotation in 2020-12 (ajv's default too); the OSV timestamp
 * also carries a pattern.
 */

export interface SchemaProblem {
  /** JSON path of the offending value, e.g. `$.affected[0].package`. */
  readonly path: string;
  readonly message: string;
}

type Schema = boolean | { readonly [k: string]: unknown };
type Obj = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'format', '$defs', 'examples', '$comment', 'default']);
const KNOWN = new Set([
  ...ANNOTATIONS, 'type', 'properties', 'additionalProperties', 'required', 'items', 'enum', 'const', 'contains',
  'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', 'pattern', 'minItems', '$ref',
]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const key = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);

export class SchemaChecker {
  private readonly patterns = new Map<string, RegExp>();
  constructor(private readonly root: Obj) {}

  /** Every problem of `value` against the root schema (empty: valid). */
  check(value: unknown): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    this.visit(this.root, value, '$', out);
    return out;
  }

  private resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`schema-check: only local $ref is supported (got ${ref})`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) node = isObj(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (typeof node !== 'boolean' && !isObj(node)) throw new Error(`schema-check: unresolvable $ref ${ref}`);
    return node;
  }

  private regex(p: string): RegExp {
    let re = this.patterns.get(p);
    if (!re) this.patterns.set(p, (re = new RegExp(p, 'u')));
    return re;
  }

  private valid(schema: Schema, value: unknown): boolean {
    const out: SchemaProblem[] = [];
    this.visit(schema, value, '$', out);
    return out.length === 0;
  }

  private visit(schema: Schema, v: unknown, path: string, out: SchemaProblem[]): void {
    if (schema === true) return;
    if (schema === false) {
      out.push({ path, message: 'is not allowed here' });
      return;
    }
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema-check: unsupported keyword "${k}"`);
    const s = schema as Obj;
    if (typeof s.$ref === 'string') this.visit(this.resolve(s.$ref), v, path, out);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
        out.push({ path, message: `must be ${types.join(' or ')} (got ${t})` });
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v))) out.push({ path, message: `must be one of ${JSON.stringify(s.enum)}` });
    if (Object.hasOwn(s, 'const') && !deepEqual(s.const, v)) out.push({ path, message: `must be ${JSON.stringify(s.const)}` });
    if (typeof s.pattern === 'string' && typeof v === 'string' && !this.regex(s.pattern).test(v)) {
      out.push({ path, message: `must match ${s.pattern.length > 60 ? `${s.pattern.slice(0, 57)}...` : s.pattern}` });
    }
    if (isObj(v)) {
      const props = isObj(s.properties) ? s.properties : {};
      for (const r of Array.isArray(s.required) ? (s.required as string[]) : []) {
        if (!Object.hasOwn(v, r)) out.push({ path, message: `must have "${r}"` });
      }
      for (const [k, child] of Object.entries(v)) {
        if (Object.hasOwn(props, k)) this.visit(props[k] as Schema, child, key(path, k), out);
        else if (s.additionalProperties !== undefined) this.visit(s.additionalProperties as Schema, child, key(path, k), out);
      }
    }
    if (Array.isArray(v)) {
      if (s.items !== undefined) v.forEach((item, i) => this.visit(s.items as Schema, item, `${path}[${i}]`, out));
      if (typeof s.minItems === 'number' && v.length < s.minItems) out.push({ path, message: `must have at least ${s.minItems} items` });
      if (s.contains !== undefined && !v.some((item) => this.valid(s.contains as Schema, item))) out.push({ path, message: 'has no item of the required kind' });
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) this.visit(sub, v, path, out);
    if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => this.valid(sub, v))) out.push({ path, message: 'matches none of the allowed shapes' });
    if (Array.isArray(s.oneOf)) {
      const n = (s.oneOf as Schema[]).filter((sub) => this.valid(sub, v)).length;
      if (n !== 1) out.push({ path, message: n === 0 ? 'matches none of the allowed shapes' : 'matches more than one of the exclusive shapes' });
    }
    if (s.not !== undefined && this.valid(s.not as Schema, v)) out.push({ path, message: 'has a shape that is not allowed' });
    if (s.if !== undefined) {
      const branch = this.valid(s.if as Schema, v) ? s.then : s.else;
      if (branch !== undefined) this.visit(branch as Schema, v, path, out);
    }
  }
}
