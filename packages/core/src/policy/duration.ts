import { DURATION_PATTERN } from './schema';

const MINUTES = { m: 1, h: 60, d: 60 * 24, w: 60 * 24 * 7 } as const;

/** "90m" | "36h" | "3d" | "1w" -> minutes. The schema has already checked the shape. */
export function durationToMinutes(text: string): number {
  const m = new RegExp(DURATION_PATTERN).exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(text.slice(0, -1)) * MINUTES[m[1] as keyof typeof MINUTES];
}
