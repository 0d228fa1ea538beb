/**
 * Names, versions and messages come from lockfiles, registries and node_modules, which an attacker
 * writes. An ESC sequence, CR, BEL or newline in a package name can rewrite the terminal ("nothing
 * refused"), and bidi overrides can reorder what is read. Human output shows them as escapes.
 */
// C0 controls, DEL, C1 controls, line/paragraph separators, bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `s` with every control and bidi character written as `\uXXXX`. */
export const printable = (s: string): string => s.replace(UNSAFE, escapeChar);
