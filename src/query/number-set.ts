/**
 * A set of whole numbers in [0, 2⁵³) kept in a Float64Array with open addressing. A Set<number>
 * boxes every key above 2³¹ in a heap number; position keys (document · fields + field) · 2²⁴ +
 * position are all above it, and one unknown-word query adds tens of thousands. Reusable:
 * `clear()` resets only the slots in use, so a set that once grew costs nothing to empty.
 */
export class NumberSet {
  private slots = new Float64Array(1024).fill(EMPTY)
  private mask = 1023
  private keys = new Float64Array(512)
  /** Where each key sits in `slots`, so clearing needs no probing. */
  private at = new Int32Array(512)
  size = 0

  add(key: number): void {
    let i = this.slot(key)
    while (this.slots[i] !== EMPTY) {
      if (this.slots[i] === key) return
      i = (i + 1) & this.mask
    }
    if ((this.size + 1) * 2 > this.slots.length) {
      this.grow()
      this.add(key)
      return
    }
    this.slots[i] = key
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.keys.length * 2)
      keys.set(this.keys)
      this.keys = keys
      const at = new Int32Array(this.at.length * 2)
      at.set(this.at)
      this.at = at
    }
    this.at[this.size] = i
    this.keys[this.size++] = key
  }

  has(key: number): boolean {
    for (let i = this.slot(key); this.slots[i] !== EMPTY; i = (i + 1) & this.mask) if (this.slots[i] === key) return true
    return false
  }

  /** The keys, in the order they were first added. */
  values(): Float64Array {
    return this.keys.subarray(0, this.size)
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) this.slots[this.at[k]!] = EMPTY
    this.size = 0
  }

  private slot(key: number): number {
    const hi = Math.floor(key / 16_777_216)
    let h = Math.imul(hi, 0x9e3779b1) ^ Math.imul(key - hi * 16_777_216, 0x85ebca77)
    h ^= h >>> 15
    return h & this.mask
  }

  private grow(): void {
    const keys = this.values().slice()
    this.slots = new Float64Array(this.slots.length * 2).fill(EMPTY)
    this.mask = this.slots.length - 1
    this.size = 0
    for (const key of keys) this.add(key)
  }
}

const EMPTY = -1
