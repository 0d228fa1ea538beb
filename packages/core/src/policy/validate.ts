import { describe, PolicyError } from './errors';
import { policySchema, type SchemaNode } from './schema';

/** Checks `value` against the schema; throws PolicyError naming the first bad field. */
export function validateShape(value: unknown, file: string, node: SchemaNode = policySchema, path = '$'): void {
  switch (node.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new PolicyError(file, path, `an object (${node.description})`, describe(value));
      }
      for (const key of Object.keys(value)) {
        const child = Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
        if (child === undefined) {
          const known = Object.keys(node.properties).filter((k) => k !== '$schema').join(', ');
          throw new PolicyError(file, `${path}.${key}`, `one of the known keys (${known})`, `unknown key ${JSON.stringify(key)}`);
        }
        validateShape((value as Record<string, unknown>)[key], file, child, `${path}.${key}`);
      }
      if (node.properties.package && !Object.hasOwn(value, 'package')) {
        throw new PolicyError(file, `${path}.package`, 'a "package" key holding a package spec', 'no "package" key');
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) throw new PolicyError(file, path, `an array (${node.description})`, describe(value));
      value.forEach((item, i) => validateShape(item, file, node.items, `${path}[${i}]`));
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw new PolicyError(file, path, `a string (${node.description})`, describe(value));
      if (node.enum && !node.enum.includes(value)) {
        throw new PolicyError(file, path, `one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`, describe(value));
      }
      if (node.pattern && !new RegExp(node.pattern).test(value)) {
        throw new PolicyError(file, path, node.description, describe(value));
      }
      if (node.maxLength !== undefined && value.length > node.maxLength) {
        throw new PolicyError(file, path, `a string of at most ${node.maxLength} characters`, `${value.length} characters`);
      }
      return;
    }
    case 'anyOf': {
      const shapeOk = node.anyOf.find((n) => sameJsonType(n, value));
      if (!shapeOk) throw new PolicyError(file, path, node.expected, describe(value));
      validateShape(value, file, shapeOk, path);
      return;
    }
  }
}

function sameJsonType(node: SchemaNode, value: unknown): boolean {
  if (node.type === 'string') return typeof value === 'string';
  if (node.type === 'array') return Array.isArray(value);
  if (node.type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return false;
}
