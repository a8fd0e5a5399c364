/**
 * Writing a frozen segment: per term, its entries varint-encoded into the three streams (doc-id
 * gaps, frequencies, position gaps per entry and field) and the per-term table. `encodeSegment`
 * writes every term from lists; the postings store's `appendSegment` mixes that with copying
 * another segment's bytes (entries are self-contained apart from the first doc gap).
 */
import { ByteWriter } from './varint.js'
import type { FrozenPostings, PostingList } from './postings.js'


/** The three streams and per-term table of a segment being written. */
export class SegmentWriter {
  readonly docs = new ByteWriter()
  readonly freqs = new ByteWriter()
  readonly pos = new ByteWriter()
  readonly terms: string[] = []
  readonly counts: number[] = []
  readonly docsOffset: number[] = [0]
  readonly freqsOffset: number[] = [0]
  readonly posOffset: number[] = [0]

  constructor(private readonly F: number) {}

  /** Encode `lists`' entries (ids through `remap`; −1 drops one), gaps from `prev`; returns how many. */
  entries(lists: readonly PostingList[], prev: number, remap?: Int32Array): number {
    const { F, docs, freqs, pos } = this
    let n = 0
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const doc = remap ? remap[list.docs[i]!]! : list.docs[i]!
        if (doc < 0) continue
        docs.varint(doc - prev)
        prev = doc
        n++
        writeFreqs(freqs, list.freqs, i * F, F)
        let k = list.posStart[i]!
        for (let f = 0; f < F; f++) {
          const tf = list.freqs[i * F + f]!
          let last = 0
          for (let j = 0; j < tf; j++, k++) {
            const p = list.pos[k]!
            pos.varint(p - last)
            last = p
          }
        }
      }
    }
    return n
  }

  /** Close the current term with `count` entries (a term with none is left out). */
  endTerm(term: string, count: number): void {
    if (count === 0) return
    this.terms.push(term)
    this.counts.push(count)
    this.docsOffset.push(this.docs.length)
    this.freqsOffset.push(this.freqs.length)
    this.posOffset.push(this.pos.length)
  }

  /** Copy term `t`'s entries of segment `f` as they are, leaving the term open for more. */
  copyEntries(f: FrozenPostings, t: number): void {
    this.docs.append(f.docs.subarray(f.docsOffset[t]!, f.docsOffset[t + 1]!))
    this.freqs.append(f.freqs.subarray(f.freqsOffset[t]!, f.freqsOffset[t + 1]!))
    this.pos.append(f.pos.subarray(f.posOffset[t]!, f.posOffset[t + 1]!))
  }

  /** Copy terms [from, to) of segment `f` as they are: their bytes in one piece each, offsets shifted. */
  copyTerms(f: FrozenPostings, from: number, to: number): void {
    if (from >= to) return
    const base = [this.docs.length - f.docsOffset[from]!, this.freqs.length - f.freqsOffset[from]!, this.pos.length - f.posOffset[from]!]
    this.docs.append(f.docs.subarray(f.docsOffset[from]!, f.docsOffset[to]!))
    this.freqs.append(f.freqs.subarray(f.freqsOffset[from]!, f.freqsOffset[to]!))
    this.pos.append(f.pos.subarray(f.posOffset[from]!, f.posOffset[to]!))
    for (let t = from; t < to; t++) {
      this.terms.push(f.terms[t]!)
      this.counts.push(f.docCounts[t]!)
      this.docsOffset.push(f.docsOffset[t + 1]! + base[0]!)
      this.freqsOffset.push(f.freqsOffset[t + 1]! + base[1]!)
      this.posOffset.push(f.posOffset[t + 1]! + base[2]!)
    }
  }

  finish(): FrozenPostings {
    return {
      terms: this.terms,
      docCounts: Uint32Array.from(this.counts),
      docsOffset: Uint32Array.from(this.docsOffset),
      freqsOffset: Uint32Array.from(this.freqsOffset),
      posOffset: Uint32Array.from(this.posOffset),
      docs: this.docs.bytes(),
      freqs: this.freqs.bytes(),
      pos: this.pos.bytes(),
    }
  }
}

export function encodeSegment(
  sortedTerms: string[],
  partsOf: (term: string) => PostingList[],
  F: number,
  remap?: Int32Array,
): FrozenPostings {
  const out = new SegmentWriter(F)
  for (const term of sortedTerms) out.endTerm(term, out.entries(partsOf(term), 0, remap))
  return out.finish()
}

/**
 * Frequencies of one entry. With 2–4 fields, one varint holds the last field's frequency shifted
 * left by F−1 bits plus a bit per other field that is non-zero; those follow. The last field is
 * usually the long body and the others (title) are usually zero, so most entries take one byte
 * instead of F.
 */
export function writeFreqs(out: ByteWriter, freqs: ArrayLike<number>, at: number, F: number): void {
  if (F === 1 || F > 4) {
    for (let f = 0; f < F; f++) out.varint(freqs[at + f]!)
    return
  }
  let mask = 0
  for (let f = 0; f < F - 1; f++) if (freqs[at + f]! > 0) mask |= 1 << f
  out.varint(freqs[at + F - 1]! * (1 << (F - 1)) + mask)
  for (let f = 0; f < F - 1; f++) if (mask & (1 << f)) out.varint(freqs[at + f]!)
}
