/**
 * Postings: for each term, the documents containing it (ascending internal id), the term's
 * frequency in each field, and its positions (field by field, ascending) for phrases.
 *
 * Two forms behind one read shape:
 * - frozen: every term's entries varint-encoded into three byte streams (doc-id gaps,
 *   frequencies, position gaps) — exactly the bytes of the index file, so loading decodes
 *   nothing up front, and memory holds a fraction of the raw arrays. A term is decoded on first
 *   use into typed arrays (positions only when proximity or a write asks) and cached; phrases read
 *   positions in place (`frozenPositions`).
 * - mutable: per-term growing typed arrays for terms written since the last freeze
 *   (mutable-postings.ts). A frozen term is decoded and copied out ("thawed") the first time a
 *   write touches it.
 */
import { ByteReader, varintAt, varintEnd } from './varint.js'
import { encodeSegment, SegmentWriter } from './segment-writer.js'
import { eachPosition, forwardIndex, FrozenPositions, lastDocOf, markDocs, readFreqs } from './segment-scans.js'
import { DecodedPostingList } from './decoded-postings.js'
import { lowerBound } from './sorted-search.js'
import { JiansuoError } from '../errors.js'
import type { BulkPostings } from './bulk-writer.js'
import { FilteredPostingList } from './filtered-postings.js'
import { MutablePostingList } from './mutable-postings.js'

/** Read access to one term's postings. `posStart` has `length + 1` entries into `pos`. */
export interface PostingList {
  readonly length: number
  readonly docs: ArrayLike<number>
  /** `fieldCount` frequencies per document entry. */
  readonly freqs: ArrayLike<number>
  /** Entry i's positions are `pos[posStart[i] .. posStart[i+1])`, field 0's first. */
  readonly posStart: ArrayLike<number>
  readonly pos: ArrayLike<number>
}

/** The frozen segment: sorted terms and, per term, byte ranges in the three streams. */
export interface FrozenPostings {
  terms: string[]
  docCounts: Uint32Array
  /** Byte offsets per term (T + 1 entries each). */
  docsOffset: Uint32Array
  freqsOffset: Uint32Array
  posOffset: Uint32Array
  docs: Uint8Array
  freqs: Uint8Array
  pos: Uint8Array
}

/** Entries `from` … of `list` as a list of their own (views; `posStart` still indexes `list.pos`). */
function entriesFrom(list: PostingList & { docs: Uint32Array; freqs: Uint32Array; posStart: Uint32Array }, from: number, F: number): PostingList {
  return { length: list.length - from, docs: list.docs.subarray(from), freqs: list.freqs.subarray(from * F), posStart: list.posStart.subarray(from), pos: list.pos }
}

/** Decoded frozen terms kept, by total entries; past it the cache starts over. */
const CACHE_ENTRIES = 2_000_000
/** Terms `appendSegment` writes between yields (~1 ms of work on news articles). */
const APPEND_STEP = 512

export class PostingsStore {
  readonly fieldCount: number
  private frozen: FrozenPostings
  /** Terms written since the last freeze; they shadow the frozen entry of the same term. */
  private mutable = new Map<string, MutablePostingList>()
  /** Terms written since the last freeze that have no frozen entry, in order of first write. */
  private newTerms: string[] = []
  /** Every term appended to since the last freeze (new or frozen), in order of first append. */
  private touched: string[] = []
  private cache = new Map<number, DecodedPostingList>()
  private cachedEntries = 0
  /**
   * Removed documents stay in the lists until the next freeze (removal costs O(its terms), not a
   * splice per list); per term, how many of its entries belong to them, so document frequencies
   * stay exact. Reads see lists without them (filtered once per term and removal count).
   */
  private removedDocs = new Set<number>()
  private removedIn = new Map<string, number>()
  private filtered = new Map<string, { removed: number; base: PostingList; list: PostingList }>()
  /** Terms whose every entry belongs to a removed document. */
  private emptied = 0

  /** One entry's frequencies, for `eachFrozenPosition`. */

  /** Documents a loaded segment may point at (checked on decode); segments built here are trusted. */
  private docLimit = Infinity

  constructor(fieldCount: number, frozen?: FrozenPostings, docLimit = Infinity) {
    this.fieldCount = fieldCount
    this.docLimit = docLimit
    this.frozen = frozen ?? encodeSegment([], () => [], fieldCount)
  }

