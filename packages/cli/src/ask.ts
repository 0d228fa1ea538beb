import { readSync } from 'node:fs';

/** A y/N answer from the terminal; anything but y/yes (or no terminal) is no. */
export function askYes(question: string): boolean {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  process.stdout.write(question);
  const buf = Buffer.alloc(64);
  for (;;) {
    try {
      const n = readSync(0, buf, 0, buf.length, null);
      return /^\s*y(?:es)?\s*$/i.test(buf.toString('utf8', 0, n));
    } catch (e) {
      // A terminal Node opened non-blocking: wait for the keystrokes.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}
