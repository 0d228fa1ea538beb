/**
 * Ids `0..n-1` grouped by a small integer key, in id order (best rank first) within a group: a
 * counting sort into one Int32Array. The first verdict of a fresh process pays for whatever the
 * index builds, and two passes over a typed array cost a fraction of growing an array per key.
 */
export class IdGroups {
  private readonly start: Int32Array;
  private readonly ids: Int32Array;

  /** `keys[id]` is the group of `id`, below `groups`. */
  constructor(keys: Uint8Array, groups: number) {
    const start = new Int32Array(groups + 1);
    for (let id = 0; id < keys.length; id++) start[keys[id]! + 1]!++;
    for (let k = 0; k < groups; k++) start[k + 1]! += start[k]!;
    const next = start.slice(0, groups);
    const ids = new Int32Array(keys.length);
    for (let id = 0; id < keys.length; id++) ids[next[keys[id]!]!++] = id;
    this.start = start;
    this.ids = ids;
  }

  /** The ids in group `key`, ascending. */
  of(key: number): Int32Array {
    return this.ids.subarray(this.start[key], this.start[key + 1]);
  }
}
