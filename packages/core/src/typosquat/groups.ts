/**
 * Ids `0..n-1` by a small integer key (a name's length, its first letter), listed per key on
 * demand. The first verdict of a fresh process pays for whatever the index builds and runs
 * before the JIT has compiled anything, so nothing is grouped ahead: a key's ids are found with
 * the typed array's native `indexOf`, a step per id of that key instead of one per id of the list.
 */
export class IdsByKey {
  /** `keys[id]` is the key of `id`. */
  constructor(private readonly keys: Uint8Array | Uint16Array) {}

  /** The ids whose key is `key`, ascending (best rank first). */
  of(key: number): number[] {
    const out: number[] = [];
    for (let id = this.keys.indexOf(key); id !== -1; id = this.keys.indexOf(key, id + 1)) out.push(id);
    return out;
  }
}
