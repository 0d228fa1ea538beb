import schema from '../../vendor/osv-schema/schema.json';
import { SchemaChecker, type SchemaProblem } from './schema-check';

let checker: SchemaChecker | undefined;

/**
 * Problems of an OSV record against the vendored OSV schema. A draft for ossf/malicious-packages
 * carries no `id` (the database assigns it, CONTRIBUTING.md), so for drafts that one requirement is waived.
 */
export function osvProblems(record: unknown, opts: { draft?: boolean } = {}): SchemaProblem[] {
  checker ??= new SchemaChecker(schema as Record<string, unknown>);
  const problems = checker.check(record);
  return opts.draft ? problems.filter((p) => !(p.path === '$' && p.message === 'must have "id"')) : problems;
}

export { type SchemaProblem } from './schema-check';
