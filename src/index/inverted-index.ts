/**
 * The inverted index: dense internal document ids, per-field lengths (for BM25 length
 * normalization), stored documents, the postings and the documents' character pairs. Knows
 * nothing about segmentation or folding: it is handed each document's terms and pairs, already
 * analyzed (rebuilding the pairs of a file without them takes the fold from the caller).
 */
import { PostingsStore, type FrozenPostings, type PostingList } from './postings.js'
import type { DocumentTerms } from './document-terms.js'
import { lengthNorm } from './length-norm.js'
import { BulkWriter, type BulkPostings } from './bulk-writer.js'
import { DocumentStore, checkStoredShape, type FrozenDocuments } from './document-store.js'
import { createColumns, type Column, type ColumnSpec, type ColumnValue, type FrozenColumn } from './columns.js'
import { PairBatch, PairSet } from './pair-set.js'
import { hanPairs, pairKeyAt } from '../analysis/char-pairs.js'

/** Work a stepped commit does between pauses. */
const STEP_MS = 3

/** A stored document compressed ahead of time (by a build worker) with `dictionary`. */
export interface EncodedStored {
  bytes: Uint8Array
  dictionary: Uint8Array
}

export interface IndexBatch {
  add(id: string, terms: DocumentTerms, stored: string, values: readonly ColumnValue[], encoded?: EncodedStored): void
  /** Ids added so far, in order. */
  ids(): string[]
  /** Make every added document visible at once (ids must not be indexed by then). */
  commit(): void
  /**
   * `commit()`, with the new postings segment built ahead in steps (`pause` between them lets
   * other work run; searches meanwhile see the index as it was), then made visible in one
   * synchronous step. Falls back to `commit()`'s full freeze when removals are pending or the
   * index changed during the steps. `check` runs right before the visible step (ids still free?).
   */
  commitInSteps(pause: () => Promise<void>, check?: () => void): Promise<void>
}

export interface IndexSnapshot {
  fields: string[]
  ids: string[]
  stored: FrozenDocuments
  lengths: Uint32Array[]
  postings: FrozenPostings
  /** One per typed field of the schema, in order. */
  columns: FrozenColumn[]
  /** Adjacent Han character pairs of the documents, ascending; absent in files written before the set existed. */
  pairs?: Uint32Array
}

export class InvertedIndex {
  readonly fields: readonly string[]
  /** Internal id → external id; `undefined` marks a removed document until the next compaction. */
  private ids: (string | undefined)[] = []
  private idMap = new Map<string, number>()
  private stored = new DocumentStore()
  /** Per field: length (in positions) of the field in each document. */
  private lengths: number[][]
  private totalLengths: number[]
  private live = 0
  /** Bumped by every change (including compaction, which renumbers documents): caches key on it. */
  generation = 0
  private norms?: Float64Array[]
  private normsKey = ''
  readonly postings: PostingsStore
  /** Terms of each document added one by one since the last freeze (the forward index for removal). */
  private freshTerms = new Map<number, readonly string[]>()
  /** Forward index of the frozen segment's documents, built when a removal first needs it. */
  private frozenForward?: { start: Uint32Array; terms: Uint32Array }

  /** Typed fields' values per document (doc values), in schema order. */
  readonly columns: Column[]
  private readonly pairs: PairSet

  constructor(fields: readonly string[], columnSpecs: readonly ColumnSpec[] = [], snapshot?: IndexSnapshot) {
    this.fields = fields
    this.columns = createColumns(columnSpecs, snapshot?.columns)
    this.lengths = fields.map(() => [])
    this.totalLengths = fields.map(() => 0)
    this.postings = new PostingsStore(fields.length, snapshot?.postings, snapshot ? snapshot.ids.length : Infinity)
    this.pairs = new PairSet(snapshot ? snapshot.pairs : new Uint32Array(0))
    if (snapshot) {
      this.ids = snapshot.ids.slice()
      this.stored = new DocumentStore(snapshot.stored)
      this.lengths = snapshot.lengths.map((l) => Array.from(l))
      this.totalLengths = this.lengths.map((l) => l.reduce((a, b) => a + b, 0))
      this.ids.forEach((id, doc) => this.idMap.set(id!, doc))
      this.live = this.ids.length
    }
  }

  get documentCount(): number {
    return this.live
  }

  /** Upper bound (exclusive) of internal ids, for sizing per-query buffers. */
  get docIdLimit(): number {
    return this.ids.length
  }

  get removedCount(): number {
    return this.ids.length - this.live
  }

  has(id: string): boolean {
    return this.idMap.has(id)
  }

  internalId(id: string): number | undefined {
    return this.idMap.get(id)
  }

  externalId(doc: number): string | undefined {
    return this.ids[doc]
  }

  /** Is internal id `doc` a document (not removed, not past the end)? */
  isLive(doc: number): boolean {
    return this.ids[doc] !== undefined
  }

  /** The column of typed field `name`, if the schema has it. */
  column(name: string): Column | undefined {
    return this.columns.find((c) => c.name === name)
  }

