/**
 * A policy that cannot be read exactly as written must stop the install: a typo in an
 * allowlist must never turn into "allow everything" or "check nothing".
 */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    /** The policy file (or `LIFEGUARD_POLICY`) the error is about. */
    readonly file: string,
    /** JSON path of the bad field, `$` for the document itself. */
    readonly path: string,
    /** What was expected there, in words. */
    readonly expected: string,
    /** What was found, shortened. */
    readonly found?: string,
  ) {
    super(
      `Lifeguard: invalid policy ${file} at ${path}: expected ${expected}` +
        (found === undefined ? '' : `, found ${found}`) +
        '. Fix the file (or unset LIFEGUARD_POLICY); Lifeguard refuses to install with a policy it cannot read.',
    );
  }
}

/** Short, printable rendering of an offending value (huge strings are cut). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const s = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(s);
  }
  return `${typeof value} ${String(value)}`;
}
