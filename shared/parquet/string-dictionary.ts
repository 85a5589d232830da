/**
 * The distinct strings of one dictionary-encoded column, each with its index (order of first
 * appearance): an open-addressing table keyed by a hash of the length and at most 16 characters.
 *
 * Why not a `Map`: the strings of a batch are new (`JSON.parse` made them), so a `Map` first
 * hashes every character of each one; a 110-character user agent costs that 10,000 times a
 * batch. Sampled characters plus the exact comparison a hit needs cost about a third less over
 * the benchmark's dictionary columns (`make bench`). Strings that differ only where no character
 * is sampled share a hash and cost a comparison each; `probes` counts the slots looked at, so
 * that a column with too many such collisions can stop using the dictionary (see StringValues).
 */
export class StringDictionary {
  readonly entries: string[] = [];
  /** Slots looked at by all lookups so far. */
  probes = 0;
  private hashes = new Int32Array(64);
  /** Entry index + 1 per slot, 0 when empty; at most half full. */
  private slots = new Int32Array(128);
  // Where the last unsuccessful `indexOf` stopped: `add` puts the entry there.
  private lastHash = 0;
  private lastSlot = 0;

  get size(): number {
    return this.entries.length;
  }

  /** The index of `text`, or -1 when it is not an entry (yet). */
  indexOf(text: string): number {
    const hash = sampledHash(text);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      this.probes += 1;
      const held = this.slots[slot] as number;
      if (held === 0) {
        this.lastHash = hash;
        this.lastSlot = slot;
        return -1;
      }
      if (this.hashes[held - 1] === hash && this.entries[held - 1] === text) return held - 1;
    }
  }

  /** Adds `text`, which `indexOf` has just not found; returns its index. */
  add(text: string): number {
    const index = this.entries.length;
    this.entries.push(text);
    if (index === this.hashes.length) {
      const hashes = new Int32Array(2 * index);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[index] = this.lastHash;
    if (2 * (index + 1) > this.slots.length) this.rehash(2 * this.slots.length);
    else this.slots[this.lastSlot] = index + 1;
    return index;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let index = 0; index < this.entries.length; index += 1) {
      let slot = (this.hashes[index] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}

/** Characters hashed at most: all of a short string, else 16 spread evenly, the last included. */
const SAMPLED = 16;

/** FNV-style 32-bit hash of the length and the sampled characters, its high bits folded down. */
export function sampledHash(text: string): number {
  const length = text.length;
  let hash = Math.imul(length, 0x9e3779b1);
  if (length <= SAMPLED)
    for (let i = 0; i < length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  else {
    const step = (length - 1) / (SAMPLED - 1);
    for (let i = 0; i < SAMPLED - 1; i += 1)
      hash = Math.imul(hash ^ text.charCodeAt((i * step) | 0), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(length - 1), 0x01000193);
  }
  return hash ^ (hash >>> 15);
}