  storedDocument(doc: number): Record<string, unknown> | undefined {
    const id = this.ids[doc]
    const value = id === undefined ? undefined : this.stored.get(doc)
    return value === undefined ? undefined : checkStoredShape(value, id!, this.fields)
  }

  /** A reader of a live document's stored form that stays true to this state (see DocumentStore.reader). */
  storedReader(doc: number): () => Record<string, unknown> {
    const id = this.ids[doc]!
    const read = this.stored.reader(doc)
    return () => checkStoredShape(read(), id, this.fields)
  }

  /** What reading a stored document costs, in bytes (for budgets). */
  storedSize(doc: number): number {
    return this.stored.size(doc)
  }

  fieldLength(field: number, doc: number): number {
    return this.lengths[field]![doc]!
  }

  /**
   * Per field, per document: `boost / (1 − b + b · length / averageLength)`, the BM25F length
   * normalization with the boost folded in. Cached until the index changes: queries then spend
   * one multiply per field per posting.
   */
  fieldNorms(b: number, boosts: readonly number[]): Float64Array[] {
    const key = `${this.generation}|${b}|${boosts.join(',')}`
    if (this.normsKey === key && this.norms) return this.norms
    this.norms = this.fields.map((_, f) => {
      const avg = this.averageFieldLength(f)
      const lengths = this.lengths[f]!
      const out = new Float64Array(this.ids.length)
      for (let doc = 0; doc < lengths.length; doc++) out[doc] = boosts[f]! / lengthNorm(lengths[doc]!, avg, b)
      return out
    })
    this.normsKey = key
    return this.norms
  }

  averageFieldLength(field: number): number {
    return this.live === 0 ? 0 : this.totalLengths[field]! / this.live
  }

