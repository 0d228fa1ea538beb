import { writeFileSync } from 'node:fs';
import pc from 'picocolors';
import { type Colors } from '@lifeguard/core';

/** picocolors honours NO_COLOR / FORCE_COLOR and non-TTY output. */
export const colors: Colors = pc;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Writes to --output FILE when given, else stdout. */
export function emit(text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}