  get(term: string): PostingList | undefined {
    const base = this.base(term)
    if (!base) return undefined
    const removed = this.removedIn.get(term)
    if (removed === undefined) return base
    if (removed >= base.length) return undefined
    let entry = this.filtered.get(term)
    if (!entry || entry.removed !== removed || entry.base !== base) {
      entry = { removed, base, list: new FilteredPostingList(base, this.removedDocs, this.fieldCount) }
      this.filtered.set(term, entry)
    }
    return entry.list
  }

  /** Number of live documents containing `term` (0 when unknown). */
  docFreq(term: string): number {
    const n = this.baseLength(term)
    return n === 0 ? 0 : n - (this.removedIn.get(term) ?? 0)
  }

  /** Every term with at least one live posting (for scans over the vocabulary). */
  *terms(): IterableIterator<string> {
    const removals = this.removedIn.size > 0
    for (const [term, list] of this.mutable) if (list.length > 0 && (!removals || this.docFreq(term) > 0)) yield term
    for (const term of this.frozen.terms) if (!this.mutable.has(term) && (!removals || this.docFreq(term) > 0)) yield term
  }

  get termCount(): number {
    return this.frozen.terms.length + this.newTerms.length - this.emptied
  }

  /** Terms first written since the last freeze (not in the frozen segment), oldest first. */
  get termsSinceFreeze(): readonly string[] {
    return this.newTerms
  }

  /** Terms appended to since the last freeze, frozen ones included, oldest first. */
  get termsAppendedSinceFreeze(): readonly string[] {
    return this.touched
  }

  get mutableTermCount(): number {
    return this.mutable.size
  }

  get frozenPostings(): FrozenPostings {
    return this.frozen
  }

  /** Frozen term number `t`'s list as frozen (entries of documents removed since included). */
  frozenList(t: number): PostingList {
    return this.decoded(t)
  }

  /**
   * The frozen term number `term`'s entries are read from (removed documents' included), or -1
   * when it has none or was written since the last freeze (then `get` has its positions in memory).
   */
  frozenTermOf(term: string): number {
    return this.mutable.has(term) ? -1 : this.frozenTerm(term)
  }

  /** Frozen term number `t`'s positions read in place, entry by entry of `frozenList(t)`: segment-scans.ts. */
  frozenPositions(t: number): FrozenPositions {
    const list = this.decoded(t)
    return new FrozenPositions(this.frozen, list.positionStarts, list.freqs, this.fieldCount)
  }

  /** Frozen term numbers, most entries first (ties: term order). */
  frozenTermsByEntries(): number[] {
    const { docCounts } = this.frozen
    return [...docCounts.keys()].sort((a, b) => docCounts[b]! - docCounts[a]! || a - b)
  }

  /**
   * Decode and cache frozen terms `order` names, with the table phrases read their positions by,
   * up to `maxEntries` entries in all (at most a quarter of the cache): the lists the first queries
   * of a service read most, ready before them (`warm()`).
   */
  preload(order: readonly number[], maxEntries: number): void {
    let budget = Math.min(maxEntries, CACHE_ENTRIES / 4)
    for (const t of order) {
      if ((budget -= this.frozen.docCounts[t]!) < 0) break
      void this.decoded(t).positionStarts
    }
  }

  /** Set the bit of every document frozen term number `t` lists (removed ones included): segment-scans.ts. */
  markFrozenDocs(t: number, bits: Uint32Array): void {
    markDocs(this.frozen, t, bits)
  }

  /** `fn(doc, field, position)` for every position of frozen term `t` in the documents `keep` accepts: segment-scans.ts. */
  eachFrozenPosition(t: number, keep: (doc: number) => boolean, fn: (doc: number, field: number, position: number) => void): void {
    eachPosition(this.frozen, t, this.fieldCount, keep, fn)
  }

