/**
 * SearchEngine: the public face. Wires the stages — analysis → index → query → highlight —
 * and persistence through the codec. Every public method validates its input and throws a
 * `JiansuoError` with a code from the catalog.
 */
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Analyzer } from './analysis/analyzer.js'
import { namedSegmenter } from './analysis/named-segmenter.js'
import type { Segmenter } from './analysis/segmenter.js'
import { JiansuoError, describeValue } from './errors.js'
import { ADD_ALL_OPTIONS, addAllArguments, filePath, optionalBoolean, optionsObject } from './arguments.js'
import { InvertedIndex } from './index/inverted-index.js'
import { checkWorkerCount, warmWorkers } from './index/parallel-build.js'
import { ENGINE_OPTIONS, resolveOptions, type ResolvedOptions, type SearchEngineOptions } from './options.js'
import { checkFingerprint, optionsFromHeader } from './persistence.js'
import type { SearchHit, SearchOptions, SearchResult } from './search-options.js'
import type { Suggestion } from './query/suggest.js'
import { Searcher } from './searcher.js'
import { Writer } from './writer.js'
import { decodeIndex, encodeIndex, readHeader, type IndexHeader } from './codec/index-file.js'
import { writeFileAtomic } from './codec/atomic-write.js'
import { readIndexFile } from './codec/read-index-file.js'

import type { Document, DocumentShape } from './document.js'

export type { Document, DocumentShape }
export type { SearchOptions, SearchHit, SearchResult }

/** Options of `SearchEngine.load`: the engine's (see `fromBytes`) and `warm`. */
export interface LoadOptions extends SearchEngineOptions {
  /** Call `warm()` once loaded (default false). */
  warm?: boolean
}

export interface AddOptions {
  /** Replace a document with the same id instead of throwing DUPLICATE_ID (default false). */
  upsert?: boolean
}

export interface AddAllOptions extends AddOptions {
  /** Called every `progressEvery` documents and at the end with (done, total). */
  onProgress?: (done: number, total: number) => void
  progressEvery?: number
}

export interface SuggestOptions {
  /** Completions returned, at most (default 10, 1…100). */
  limit?: number
}

/** Compact automatically once this share of internal ids belongs to removed documents. */
const COMPACT_RATIO = 0.25

const require = createRequire(import.meta.url)
/** This package's version (recorded as the writer of every index file). */
export const VERSION = (require('../package.json') as { version: string }).version

function createSegmenter(choice: ResolvedOptions['analyzer']['segmenter']): Segmenter {
  return typeof choice === 'object' ? choice : namedSegmenter(choice)
}

export class SearchEngine<Doc extends DocumentShape = Document> {
  readonly options: ResolvedOptions
  readonly analyzer: Analyzer
  private index: InvertedIndex
  private readonly fieldNames: string[]
  private readonly searcher: Searcher
  private readonly writer: Writer
  /** Saves run one after another, in call order (each writes the state of its call). */
  private saveQueue: Promise<void> = Promise.resolve()
  /** The buffer the last finished save was encoded into, for the next one (see `save`). */
  private spareFile: Buffer | undefined

  constructor(options: SearchEngineOptions = {}) {
    this.options = resolveOptions(options)
    this.fieldNames = this.options.fields.map((f) => f.name)
    this.analyzer = new Analyzer({
      segmenter: createSegmenter(this.options.analyzer.segmenter),
      normalize: { traditionalToSimplified: this.options.analyzer.traditionalToSimplified },
      stopwords: this.options.analyzer.stopwords,
      userWords: this.options.analyzer.userWords,
      filters: this.options.analyzer.filters,
    })
    this.index = new InvertedIndex(this.fieldNames, this.options.columns)
    this.searcher = new Searcher(this.options, this.analyzer)
    this.writer = new Writer(this.options, this.analyzer)
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.index.documentCount
  }

  /**
   * A number that changes with every change to the index (add, update, remove, compaction): a
   * caller's cache of answers holds while it stays the same. Not stored in the file.
   */
  get generation(): number {
    return this.index.generation
  }

  /** Number of distinct terms in the index. */
  get termCount(): number {
    return this.index.postings.termCount
  }

  has(id: string): boolean {
    return typeof id === 'string' && this.index.has(id)
  }

  /** The stored document, or undefined. */
  get(id: string): Doc | undefined {
    const doc = typeof id === 'string' ? this.index.internalId(id) : undefined
    return doc === undefined ? undefined : (this.index.storedDocument(doc) as Doc | undefined)
  }

  ids(): string[] {
    return [...this.index.documentIds()]
  }

  add(document: Doc, options: AddOptions = {}): void {
    const upsert = optionalBoolean('Option upsert of add()', optionsObject('add()', options, ['upsert']).upsert) ?? false
    this.writer.addOne(this.index, this.writer.read(document), upsert)
  }

  /**
   * Add many documents. All are validated before any is added, and they become visible together,
   * so a bad document (or a duplicate id) leaves the index unchanged. Returns the number added.
   */
  addAll(documents: Iterable<Doc>, options: AddAllOptions = {}): number {
    const args = addAllArguments('addAll()', options)
    return this.writer.addBatch(this.index, this.writer.readBatch(this.index, documents, args), args)
  }

