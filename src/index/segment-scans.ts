/**
 * Reading a frozen segment's streams in place, without decoding a list: which documents a term
 * holds (as bits), its positions in chosen documents, the whole forward index (document → terms),
 * a term's last document. The postings store (postings.ts) decodes and caches lists for scoring;
 * these scans serve the paths that touch thousands of terms once (unknown words, removal, append),
 * where a decoded, cached list per term would cost more than the scan.
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
