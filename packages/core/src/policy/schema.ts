/**
 * The one definition of lifeguard.json's shape. `validate.ts` walks it to check a document,
 * and `toJsonSchema` turns it into lifeguard.schema.json for editors (a test keeps the
 * shipped file equal to the generated one).
 */
export type SchemaNode =
  | { readonly type: 'object'; readonly description: string; readonly properties: Readonly<Record<string, SchemaNode>> }
  | { readonly type: 'array'; readonly description: string; readonly items: SchemaNode }
  | {
      readonly type: 'string';
      readonly description: string;
      readonly enum?: readonly string[];
      readonly pattern?: string;
      readonly maxLength?: number;
      readonly default?: string;
    }
  | { readonly type: 'anyOf'; readonly description: string; readonly anyOf: readonly SchemaNode[]; readonly expected: string };

const SOURCE: SchemaNode = {
  type: 'string',
  description: 'The patched, git or exec: build this entry approves: a glob over its locator reference or lockfile key (an approval without it never covers such a build).',
  maxLength: 4096,
};

const spec = (what: string, withSource: boolean): SchemaNode => ({
  type: 'anyOf',
  description: what,
  expected: withSource ? 'a package spec string or { "package": spec, "reason": "...", "source": "..." }' : 'a package spec string or { "package": spec, "reason": "..." }',
  anyOf: [
    { type: 'string', description: '<name or minimatch glob>[@<semver range>]', maxLength: 512 },
    {
      type: 'object',
      description: withSource ? 'A package spec with the reason it is listed (and the non-registry build it approves).' : 'A package spec with the reason it is listed.',
      properties: {
        package: { type: 'string', description: '<name or minimatch glob>[@<semver range>]', maxLength: 512 },
        reason: { type: 'string', description: 'Why this entry exists (shown in reports).', maxLength: 2000 },
        ...(withSource ? { source: SOURCE } : {}),
      },
    },
  ],
});

const specList = (what: string, withSource = false): SchemaNode => ({ type: 'array', description: what, items: spec(what, withSource) });

export const DURATION_PATTERN = '^[0-9]{1,6}(m|h|d|w)$';

export const policySchema: SchemaNode = {
  type: 'object',
  description: 'Lifeguard policy: which npm packages may be installed and which may run install scripts.',
  properties: {
    $schema: { type: 'string', description: 'Path or URL of this JSON schema (for editors).' },
    mode: {
      type: 'string',
      description: '"enforce" (default) applies the policy; "warn" refuses and strips nothing and reports every finding.',
      enum: ['enforce', 'warn'],
      default: 'enforce',
    },
    scripts: {
      type: 'object',
      description: 'Dependency lifecycle scripts (preinstall, install, postinstall, implicit node-gyp rebuild, prepare of git dependencies).',
      properties: {
        unapproved: {
          type: 'string',
          description: 'What happens to scripts no allow entry approves: "skip" (default), "refuse" the install, or "run".',
          enum: ['skip', 'refuse', 'run'],
          default: 'skip',
        },
        allow: specList('Packages whose lifecycle scripts may run.', true),
        deny: specList('Packages whose lifecycle scripts never run; wins over allow.'),
      },
    },
    packages: {
      type: 'object',
      description: 'Packages refused or trusted outright.',
      properties: {
        deny: specList('Packages that are never installed.'),
        trust: specList('Packages exempt from typosquat, source and advisory checks (not from packages.deny).'),
      },
    },
    typosquat: {
      type: 'object',
      description: 'Names that imitate a popular package.',
      properties: {
        action: { type: 'string', description: '"refuse" (default), "warn" or "off".', enum: ['refuse', 'warn', 'off'], default: 'refuse' },
        ignore: {
          type: 'array',
          description: 'Package names never flagged as typosquats.',
          items: { type: 'string', description: 'A package name.', maxLength: 214 },
        },
      },
    },
    sources: {
      type: 'object',
      description: 'Dependencies of non-workspace packages fetched from git, http(s) tarballs or file:/link: paths.',
      properties: {
        exotic: { type: 'string', description: '"refuse" (default), "warn" or "off".', enum: ['refuse', 'warn', 'off'], default: 'refuse' },
        allow: {
          type: 'array',
          description: 'Dependency spec globs that are fine, e.g. "github:acme/*".',
          items: { type: 'string', description: 'A minimatch glob over the dependency spec.', maxLength: 2048 },
        },
      },
    },
    advisories: {
      type: 'object',
      description: 'Known-malicious releases from OSV feeds (e.g. a clone of ossf/malicious-packages).',
      properties: {
        feeds: {
          type: 'array',
          description: 'OSV JSON files or folders, relative to the policy file.',
          items: { type: 'string', description: 'A file or folder path.', maxLength: 4096 },
        },
        action: { type: 'string', description: '"refuse" (default) or "warn".', enum: ['refuse', 'warn'], default: 'refuse' },
      },
    },
    releaseAge: {
      type: 'object',
      description: "Versions published more recently than this are not resolved (set in each package manager's own gate).",
      properties: {
        minimum: {
          type: 'string',
          description: 'A duration: minutes "90m", hours "36h", days "3d" or weeks "1w".',
          pattern: DURATION_PATTERN,
        },
        exclude: specList('Packages exempt from the release age gate.'),
      },
    },
  },
};

type JsonSchema = Record<string, unknown>;

export function toJsonSchema(node: SchemaNode = policySchema, root = true): JsonSchema {
  const head: JsonSchema = root
    ? { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://lifeguard.dev/lifeguard.schema.json', title: 'lifeguard.json' }
    : {};
  switch (node.type) {
    case 'object':
      return {
        ...head,
        description: node.description,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, toJsonSchema(v, false)])),
        ...(node.properties.package ? { required: ['package'] } : {}),
      };
    case 'array':
      return { ...head, description: node.description, type: 'array', items: toJsonSchema(node.items, false) };
    case 'string':
      return {
        ...head,
        description: node.description,
        type: 'string',
        ...(node.enum ? { enum: node.enum } : {}),
        ...(node.pattern ? { pattern: node.pattern } : {}),
        ...(node.maxLength ? { maxLength: node.maxLength } : {}),
        ...(node.default !== undefined ? { default: node.default } : {}),
      };
    case 'anyOf':
      return { ...head, description: node.description, anyOf: node.anyOf.map((n) => toJsonSchema(n, false)) };
  }
}

/** The README's policy reference table, generated from the same definition (a test keeps them equal). */
export function policyReference(node: SchemaNode = policySchema, path = ''): string {
  const rows: string[] = path === '' ? ['| key | type | default | meaning |', '|---|---|---|---|'] : [];
  if (node.type !== 'object') return '';
  for (const [key, child] of Object.entries(node.properties)) {
    if (key === '$schema') continue;
    const p = path ? `${path}.${key}` : key;
    const type =
      child.type === 'object' ? 'object'
      : child.type === 'array' ? (child.items.type === 'anyOf' ? 'package specs' : 'strings')
      : child.type === 'string' ? (child.enum ? child.enum.map((e) => `\`"${e}"\``).join(' \\| ') : 'string')
      : 'spec';
    const dflt = child.type === 'string' && child.default !== undefined ? `\`"${child.default}"\`` : child.type === 'array' ? '`[]`' : '';
    if (child.type !== 'object') rows.push(`| \`${p}\` | ${type} | ${dflt} | ${child.description.replace(/\|/g, '\\|')} |`);
    else rows.push(`| \`${p}\` | object | | ${child.description} |`, ...policyReference(child, p).split('\n').filter(Boolean));
  }
  return rows.join('\n');
}
