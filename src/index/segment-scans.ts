/**
 * Reading a frozen segment's streams in place, without decoding a list: which documents a term
 * holds (as bits), its positions in chosen documents (all at once, or entry by entry for phrases),
 * the whole forward index (document → terms), a term's last document. The postings store
 * (postings.ts) decodes and caches lists for scoring; these scans serve the paths that touch
 * thousands of terms once (unknown words, removal, append) or a few entries of long lists
 * (phrases), where a decoded, cached list per term would cost more than the scan.
 *
 * The doc-id loops test for a one-byte gap before calling `varintAt`: nearly every gap is one
 * byte, and skipping the call and its shared-cursor write makes them ~3× faster on 3.4M postings.
 */
import { ByteReader, varintAt, varintEnd } from './varint.js'
import { JiansuoError } from '../errors.js'
import type { FrozenPostings } from './postings.js'

/**
 * Set the bit of every document term number `t` lists (removed ones included) in `bits`: the
 * doc-id stream only, no frequencies, no list allocated. Costs the term's entry count.
 */
export function markDocs(f: FrozenPostings, t: number, bits: Uint32Array): void {
  let at = f.docsOffset[t]!
  let doc = 0
  const bytes = f.docs
  for (let i = f.docCounts[t]!; i > 0; i--) {
    const byte = bytes[at]!
    if (byte < 0x80) {
      doc += byte
      at++
    } else {
      doc += varintAt(bytes, at)
      at = varintEnd.offset
    }
    // Load verified ids ascend below the document count, which sized `bits`.
    bits[doc >>> 5]! |= 1 << (doc & 31)
  }
}

let freqScratch = new Uint32Array(4)

/**
 * Call `fn(doc, field, position)` for every position of term number `t` in the documents `keep`
 * accepts (removed ones included), reading the three streams in place: no list is decoded or
 * cached, and the positions of the other entries are skipped a byte at a time.
 */
export function eachPosition(f: FrozenPostings, t: number, F: number, keep: (doc: number) => boolean, fn: (doc: number, field: number, position: number) => void): void {
  if (freqScratch.length < F) freqScratch = new Uint32Array(F)
  const freqs = freqScratch
  const fr = new ByteReader(f.freqs, f.freqsOffset[t]!)
  const pos = f.pos
  const posEnd = f.posOffset[t + 1]!
  let docAt = f.docsOffset[t]!
  let posAt = f.posOffset[t]!
  let doc = 0
  for (let i = f.docCounts[t]!; i > 0; i--) {
    doc += varintAt(f.docs, docAt)
    docAt = varintEnd.offset
    readFreqs(fr, freqs, 0, F)
    if (!keep(doc)) {
      let n = 0
      for (let field = 0; field < F; field++) n += freqs[field]!
      for (; n > 0 && posAt < posEnd; posAt++) if (pos[posAt]! < 0x80) n--
      continue
    }
    for (let field = 0; field < F; field++) {
      let position = 0
      for (let j = freqs[field]!; j > 0; j--) {
        position += varintAt(pos, posAt)
        posAt = varintEnd.offset
        fn(doc, field, position)
      }
    }
  }
}

/** Where each entry of a frozen term has its positions, for reading them in place (`positionStarts`). */
export interface PositionStarts {
  /** Byte offsets into the segment's position stream, one per entry and the term's end. */
  starts: Uint32Array
  /** The most positions an entry has. */
  most: number
}

/**
 * Where each entry's positions start in term number `t`'s position bytes, counted from its
 * frequencies (`freqs`, `F` per entry): one pass that decodes no position. With it a phrase reads
 * the positions of its candidate entries only.
 */
export function positionStarts(f: FrozenPostings, t: number, freqs: Uint32Array, F: number): PositionStarts {
  const n = f.docCounts[t]!
  const starts = new Uint32Array(n + 1)
  const bytes = f.pos
  const end = f.posOffset[t + 1]!
  let at = (starts[0] = f.posOffset[t]!)
  const found: PositionStarts = { starts, most: 0 }
  // Nothing after the loop: code first reached after a long loop's first run would deoptimize
  // the loop V8 compiled in place, on every call (see decodeDocs in postings.ts).
  for (let i = 0; i < n; i++) {
    let count = 0
    for (let g = 0; g < F; g++) count += freqs[i * F + g]!
    if (count > found.most) found.most = count
    // A position's varint ends at its one byte below 0x80 (counted without a branch).
    for (; count > 0 && at < end; at++) count -= (bytes[at]! >>> 7) ^ 1
    starts[i + 1] = at
  }
  return found
}

/**
 * One frozen term's positions read in place, an entry at a time (a phrase's candidates), from
 * where `positionStarts` says each begins: the other entries' are neither decoded nor kept.
 */
