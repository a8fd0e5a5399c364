/**
 * Structural check of a frozen segment read from a file, before anything searches it.
 *
 * The checksum only proves the bytes are the ones written; a crafted file can carry a valid
 * checksum. So every term's entries are walked once, as the reader will decode them: its entry
 * count must consume exactly its byte range in each of the three streams (else it reads another
 * term's entries), document ids ascend strictly below the document count, every entry has a
 * non-zero frequency, and each field's positions lie inside that field's recorded length. One
 * pass over the streams, no allocation: ~70 ms for the 28 MB xwlb index, which the CRC already
 * reads whole anyway.
 */
import { varintAt, varintEnd } from './varint.js'
import { JiansuoError } from '../errors.js'
import type { FrozenPostings } from './postings.js'

export function checkFrozenSegment(segment: FrozenPostings, lengths: readonly ArrayLike<number>[], documentCount: number): void {
  const F = lengths.length
  const { terms, docCounts, docsOffset, freqsOffset, posOffset, docs, freqs, pos } = segment
  // Frequencies as the writer packs them (postings.ts writeFreqs): with 2–4 fields, the last
  // field's frequency shifted left by F−1 bits plus one bit per other non-zero field, then those.
  const packed = F > 1 && F <= 4
  const shift = 2 ** (F - 1)
  const tf = new Float64Array(F)
  let d = 0
  let q = 0
  let p = 0
  // `t` is passed, not captured: a captured loop counter lives in a context slot and slows the loop.
  const fail = (t: number, what: string): never => {
    throw new JiansuoError('INDEX_CORRUPT', `The postings of term ${JSON.stringify(terms[t])} are damaged (${what}); rebuild the index from the source documents or restore a backup.`)
  }
  for (let t = 0; t < terms.length; t++) {
    const n = docCounts[t]!
    const posEnd = posOffset[t + 1]!
    let doc = -1
    for (let i = 0; i < n; i++) {
      const gap = varintAt(docs, d)
      d = varintEnd.offset
      if (i > 0 && gap === 0) fail(t, `entry ${i} repeats document ${doc}`)
      doc = i === 0 ? gap : doc + gap
      if (doc >= documentCount) fail(t, `entry ${i} points at document ${doc} of ${documentCount}`)
      let sum = 0
      if (packed) {
        const v = varintAt(freqs, q)
        q = varintEnd.offset
        const mask = v % shift
        tf[F - 1] = Math.floor(v / shift)
        for (let f = 0; f < F - 1; f++) {
          if (mask & (1 << f)) {
            tf[f] = varintAt(freqs, q)
            q = varintEnd.offset
          } else tf[f] = 0
        }
      } else {
        for (let f = 0; f < F; f++) {
          tf[f] = varintAt(freqs, q)
          q = varintEnd.offset
        }
      }
      for (let f = 0; f < F; f++) sum += tf[f]!
      if (sum === 0) fail(t, `entry ${i} has no occurrence`)
      // Each position takes at least one byte: a frequency larger than the bytes left is damage,
      // caught before it drives a long loop.
      if (sum > posEnd - p) fail(t, `entry ${i} has more positions than bytes`)
      for (let f = 0; f < F; f++) {
        let last = 0
        for (let j = tf[f]!; j > 0; j--) {
          last += varintAt(pos, p)
          p = varintEnd.offset
        }
        if (tf[f]! > 0 && last >= lengths[f]![doc]!) fail(t, `a position ${last} past the length ${lengths[f]![doc]} of field ${f} in document ${doc}`)
      }
    }
    if (d !== docsOffset[t + 1] || q !== freqsOffset[t + 1] || p !== posEnd) fail(t, `its ${n} entries do not fill exactly its byte ranges`)
  }
}