  /**
   * `fn(term, doc, position)` for every position of every term in `field`, in the documents `keep`
   * accepts: frozen lists read in place (nothing decoded or cached), lists written since the freeze
   * from memory. Term order; positions ascend per document. For structures built from a whole
   * field (suggestions from titles).
   */
  eachPositionInField(field: number, keep: (doc: number) => boolean, fn: (term: string, doc: number, position: number) => void): void {
    const F = this.fieldCount
    for (const [term, list] of this.mutable) {
      for (let i = 0; i < list.length; i++) {
        const doc = list.docs[i]!
        if (!keep(doc)) continue
        let at = list.posStart[i]!
        for (let g = 0; g < field; g++) at += list.freqs[i * F + g]!
        for (let end = at + list.freqs[i * F + field]!; at < end; at++) fn(term, doc, list.pos[at]!)
      }
    }
    const { terms } = this.frozen
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!
      if (this.mutable.has(term)) continue
      eachPosition(this.frozen, t, F, keep, (doc, f, position) => {
        if (f === field) fn(term, doc, position)
      })
    }
  }

  /** Append an entry; `doc` must be larger than every doc already in the term's list. */
  append(term: string, doc: number, freqs: ArrayLike<number>, positions: ArrayLike<number>): void {
    const list = this.writable(term)
    const removed = this.removedIn.get(term)
    if (removed !== undefined) {
      if (removed === list.length) this.emptied--
      this.filtered.delete(term)
    }
    list.append(doc, freqs, this.fieldCount, positions)
  }

  /**
   * Mark `doc` removed; `terms` are exactly the terms it was added with (each once). Its entries
   * stop being read at once and are dropped at the next freeze.
   */
  removeDocument(doc: number, terms: Iterable<string>): void {
    this.removedDocs.add(doc)
    for (const term of terms) {
      const n = this.baseLength(term)
      if (n === 0) continue
      const removed = (this.removedIn.get(term) ?? 0) + 1
      this.removedIn.set(term, removed)
      if (removed === n) this.emptied++
    }
  }

  /**
   * Merge everything into a new frozen segment, renumbering documents through `remap`
   * (old id → new id, or -1 for a removed document; order-preserving). `bulk` holds lists
   * from a BulkWriter for documents newer than every document already here.
   */
  freeze(remap?: Int32Array, bulk?: BulkPostings): FrozenPostings {
    // Without renumbering or removals, the new segment is the old one with the batch appended:
    // runs of terms nobody wrote to are copied as byte ranges, and a term the batch added to keeps
    // its bytes as a prefix. A commit then costs the batch, not a re-encoding of the whole index
    // (1 s → ~0.1 s for 1,000 articles on 19.5k). Otherwise every term is decoded and encoded again.
    if (!remap && this.removedIn.size === 0) {
      const steps = this.appendSegment(bulk)
      let step = steps.next()
      while (!step.done) step = steps.next()
      this.frozen = step.value
    } else {
      const termSet = new Set(this.terms())
      if (bulk) for (const term of bulk.terms()) termSet.add(term)
      const terms = [...termSet].sort()
      this.frozen = encodeSegment(
        terms,
        (term) => {
          const parts: PostingList[] = []
          const existing = this.get(term)
          if (existing) parts.push(existing)
          const added = bulk?.get(term)
          if (added) parts.push(added)
          return parts
        },
        this.fieldCount,
        remap,
      )
    }
    this.resetAfterFreeze()
    return this.frozen
  }

  /** Can the next freeze append (no removals pending)? Then `appendSegment` may run ahead of it. */
  get canAppend(): boolean {
    return this.removedIn.size === 0
  }

  /** Make `segment` (from `appendSegment`, with nothing written since it started) the frozen one. */
  installSegment(segment: FrozenPostings): void {
    this.frozen = segment
    this.resetAfterFreeze()
  }

  private resetAfterFreeze(): void {
    this.mutable.clear()
    this.newTerms = []
    this.touched = []
    this.cache.clear()
    this.cachedEntries = 0
    this.removedDocs.clear()
    this.removedIn.clear()
    this.filtered.clear()
    this.emptied = 0
    this.docLimit = Infinity
  }

  /**
   * The frozen segment with everything written since appended (no removals, no renumbering):
   * the merge of its sorted terms with the new ones; runs of untouched terms are copied whole.
   * Terms written by single adds are encoded again from their full lists (few: single adds).
   * A generator: it yields every few hundred terms, so a commit can build the new segment between
   * other work (readers keep the old one) and install it at the end.
   */
  *appendSegment(bulk?: BulkPostings): Generator<void, FrozenPostings> {
    const f = this.frozen
    const out = new SegmentWriter(this.fieldCount)
    // Every term written since the freeze, placed by one binary search in the frozen terms: `at`
    // is its index there (frozen) or where it would go (new). Only these are visited; the runs of
    // frozen terms between them are copied whole (no lookup per frozen term).
    const written = [...this.mutable.keys()]
    if (bulk) for (const term of bulk.terms()) if (!this.mutable.has(term)) written.push(term)
    // Sorted, the terms' insertion points ascend: each search starts where the last one ended.
    written.sort()
    yield
    const events: { at: number; fresh: boolean; term: string }[] = []
    let from = 0
    for (let i = 0; i < written.length; i++) {
      const term = written[i]!
      const at = (from = lowerBound(f.terms, term, from))
      events.push({ at, fresh: f.terms[at] !== term, term })
      if (i % (APPEND_STEP * 8) === 0) yield
    }
    let run = 0
    let since = 0
    for (const { at, fresh, term } of events) {
      if (++since === APPEND_STEP) {
        since = 0
        yield
      }
      out.copyTerms(f, run, at)
      run = fresh ? at : at + 1
      const parts: PostingList[] = []
      const written = this.mutable.get(term)
      let count = 0
      let prev = 0
      if (written && written.length > 0) {
        if (!fresh && written.length >= f.docCounts[at]!) {
          // A frozen term thawed by single adds: its frozen entries are the list's first ones,
          // unchanged (no removal pending here), so their bytes stay and only the added ones are
          // encoded — not a common term's whole list again (a save after 10 adds to xwlb: 2×).
          out.copyEntries(f, at)
          count = f.docCounts[at]!
          prev = lastDocOf(f, at)
          if (written.length > count) parts.push(entriesFrom(written, count, this.fieldCount))
        } else parts.push(written) // a new term: the whole list
      } else if (!fresh) {
        // Only the batch wrote to it: its bytes stay, the batch's entries follow from its last id.
        out.copyEntries(f, at)
        count = f.docCounts[at]!
        prev = lastDocOf(f, at)
      }
      const fromBulk = bulk?.get(term)
      if (fromBulk) parts.push(fromBulk)
      out.endTerm(term, count + out.entries(parts, prev))
    }
    out.copyTerms(f, run, f.terms.length)
    return out.finish()
  }

  /** For every document of the frozen segment, the frozen term numbers it holds (removal reads it): segment-scans.ts. */
  frozenForwardIndex(documentCount: number): { start: Uint32Array; terms: Uint32Array } {
    return forwardIndex(this.frozen, documentCount)
  }

  /** The term's list as written, entries of removed documents included. */
  private base(term: string): PostingList | undefined {
    const m = this.mutable.get(term)
    if (m) return m.length > 0 ? m : undefined
    const t = this.frozenTerm(term)
    return t < 0 ? undefined : this.decoded(t)
  }

  private baseLength(term: string): number {
    const m = this.mutable.get(term)
    if (m) return m.length
    const t = this.frozenTerm(term)
    return t < 0 ? 0 : this.frozen.docCounts[t]!
  }

  private frozenTerm(term: string): number {
    const t = lowerBound(this.frozen.terms, term)
    return this.frozen.terms[t] === term ? t : -1
  }

  private decoded(t: number): DecodedPostingList {
    let list = this.cache.get(t)
    if (!list) {
      try {
        list = new DecodedPostingList(this.frozen, t, this.fieldCount, this.docLimit)
      } catch (err) {
        // Only a file that passed its checksum yet holds bad postings can get here.
        throw new JiansuoError('INDEX_CORRUPT', `The postings of term ${JSON.stringify(this.frozen.terms[t])} do not decode; rebuild the index.`, { cause: err })
      }
      if (this.cachedEntries + list.length > CACHE_ENTRIES) {
        this.cache.clear()
        this.cachedEntries = 0
      }
      this.cache.set(t, list)
      this.cachedEntries += list.length
    }
    return list
  }

  private writable(term: string): MutablePostingList {
    let list = this.mutable.get(term)
    if (list) return list
    const t = this.frozenTerm(term)
    list = new MutablePostingList(t >= 0 ? this.decoded(t) : undefined)
    if (t < 0) this.newTerms.push(term)
    this.touched.push(term)
    this.mutable.set(term, list)
    return list
  }
}

