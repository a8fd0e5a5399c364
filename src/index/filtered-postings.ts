/**
 * A posting list seen without the entries of removed documents: removal marks documents instead
 * of splicing every list they are in, and reads filter a touched list once per removal count.
 */
import type { PostingList } from './postings.js'

export /** A list without the entries of removed documents; positions are gathered on first read. */
class FilteredPostingList implements PostingList {
  readonly length: number
  readonly docs: Uint32Array
  readonly freqs: Uint32Array
  /** Entry numbers in the base list of the entries kept. */
  private readonly kept: Uint32Array
  private readonly base: PostingList
  private readonly fieldCount: number
  private positions?: { posStart: Uint32Array; pos: Uint32Array }

  constructor(base: PostingList, removed: ReadonlySet<number>, fieldCount: number) {
    this.base = base
    this.fieldCount = fieldCount
    const kept: number[] = []
    for (let i = 0; i < base.length; i++) if (!removed.has(base.docs[i]!)) kept.push(i)
    this.kept = Uint32Array.from(kept)
    this.length = kept.length
    this.docs = new Uint32Array(kept.length)
    this.freqs = new Uint32Array(kept.length * fieldCount)
    for (let j = 0; j < kept.length; j++) {
      const i = kept[j]!
      this.docs[j] = base.docs[i]!
      for (let f = 0; f < fieldCount; f++) this.freqs[j * fieldCount + f] = base.freqs[i * fieldCount + f]!
    }
  }

  get posStart(): Uint32Array {
    return this.gatherPositions().posStart
  }

  get pos(): Uint32Array {
    return this.gatherPositions().pos
  }

  private gatherPositions(): { posStart: Uint32Array; pos: Uint32Array } {
    if (this.positions) return this.positions
    const baseStart = this.base.posStart
    const basePos = this.base.pos
    const posStart = new Uint32Array(this.length + 1)
    for (let j = 0; j < this.length; j++) posStart[j + 1] = posStart[j]! + baseStart[this.kept[j]! + 1]! - baseStart[this.kept[j]!]!
    const pos = new Uint32Array(posStart[this.length]!)
    for (let j = 0; j < this.length; j++) {
      const from = baseStart[this.kept[j]!]!
      for (let k = 0; k < posStart[j + 1]! - posStart[j]!; k++) pos[posStart[j]! + k] = basePos[from + k]!
    }
    return (this.positions = { posStart, pos })
  }
}