export class FrozenPositions {
  private readonly bytes: Uint8Array
  private readonly starts: Uint32Array
  private readonly freqs: Uint32Array
  private readonly F: number
  /** Sized for the largest entry: a buffer grown on a first query's first long entry would deoptimize `read`. */
  private readonly buffer: Uint32Array

  constructor(f: FrozenPostings, { starts, most }: PositionStarts, freqs: Uint32Array, F: number) {
    this.bytes = f.pos
    this.starts = starts
    this.freqs = freqs
    this.F = F
    this.buffer = new Uint32Array(most)
  }

  /**
   * Entry `entry`'s positions from index 0, field after field (each field's ascending, as many as
   * its frequency), in a buffer the next call overwrites.
   */
  read(entry: number): Uint32Array {
    const { bytes, freqs, F, buffer } = this
    let at = this.starts[entry]!
    let count = 0
    for (let f = 0; f < F; f++) count += freqs[entry * F + f]!
    // One loop over the entry's positions; each field's gaps start again from 0.
    let field = 0
    let fieldEnd = freqs[entry * F]!
    let position = 0
    for (let k = 0; k < count; k++) {
      while (k === fieldEnd) {
        fieldEnd += freqs[entry * F + ++field]!
        position = 0
      }
      // Inline, every byte by the same steps: a first query's longer gaps (past 127) then run code
      // V8 compiled already, instead of deoptimizing it.
      let byte: number
      let scale = 1
      do {
        byte = bytes[at++]!
        position += (byte & 0x7f) * scale
        scale *= 0x80
      } while (byte >= 0x80)
      buffer[k] = position
    }
    return buffer
  }
}

/**
 * For every document of the segment, the term numbers it holds (`terms[start[d] .. start[d + 1])`):
 * the forward index removal reads. One pass over the doc-id streams (the terms' ranges follow each
 * other, so one cursor), then a counting sort by document.
 */
export function forwardIndex(f: FrozenPostings, documentCount: number): { start: Uint32Array; terms: Uint32Array } {
  const T = f.terms.length
  let total = 0
  for (let t = 0; t < T; t++) total += f.docCounts[t]!
  const docsOf = new Uint32Array(total)
  const start = new Uint32Array(documentCount + 1)
  let k = 0
  const bytes = f.docs
  let at = 0
  for (let t = 0; t < T; t++) {
    let doc = 0
    for (let i = f.docCounts[t]!; i > 0; i--) {
      const byte = bytes[at]!
      if (byte < 0x80) {
        doc += byte
        at++
      } else {
        doc += varintAt(bytes, at)
        at = varintEnd.offset
      }
      if (doc >= documentCount) {
        throw new JiansuoError('INDEX_CORRUPT', `The postings of term ${JSON.stringify(f.terms[t])} point past the last document; rebuild the index.`)
      }
      docsOf[k++] = doc
      start[doc + 1]!++
    }
    if (at !== f.docsOffset[t + 1]) throw new JiansuoError('INDEX_CORRUPT', `The postings of term ${JSON.stringify(f.terms[t])} do not fill their byte range; rebuild the index.`)
  }
  for (let d = 0; d < documentCount; d++) start[d + 1]! += start[d]!
  const cursor = start.slice(0, documentCount)
  const terms = new Uint32Array(total)
  k = 0
  for (let t = 0; t < T; t++) for (let i = f.docCounts[t]!; i > 0; i--) terms[cursor[docsOf[k++]!]!++] = t
  return { start, terms }
}

/** The last document id of term `t` (the sum of its doc gaps): where appended gaps start. */
export function lastDocOf(f: FrozenPostings, t: number): number {
  const docs = f.docs
  let lastDoc = 0
  for (let at = f.docsOffset[t]!, end = f.docsOffset[t + 1]!; at < end; ) {
    const byte = docs[at]!
    if (byte < 0x80) {
      lastDoc += byte
      at++
    } else {
      lastDoc += varintAt(docs, at)
      at = varintEnd.offset
    }
  }
  return lastDoc
}

/** Frequencies of one entry as `writeFreqs` (segment-writer.ts) encodes them. */
export function readFreqs(r: ByteReader, freqs: Uint32Array, at: number, F: number): void {
  if (F === 1 || F > 4) {
    for (let f = 0; f < F; f++) freqs[at + f] = r.varint()
    return
  }
  const v = r.varint()
  const mask = v % (1 << (F - 1))
  freqs[at + F - 1] = Math.floor(v / (1 << (F - 1)))
  for (let f = 0; f < F - 1; f++) freqs[at + f] = mask & (1 << f) ? r.varint() : 0
}
