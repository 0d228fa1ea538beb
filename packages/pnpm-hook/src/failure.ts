/** An Error whose message is the whole story: no stack (pnpm prints stacks after the message). */
export function failure(message: string): Error {
  const e = new Error(message);
  e.stack = '';
  return e;
}