  /**
   * `addAll` with analysis on worker threads besides this one (default: one per extra CPU, at
   * most 3); the resulting index is byte-identical to a single-threaded build. Workers stay in a
   * pool with their dictionaries loaded for the next build (see `warmWorkers`). Searches during
   * the build see the index as it was; the new documents appear together at the end. Needs a
   * named segmenter (not a custom object).
   *
   * `background: true` is for a service whose event loop answers searches meanwhile: analysis
   * runs on the workers only (default false: this thread takes batches too, a few milliseconds at
   * a time), at low OS priority (Linux nice 10, so on a busy machine the readers come first), at
   * the cost of a slower build. It needs at least one worker (one is used on a single-CPU machine).
   */
  async addAllParallel(documents: Iterable<Doc>, options: AddAllOptions & { workers?: number; background?: boolean } = {}): Promise<number> {
    const args = addAllArguments('addAllParallel()', options, [...ADD_ALL_OPTIONS, 'workers', 'background'])
    const background = optionalBoolean('Option background of addAllParallel()', options.background) ?? false
    const inputs = this.writer.readBatch(this.index, documents, args)
    const workers = options.workers === undefined ? Math.max(background ? 1 : 0, defaultWorkerCount()) : checkWorkerCount(options.workers)
    if (background && workers < 1) throw new JiansuoError('INVALID_OPTION', 'Option background of addAllParallel() needs at least one worker; leave workers out or give 1 or more.')
    return this.writer.addBatchParallel(this.index, inputs, args, workers, background)
  }

  /**
   * Start the pooled build workers and load their segmenter dictionaries now (nodejieba takes
   * seconds per worker), so a later `addAllParallel` starts at full speed. Idle workers never
   * keep the process alive.
   */
  async warmWorkers(options: { workers?: number } = {}): Promise<void> {
    const segmenter = this.options.analyzer.segmenter
    const requested = optionsObject('warmWorkers()', options, ['workers']).workers
    const workers = requested === undefined ? defaultWorkerCount() : checkWorkerCount(requested)
    if (typeof segmenter !== 'string' || workers < 1) return
    await warmWorkers(workers, segmenter)
  }

  /** Replace a document (it must exist; use `add(doc, { upsert: true })` to add or replace). */
  update(document: Doc): void {
    const input = this.writer.read(document)
    if (!this.index.has(input.id)) {
      throw new JiansuoError('NOT_FOUND', `No document with id ${describeValue(input.id)} is indexed; use add() for new documents.`)
    }
    this.writer.addOne(this.index, input, true)
  }

  /** Remove a document; returns false when no document has this id. */
  remove(id: string): boolean {
    if (typeof id !== 'string') throw new JiansuoError('INVALID_DOCUMENT', `remove() takes a string id, got ${describeValue(id)}.`)
    if (!this.index.has(id)) return false
    this.index.remove(id)
    if (this.index.removedCount > COMPACT_RATIO * Math.max(1000, this.index.docIdLimit)) this.index.compact()
    return true
  }

  /** Reclaim the space of removed documents and pack postings (also done by save and large batches). */
  compact(): void {
    this.index.compact()
    this.searcher.releaseScratch()
  }

  search(query: string, options: SearchOptions = {}): SearchResult<Doc> {
    return this.searcher.search<Doc>(this.index, query, options)
  }

  /**
   * Completions of a prefix being typed, from the words and phrases of the titles (see
   * `Suggestion`): `乡村` → 乡村振兴, 乡村旅游…; with `query.pinyin`, also `xiangc` and `xczx`.
   * `limit` 1…100 (default 10). The first call after a change rebuilds the suggestions (~0.1–0.3 s
   * on 20k articles; `warm()` builds them ahead).
   */
  suggest(prefix: string, options: SuggestOptions = {}): Suggestion[] {
    return this.searcher.suggest(this.index, prefix, options)
  }

  toBytes(): Uint8Array {
    const snapshot = this.index.snapshot()
    return encodeIndex(this.header(), snapshot)
  }

  /**
   * Load an index from bytes. Options, when given, must describe the same analyzer the index was
   * built with (else ANALYZER_MISMATCH); fields, boosts and BM25 parameters default to the file's.
   */
  static fromBytes<D extends DocumentShape = Document>(bytes: Uint8Array, options?: SearchEngineOptions): SearchEngine<D> {
    if (options !== undefined) optionsObject('fromBytes()', options, ENGINE_OPTIONS)
    if (!(bytes instanceof Uint8Array)) {
      throw new JiansuoError('NOT_AN_INDEX', `fromBytes() takes a Uint8Array, got ${describeValue(bytes)}.`)
    }
    const { header } = readHeader(bytes)
    let engine: SearchEngine<D>
    try {
      engine = new SearchEngine<D>(optionsFromHeader(header, options))
    } catch (err) {
      // Options the caller passed are the caller's to fix; values from the file are damage.
      if (options !== undefined) throw err
      throw new JiansuoError('INDEX_CORRUPT', `The index header holds invalid settings (${(err as Error).message}); rebuild the index.`, { cause: err })
    }
    checkFingerprint(engine.analyzer.fingerprint(), header.fingerprint)
    const { snapshot } = decodeIndex(bytes)
    const schema = (fields: readonly string[], columns: readonly { name: string; type: string }[]) => [...fields, ...columns.map((c) => `${c.name} (${c.type})`)].join(', ')
    const stored = schema(snapshot.fields, header.columns ?? [])
    if (stored !== schema(engine.fieldNames, engine.options.columns)) {
      throw new JiansuoError('ANALYZER_MISMATCH', `The index has fields ${stored} but the options name ${schema(engine.fieldNames, engine.options.columns)}; load without a fields option or rebuild.`)
    }
    engine.index = new InvertedIndex(engine.fieldNames, engine.options.columns, snapshot)
    return engine
  }