  /**
   * False when no document's folded text can hold `word`: one of its adjacent Han character pairs
   * is in none (true proves nothing). Indexed text is folded text, so a term, a phrase or a stored
   * text that holds the word holds each of its pairs.
   */
  mayHold(word: string): boolean {
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKeyAt(word, i)
      if (key >= 0 && !this.pairs.has(key)) return false
    }
    return true
  }

  /** Can `mayHold` rule words out? Not for an index loaded from a file without the pair set, until `rebuildPairs`. */
  get pairsKnown(): boolean {
    return this.pairs.isKnown
  }

  /** Build the pair set from the stored documents (`fold`: a field's text as the analyzer folds it). */
  rebuildPairs(fold: (text: string) => string): void {
    const fields = this.fields
    const index = this
    function* pairsOf(): Generator<Uint32Array> {
      for (let doc = 0; doc < index.ids.length; doc++) {
        const stored = index.storedDocument(doc)
        if (stored) yield hanPairs(fields.map((field) => (typeof stored[field] === 'string' ? fold(stored[field] as string) : '')))
      }
    }
    this.pairs.rebuild(pairsOf())
  }

  /** Every live document's external id, in insertion order. */
  *documentIds(): IterableIterator<string> {
    for (const id of this.ids) if (id !== undefined) yield id
  }

  add(id: string, terms: DocumentTerms, stored: string, values: readonly ColumnValue[]): void {
    this.generation++
    const doc = this.appendDocument(id, stored, terms.lengths, values)
    this.freshTerms.set(doc, terms.terms)
    this.pairs.add(terms.pairs)
    const F = this.fields.length
    for (let t = 0; t < terms.terms.length; t++) {
      this.postings.append(
        terms.terms[t]!,
        doc,
        terms.freqs.subarray(t * F, t * F + F),
        terms.positions.subarray(terms.posStart[t]!, terms.posStart[t + 1]!),
      )
    }
  }

  /** Give a new document the next internal id: its id, stored form and field lengths. */
  private appendDocument(id: string, stored: string, lengths: readonly number[], values: readonly ColumnValue[], encoded?: EncodedStored): number {
    const doc = this.ids.length
    this.ids.push(id)
    this.idMap.set(id, doc)
    this.stored.push(stored, encoded)
    for (let c = 0; c < this.columns.length; c++) this.columns[c]!.push(values[c] ?? null)
    for (let f = 0; f < this.fields.length; f++) {
      this.lengths[f]!.push(lengths[f]!)
      this.totalLengths[f]! += lengths[f]!
    }
    this.live++
    return doc
  }

  /**
   * Start a batch of new documents: they are analyzed into a bulk writer and become visible all
   * together, in one synchronous `commit()` — a search during the batch sees none of them.
   */
  startBatch(): IndexBatch {
    const bulk = new BulkWriter(this.fields.length)
    const pairs = new PairBatch()
    const pending: { id: string; stored: string; lengths: number[]; values: readonly ColumnValue[]; encoded?: EncodedStored }[] = []
    return {
      add: (id, terms, stored, values, encoded) => {
        bulk.add(terms)
        pairs.add(terms.pairs)
        pending.push({ id, stored, lengths: terms.lengths, values, encoded })
      },
      ids: () => pending.map((p) => p.id),
      commit: () => {
        this.generation++
        const base = this.ids.length
        for (const { id, stored, lengths, values, encoded } of pending) this.appendDocument(id, stored, lengths, values, encoded)
        this.pairs.merge(pairs.keys())
        this.compact(bulk.finish(base))
      },
      commitInSteps: async (pause, check) => {
        const generation = this.generation
        const base = this.ids.length
        const postings = bulk.finish(base)
        const batchPairs = pairs.keys()
        let segment: FrozenPostings | undefined
        if (this.live === this.ids.length && this.postings.canAppend) {
          const steps = this.postings.appendSegment(postings)
          let last = performance.now()
          for (let step = steps.next(); ; step = steps.next()) {
            if (step.done) {
              segment = step.value
              break
            }
            if (performance.now() - last < STEP_MS) continue
            await pause()
            last = performance.now()
            if (this.generation !== generation) break
          }
        }
        check?.()
        const unchanged = this.generation === generation
        this.generation++
        const start = this.ids.length
        for (const { id, stored, lengths, values, encoded } of pending) this.appendDocument(id, stored, lengths, values, encoded)
        this.pairs.merge(batchPairs)
        // Built ahead only if nothing changed meanwhile (else ids and lists moved: freeze in full).
        this.compact(postings.withBase(start), segment && unchanged ? segment : undefined)
      },
    }
  }

  /** The dictionary stored documents will be compressed with once `incoming` are committed. */
  nextStoredDictionary(incoming: readonly string[]): Uint8Array {
    return this.stored.nextDictionary(incoming)
  }

  /**
   * Remove a document in O(its terms): its terms come from the forward index (never from
   * re-analyzing its text, which may be huge), so document frequencies stay exact.
   */
  remove(id: string): void {
    const doc = this.idMap.get(id)
    if (doc === undefined) return
    this.generation++
    this.postings.removeDocument(doc, this.termsOf(doc))
    for (let f = 0; f < this.fields.length; f++) {
      this.totalLengths[f]! -= this.lengths[f]![doc]!
      this.lengths[f]![doc] = 0
    }
    this.ids[doc] = undefined
    this.stored.remove(doc)
    this.idMap.delete(id)
    this.live--
  }

  /** The distinct terms `doc` was indexed with. */
  private termsOf(doc: number): readonly string[] {
    const fresh = this.freshTerms.get(doc)
    if (fresh) return fresh
    // Built on the first removal after a freeze: one pass over the frozen doc-id streams.
    this.frozenForward ??= this.postings.frozenForwardIndex(this.ids.length)
    const { start, terms } = this.frozenForward
    const names = this.postings.frozenPostings.terms
    const out: string[] = []
    for (let k = start[doc]!; k < start[doc + 1]!; k++) out.push(names[terms[k]!]!)
    return out
  }

  /**
   * Pack postings into flat typed arrays and drop the holes left by removed documents
   * (internal ids are renumbered, order kept, so ranking ties break the same way). `appended`: the
   * postings segment a stepped commit built ahead from exactly this state, installed instead of
   * freezing again.
   */
  compact(bulk?: BulkPostings, appended?: FrozenPostings): void {
    this.generation++
    const holes = this.live !== this.ids.length
    let remap: Int32Array | undefined
    if (holes) {
      remap = new Int32Array(this.ids.length).fill(-1)
      const ids: string[] = []
      const lengths: number[][] = this.fields.map(() => [])
      for (let doc = 0; doc < this.ids.length; doc++) {
        const id = this.ids[doc]
        if (id === undefined) continue
        remap[doc] = ids.length
        ids.push(id)
        for (let f = 0; f < this.fields.length; f++) lengths[f]!.push(this.lengths[f]![doc]!)
      }
      this.lengths = lengths
    }
    if (holes || this.stored.frozenDocuments.offsets.length - 1 !== this.ids.length) {
      const old = this.ids
      this.stored.freeze(old.length, (doc) => old[doc] !== undefined)
    }
    // Keyword columns re-sort their dictionaries (values added since the last freeze come last).
    for (const column of this.columns) if (remap || column.kind === 'keyword') column.keep(remap, this.live)
    if (holes) {
      this.ids = this.ids.filter((id) => id !== undefined)
      this.idMap = new Map(this.ids.map((id, doc) => [id!, doc]))
    }
    this.pairs.freeze()
    if (appended || remap || bulk || this.postings.mutableTermCount > 0) {
      if (appended) this.postings.installSegment(appended)
      else this.postings.freeze(remap, bulk)
      this.freshTerms.clear()
      this.frozenForward = undefined
    }
  }

  /** A compacted, self-contained copy of the index data for the codec. */
  snapshot(): IndexSnapshot {
    this.compact()
    return {
      fields: [...this.fields],
      ids: this.ids as string[],
      stored: this.stored.frozenDocuments,
      lengths: this.lengths.map((l) => Uint32Array.from(l)),
      postings: this.postings.frozenPostings,
      columns: this.columns.map((c) => c.frozen()),
      pairs: this.pairs.frozenKeys(),
    }
  }
}
