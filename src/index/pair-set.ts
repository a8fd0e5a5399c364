/**
 * The adjacent Han character pairs the index's documents hold (keys of analysis/char-pairs.ts):
 * a query word with a pair outside the set is in no document, known without reading postings.
 *
 * It only grows: the pairs of a removed document stay (a superset costs a lookup that finds
 * something and falls through to the postings, never a wrong answer). Frozen pairs are one
 * ascending array (the file's form); pairs added one document at a time since the last freeze go
 * to a hash set, merged in at the next freeze. A file without the set (format 1) leaves it
 * unknown — every word may be present — until `rebuild` reads the stored documents.
 */
import { lowerBound } from './sorted-search.js'

export class PairSet {
  private frozen: Uint32Array
  private fresh = new KeySet()
  /** False for an index loaded without the set: until rebuilt, nothing can be ruled out. */
  private known: boolean

  constructor(frozen?: Uint32Array) {
    this.frozen = frozen ?? new Uint32Array(0)
    this.known = frozen !== undefined
  }

  get isKnown(): boolean {
    return this.known
  }

  /** Could some document hold the pair `key`? (Always, while the set is unknown.) */
  has(key: number): boolean {
    if (!this.known || this.fresh.has(key)) return true
    const at = lowerBound(this.frozen, key)
    return this.frozen[at] === key
  }

  /** A document's pairs (single adds). */
  add(keys: Uint32Array): void {
    for (let i = 0; i < keys.length; i++) this.fresh.add(keys[i]!)
  }

  /** A committed batch's pairs, ascending and distinct (`PairBatch.keys`). */
  merge(keys: Uint32Array): void {
    this.frozen = unionPairs(this.frozen, keys)
  }

  /** Move the pairs added one by one into the frozen array. */
  freeze(): void {
    if (this.fresh.size === 0) return
    this.merge(this.fresh.keys().sort())
    this.fresh = new KeySet()
  }

  /** The frozen pairs for the file (after `freeze`), or undefined while the set is unknown. */
  frozenKeys(): Uint32Array | undefined {
    return this.known ? this.frozen : undefined
  }

  /** Make the set known from every live document's pairs (`pairsOf` yields each document's distinct pairs). */
  rebuild(pairsOf: Iterable<Uint32Array>): void {
    const all = new PairBatch()
    for (const keys of pairsOf) all.add(keys)
    this.merge(all.keys())
    this.known = true
  }
}

/** The union of ascending distinct key lists, ascending and distinct. */
function unionPairs(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const out = new Uint32Array(a.length + b.length)
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    out[n++] = x <= y ? x : y
    if (x <= y) i++
    if (y <= x) j++
  }
  while (i < a.length) out[n++] = a[i++]!
  while (j < b.length) out[n++] = b[j++]!
  return out.slice(0, n)
}

/** A batch's pairs gathered document by document, handed over ascending at commit. */
export class PairBatch {
  private readonly set = new KeySet()

  add(keys: Uint32Array): void {
    for (let i = 0; i < keys.length; i++) this.set.add(keys[i]!)
  }

  keys(): Uint32Array {
    return this.set.keys().sort()
  }
}

/**
 * A set of non-zero 32-bit keys with open addressing (pair keys are never 0): a Set of
 * numbers would box every key above 2³¹, and a build adds millions.
 */
class KeySet {
  private slots = new Uint32Array(1024)
  size = 0

  has(key: number): boolean {
    const mask = this.slots.length - 1
    for (let i = hash(key) & mask; this.slots[i] !== 0; i = (i + 1) & mask) if (this.slots[i] === key) return true
    return false
  }

  add(key: number): void {
    const mask = this.slots.length - 1
    let i = hash(key) & mask
    for (; this.slots[i] !== 0; i = (i + 1) & mask) if (this.slots[i] === key) return
    this.slots[i] = key
    if (++this.size * 2 > this.slots.length) this.grow()
  }

  keys(): Uint32Array {
    const out = new Uint32Array(this.size)
    let n = 0
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] !== 0) out[n++] = this.slots[i]!
    return out
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    const mask = this.slots.length - 1
    for (let k = 0; k < old.length; k++) {
      const key = old[k]!
      if (key === 0) continue
      let i = hash(key) & mask
      while (this.slots[i] !== 0) i = (i + 1) & mask
      this.slots[i] = key
    }
  }
}

function hash(key: number): number {
  const h = Math.imul(key, 0x9e3779b1)
  return (h ^ (h >>> 15)) >>> 0
}