  /** Write the index to `path` atomically: a temporary file in the same folder, fsync, rename. */
  async save(path: string): Promise<void> {
    filePath('save()', path)
    // The state is taken now; the write waits for earlier saves, so the last save called wins.
    // Encoded into the buffer of an earlier save when its write is done: a service saving after
    // writes then packs into memory already in use, where a fresh buffer costs a page fault per
    // 4 KiB touched (most of an encode's time on this box: 29 MB of xwlb, ~70 → ~30 ms). An eighth
    // more than needed, so that the index can grow a little and still fit.
    const spare = this.spareFile
    this.spareFile = undefined
    let used: Buffer | undefined
    const bytes = encodeIndex(this.header(), this.index.snapshot(), (size) => (used = spare !== undefined && spare.length >= size && spare.length <= 2 * size ? spare : Buffer.allocUnsafeSlow(size + (size >>> 3))))
    const write = this.saveQueue.then(() => writeFileAtomic(path, bytes))
    this.saveQueue = write.catch(() => undefined)
    try {
      await write
    } finally {
      // Kept for the next save only once written (a save called meanwhile took a fresh one).
      this.spareFile = used
    }
  }

  /**
   * Load an index file (see `fromBytes` for `options`). `warm: true` (default false) also calls
   * `warm()`, so the first query is as fast as the next.
   */
  static async load<D extends DocumentShape = Document>(path: string, options?: LoadOptions): Promise<SearchEngine<D>> {
    filePath('load()', path)
    const { warm, ...engineOptions } = optionsObject('load()', options, [...ENGINE_OPTIONS, 'warm'])
    const warmUp = optionalBoolean('Option warm of load()', warm) ?? false
    // Checked whole before the file is read: a mistyped option fails at once, not after seconds.
    if (options !== undefined) resolveOptions(engineOptions)
    const bytes = await readIndexFile(path)
    const engine = SearchEngine.fromBytes<D>(bytes, options === undefined ? undefined : engineOptions)
    return warmUp ? engine.warm() : engine
  }

  /**
   * Build now what the first query would build lazily: the segmenter's dictionary (nodejieba:
   * 1–3 s, once per process), the character index that unknown words use (~0.1 s on 20k
   * articles, again after a compaction), the field length norms and the most common terms' lists
   * (`WARM_ENTRIES`); then runs a search of each query form, which compiles the query path.
   * Returns the engine.
   */
  warm(): this {
    this.searcher.warm(this.index)
    const { postings } = this.index
    const order = postings.frozenTermsByEntries()
    postings.preload(order, WARM_ENTRIES)
    // Searches through every stage and query form, so the first visitor's query does not pay for
    // compiling the code it runs (~30 ms for a plain word on this box, up to ~40 ms more for the
    // first OR, exclusion, phrase and field scope): the index's two most common terms, if any.
    const common = order.slice(0, 2).map((t) => postings.frozenPostings.terms[t]!)
    if (common.length === 0) return this
    const [a, b = a] = common as [string, string?]
    const field = this.fieldNames[0]!
    const forms = [a, `${a} OR ${b}`, `${a} -${b}`, `"${a}${b}"`, `${field}:${b}`, `${a}${b}检`, `${a} -"${b}${a}"`, `${field}:"${b}${a}" ${a}${b}${a}`]
    for (const query of forms) this.search(query, { limit: 2 })
    return this
  }

  private header(): IndexHeader {
    return {
      writer: `jiansuo ${VERSION}`,
      fingerprint: this.analyzer.fingerprint(),
      fields: this.options.fields,
      columns: this.options.columns,
      bm25: this.options.bm25,
      ranking: this.options.ranking,
      store: this.options.store === true ? true : [...this.options.store],
      documentCount: this.index.documentCount,
      termCount: this.index.postings.termCount,
    }
  }
}

/**
 * Postings entries `warm()` decodes ahead, the most common terms' first (~16 bytes each with two
 * fields: 8 MB): a first query of common words then costs what a later one does.
 */
const WARM_ENTRIES = 500_000

/** Build workers besides the calling thread: one per extra CPU, at most 3. */
function defaultWorkerCount(): number {
  return Math.min(3, availableParallelism() - 1)
}
