/**
 * Bulk indexing without per-term objects: every (document, term) entry is appended to a few
 * growable typed arrays, and terms get ids from one Map. At the end, a counting sort by term id
 * groups the entries per term (document order kept), ready to be merged into the frozen segment.
 * Appending to per-term JS arrays instead costs a Map lookup and several small-array pushes per
 * entry, and leaves millions of small objects for the garbage collector.
 */
import type { DocumentTerms } from './document-terms.js'
import type { PostingList } from './postings.js'

class U32Vec {
  data = new Uint32Array(1024)
  length = 0
  /** Make room for `extra` more values (then write `data` directly and set `length`). */
  reserve(extra: number): void {
    const need = this.length + extra
    if (need <= this.data.length) return
    let size = this.data.length * 2
    while (size < need) size *= 2
    const next = new Uint32Array(size)
    next.set(this.data.subarray(0, this.length))
    this.data = next
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length)
  }
}

export class BulkWriter {
  private readonly F: number
  private readonly termIds = new Map<string, number>()
  private readonly terms: string[] = []
  private entryTerm = new U32Vec()
  private entryDoc = new U32Vec()
  private entryFreqs = new U32Vec()
  private entryPosEnd = new U32Vec()
  private positions = new U32Vec()

  constructor(fieldCount: number) {
    this.F = fieldCount
  }

  /** Number of documents added so far; the next one gets this local id. */
  documents = 0

  /** Add the next document; its id is local (0, 1, …) until `finish(base)` shifts it. */
  add(terms: DocumentTerms): void {
    const doc = this.documents++
    const F = this.F
    const n = terms.terms.length
    this.entryTerm.reserve(n)
    this.entryDoc.reserve(n)
    this.entryPosEnd.reserve(n)
    this.entryFreqs.reserve(n * F)
    this.positions.reserve(terms.positions.length)
    // Plain indexed writes into reserved space: this loop runs once per (document, term).
    const termOut = this.entryTerm.data
    const docOut = this.entryDoc.data
    const freqOut = this.entryFreqs.data
    const posEndOut = this.entryPosEnd.data
    const posOut = this.positions.data
    let e = this.entryTerm.length
    let p = this.positions.length
    for (let t = 0; t < n; t++) {
      const term = terms.terms[t]!
      let id = this.termIds.get(term)
      if (id === undefined) {
        id = this.terms.length
        this.termIds.set(term, id)
        this.terms.push(term)
      }
      termOut[e] = id
      docOut[e] = doc
      for (let f = 0; f < F; f++) freqOut[e * F + f] = terms.freqs[t * F + f]!
      for (let k = terms.posStart[t]!, end = terms.posStart[t + 1]!; k < end; k++) posOut[p++] = terms.positions[k]!
      posEndOut[e] = p
      e++
    }
    this.entryTerm.length = e
    this.entryDoc.length = e
    this.entryPosEnd.length = e
    this.entryFreqs.length = e * F
    this.positions.length = p
  }

  /**
   * Entries grouped per term, local ids shifted by `base` (ascending within each term). Only the
   * grouping order is computed here (a counting sort by term id); each term's entries are gathered
   * when the freeze asks for that term and encoded at once, so the entries are not copied twice.
   */
  finish(base: number): BulkPostings {
    const T = this.terms.length
    const n = this.entryTerm.length
    const termOf = this.entryTerm.view()
    const starts = new Uint32Array(T + 1)
    for (let e = 0; e < n; e++) starts[termOf[e]! + 1]!++
    for (let t = 0; t < T; t++) starts[t + 1]! += starts[t]!
    const order = new Uint32Array(n)
    const cursor = starts.slice(0, T)
    for (let e = 0; e < n; e++) order[cursor[termOf[e]!]!++] = e
    const entries = { docs: this.entryDoc.view(), freqs: this.entryFreqs.view(), posEnd: this.entryPosEnd.view(), pos: this.positions.view() }
    this.entryTerm = this.entryDoc = this.entryFreqs = this.entryPosEnd = this.positions = new U32Vec()
    return new BulkPostings(this.termIds, starts, order, entries, base, this.F)
  }
}

/**
 * The bulk writer's output: every entry, and per term the entries' order. A term's list is
 * gathered on request into buffers shared by all terms — valid until the next `get()`, which is
 * how the freeze reads them: one term at a time, encoded at once.
 */
export class BulkPostings {
  private readonly termIds: ReadonlyMap<string, number>
  private readonly starts: Uint32Array
  private readonly order: Uint32Array
  private readonly entries: { docs: Uint32Array; freqs: Uint32Array; posEnd: Uint32Array; pos: Uint32Array }
  private readonly base: number
  private readonly F: number
  private buffers = { docs: new Uint32Array(1024), freqs: new Uint32Array(1024), posStart: new Uint32Array(1025), pos: new Uint32Array(1024) }

  constructor(termIds: ReadonlyMap<string, number>, starts: Uint32Array, order: Uint32Array, entries: BulkPostings['entries'], base: number, F: number) {
    this.termIds = termIds
    this.starts = starts
    this.order = order
    this.entries = entries
    this.base = base
    this.F = F
  }

  terms(): IterableIterator<string> {
    return this.termIds.keys()
  }

  /** The same entries with local ids shifted by `base` instead (documents added meanwhile moved them). */
  withBase(base: number): BulkPostings {
    return new BulkPostings(this.termIds, this.starts, this.order, this.entries, base, this.F)
  }

  get(term: string): PostingList | undefined {
    const t = this.termIds.get(term)
    if (t === undefined) return undefined
    const a = this.starts[t]!
    const n = this.starts[t + 1]! - a
    const F = this.F
    const { docs: docsIn, freqs: freqsIn, posEnd, pos: posIn } = this.entries
    let positions = 0
    for (let i = 0; i < n; i++) {
      const e = this.order[a + i]!
      positions += posEnd[e]! - (e === 0 ? 0 : posEnd[e - 1]!)
    }
    const out = this.reserve(n, positions)
    let p = 0
    for (let i = 0; i < n; i++) {
      const e = this.order[a + i]!
      out.docs[i] = docsIn[e]! + this.base
      for (let f = 0; f < F; f++) out.freqs[i * F + f] = freqsIn[e * F + f]!
      // A plain loop: most entries hold one or two positions, and a subarray per entry costs more.
      out.posStart[i] = p
      for (let k = e === 0 ? 0 : posEnd[e - 1]!, to = posEnd[e]!; k < to; k++) out.pos[p++] = posIn[k]!
    }
    out.posStart[n] = p
    return { length: n, docs: out.docs, freqs: out.freqs, posStart: out.posStart, pos: out.pos }
  }

  private reserve(entries: number, positions: number): BulkPostings['buffers'] {
    const b = this.buffers
    if (b.docs.length < entries) {
      const size = Math.max(entries, b.docs.length * 2)
      b.docs = new Uint32Array(size)
      b.freqs = new Uint32Array(size * this.F)
      b.posStart = new Uint32Array(size + 1)
    } else if (b.freqs.length < entries * this.F) b.freqs = new Uint32Array(b.docs.length * this.F)
    if (b.pos.length < positions) b.pos = new Uint32Array(Math.max(positions, b.pos.length * 2))
    return b
  }
}
