/**
 * Which of a batch's keys were seen before, by a 32-bit piece of each key's keyed hash, in one
 * typed array: a Set of a batch's 50,000 CRM ids held every string for the batch's lifetime and
 * grew the heap by megabytes. Two different keys can share 32 bits, so "seen" means "maybe
 * seen": the caller treats it as a hint for an exact check (the decision statement compares the
 * ids themselves); a key seen before is never missed.
 */
export class SeenHashes {
  private slots = new Int32Array(1 << 16);
  private size = 0;

  /** Adds `hash` (any 32-bit integer); true when it was (maybe) added before. */
  add(hash: number): boolean {
    const key = hash === 0 ? 1 : hash; // 0 marks an empty slot
    const mask = this.slots.length - 1;
    for (let i = mix(key) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === key) return true;
      if (slot === 0) {
        this.slots[i] = key;
        this.size += 1;
        if (2 * this.size > this.slots.length) this.grow();
        return false;
      }
    }
  }

  clear(): void {
    this.slots.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    this.size = 0;
    for (const key of old) if (key !== 0) this.add(key);
  }
}

/** The keys are hash bytes already, but their low bits pick the slot: mixing guards against patterns. */
function mix(key: number): number {
  return Math.imul(key ^ (key >>> 16), 0x45d9f3b);
}
