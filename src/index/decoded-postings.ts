/**
 * A frozen term's list decoded into typed arrays, as the postings store caches it: documents and
 * frequencies at once, positions on first read (proximity, writes), and where each entry's
 * positions start for phrases that read them in place (segment-scans.ts).
 */
import { ByteReader, varintAt, varintEnd } from './varint.js'
import { positionStarts, readFreqs, type PositionStarts } from './segment-scans.js'
import { JiansuoError } from '../errors.js'
import type { FrozenPostings, PostingList } from './postings.js'

/** A frozen term decoded on demand; positions are decoded only when first read. */
export class DecodedPostingList implements PostingList {
  readonly length: number
  readonly docs: Uint32Array
  readonly freqs: Uint32Array
  private positions?: { posStart: Uint32Array; pos: Uint32Array }
  private starts?: PositionStarts
  private readonly segment: FrozenPostings
  private readonly term: number
  private readonly fieldCount: number

  constructor(segment: FrozenPostings, term: number, fieldCount: number, docLimit: number) {
    this.segment = segment
    this.term = term
    this.fieldCount = fieldCount
    this.length = segment.docCounts[term]!
    this.docs = decodeDocs(segment, term, docLimit)
    this.freqs = decodeFreqs(segment, term, fieldCount)
  }

  get posStart(): Uint32Array {
    return this.decodePositions().posStart
  }

  /** Where each entry's positions start in the segment's bytes, its positions left there. */
  get positionStarts(): PositionStarts {
    return (this.starts ??= positionStarts(this.segment, this.term, this.freqs, this.fieldCount))
  }

  get pos(): Uint32Array {
    return this.decodePositions().pos
  }

  private decodePositions(): { posStart: Uint32Array; pos: Uint32Array } {
    if (this.positions) return this.positions
    try {
      return (this.positions = this.readPositions())
    } catch (err) {
      throw new JiansuoError('INDEX_CORRUPT', `The positions of term ${JSON.stringify(this.segment.terms[this.term])} do not decode; rebuild the index.`, { cause: err })
    }
  }

  private readPositions(): { posStart: Uint32Array; pos: Uint32Array } {
    const F = this.fieldCount
    const posStart = new Uint32Array(this.length + 1)
    for (let i = 0; i < this.length; i++) {
      let sum = 0
      for (let f = 0; f < F; f++) sum += this.freqs[i * F + f]!
      posStart[i + 1] = posStart[i]! + sum
    }
    const pos = new Uint32Array(posStart[this.length]!)
    const bytes = this.segment.pos
    const end = this.segment.posOffset[this.term + 1]!
    let at = this.segment.posOffset[this.term]!
    let k = 0
    for (let i = 0; i < this.length; i++) {
      for (let f = 0; f < F; f++) {
        let last = 0
        for (let j = this.freqs[i * F + f]!; j > 0; j--) {
          last += varintAt(bytes, at)
          at = varintEnd.offset
          pos[k++] = last
        }
      }
    }
    if (at !== end) throw new RangeError(`positions end at byte ${at}, not ${end}`)
    return { posStart, pos }
  }
}

/**
 * A frozen term's document ids (checked below `docLimit`); its frequencies are `decodeFreqs`'. One
 * loop per function: V8 compiles a long loop's first run in place, and code after the loop that
 * had not run by then deoptimizes that compiled loop again on every later call (on every list a
 * first query decodes).
 */
function decodeDocs(segment: FrozenPostings, term: number, docLimit: number): Uint32Array {
  const docs = new Uint32Array(segment.docCounts[term]!)
  const bytes = segment.docs
  let at = segment.docsOffset[term]!
  let doc = 0
  for (let i = 0; i < docs.length; i++) {
    // Nearly every gap is one byte (see segment-scans.ts).
    let gap = bytes[at]!
    if (gap < 0x80) at++
    else {
      gap = varintAt(bytes, at)
      at = varintEnd.offset
    }
    doc += gap
    if ((i > 0 && gap === 0) || doc >= docLimit) throw new RangeError(`posting ${i} points at document ${doc} of ${docLimit}`)
    docs[i] = doc
  }
  return docs
}

function decodeFreqs(segment: FrozenPostings, term: number, F: number): Uint32Array {
  const n = segment.docCounts[term]!
  const freqs = new Uint32Array(n * F)
  const r = new ByteReader(segment.freqs, segment.freqsOffset[term]!)
  for (let i = 0; i < n; i++) readFreqs(r, freqs, i * F, F)
  return freqs
}
