/** Sets of internal document ids as bitsets (32 per word): what unknown-word matching intersects. */

export function hasBit(bits: Uint32Array, doc: number): boolean {
  return doc >>> 5 < bits.length && (bits[doc >>> 5]! & (1 << (doc & 31))) !== 0
}

export function setBit(bits: Uint32Array, doc: number): true {
  if (doc >>> 5 < bits.length) bits[doc >>> 5]! |= 1 << (doc & 31)
  return true
}

export function popCount(bits: Uint32Array): number {
  let n = 0
  for (let i = 0; i < bits.length; i++) n += popCountWord(bits[i]!)
  return n
}

/** The ids in `bits`, ascending. */
export function bitsToIds(bits: Uint32Array): number[] {
  const ids: number[] = []
  for (let w = 0; w < bits.length; w++) {
    for (let v = bits[w]!; v !== 0; v &= v - 1) ids.push(w * 32 + (31 - Math.clz32(v & -v)))
  }
  return ids
}

/** A set of document ids below a fixed limit, as a bitset that knows its size: one bit per id. */
export class DocBits {
  readonly bits: Uint32Array
  size = 0

  constructor(limit: number) {
    this.bits = new Uint32Array((limit + 31) >>> 5)
  }

  add(doc: number): void {
    const w = doc >>> 5
    const bit = 1 << (doc & 31)
    if (w >= this.bits.length || (this.bits[w]! & bit) !== 0) return
    this.bits[w]! |= bit
    this.size++
  }

  has(doc: number): boolean {
    return hasBit(this.bits, doc)
  }

  /** Count the set bits again, after the words were changed directly. */
  recount(): void {
    this.size = popCount(this.bits)
  }

  /** The ids, ascending. */
  ids(): number[] {
    return bitsToIds(this.bits)
  }

  /** Add every id of `other`. */
  addAll(other: DocBits): void {
    const n = Math.min(this.bits.length, other.bits.length)
    let size = 0
    for (let w = 0; w < this.bits.length; w++) {
      if (w < n) this.bits[w]! |= other.bits[w]!
      size += popCountWord(this.bits[w]!)
    }
    this.size = size
  }
}

function popCountWord(v: number): number {
  v -= (v >>> 1) & 0x55555555
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}
