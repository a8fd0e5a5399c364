/**
 * SearchEngine: the public face. Wires the stages — analysis → index → query → highlight —
 * and persistence through the codec. Every public method validates its input and throws a
 * `JiansuoError` with a code from the catalog.
 */
import { promises as fs } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Analyzer, type AnalyzerFingerprint } from './analysis/analyzer.js'
import { namedSegmenter } from './analysis/named-segmenter.js'
import type { Segmenter } from './analysis/segmenter.js'
import { JiansuoError, describeValue } from './errors.js'
import { InvertedIndex, type IndexBatch } from './index/inverted-index.js'
import { analyzeInParallel, checkWorkerCount, warmWorkers } from './index/parallel-build.js'
import { analyzeBatch } from './index/batch-analysis.js'
import { groupByTerm, type DocumentTerms } from './index/document-terms.js'
import { resolveOptions, type ResolvedOptions, type SearchEngineOptions } from './options.js'
import { parseQuery } from './query/parser.js'
import { compileQuery, createScratch, executeQuery, type Alternative, type RankingParams, type Scratch } from './query/execute.js'
import { findUnknownWord, decompose, buildCharIndex, type CharIndex } from './query/unknown-words.js'
import { idf } from './query/bm25.js'
import { highlightWhole, makeSnippets, type Snippet, type SnippetOptions } from './highlight/snippets.js'
import type { HighlightTags } from './highlight/format.js'
import { decodeIndex, encodeIndex, readHeader, type IndexHeader } from './codec/index-file.js'
import { writeFileAtomic } from './codec/atomic-write.js'

export interface Document {
  id: string
  [field: string]: unknown
}

export interface SearchOptions {
  /** Hits per page (default 10, at most 10,000). */
  limit?: number
  /** Hits to skip, for paging (default 0). */
  offset?: number
  /** Restrict matching to these fields (default: all searchable fields). */
  fields?: readonly string[]
  /** Snippet settings, or `false` for none (default `{ length: 120, count: 2 }`). */
  snippet?: Partial<SnippetOptions> | false
  /** Tags around highlights in the `html` forms (default `<mark>` … `</mark>`). */
  highlight?: Partial<HighlightTags>
  /** Throw INVALID_QUERY / UNKNOWN_FIELD on broken syntax instead of degrading (default false). */
  strict?: boolean
}

export interface SearchHit {
  id: string
  score: number
  /** The stored document. */
  doc: Record<string, unknown>
  /** The highlighted title, when the document has a `title` field and snippets are on. */
  title?: Snippet
  /** Best passages of the other searchable fields, highlighted. */
  snippets: Snippet[]
}

export interface SearchResult {
  /** Number of matching documents (all pages). */
  total: number
  /** Milliseconds spent. */
  took: number
  hits: SearchHit[]
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

const DEFAULT_SNIPPET: SnippetOptions = { length: 120, count: 2 }
const DEFAULT_TAGS: HighlightTags = { pre: '<mark>', post: '</mark>' }
const MAX_LIMIT = 10_000
const MAX_QUERY_LENGTH = 1_000
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/** Compact automatically once this share of internal ids belongs to removed documents. */
const COMPACT_RATIO = 0.25

const require = createRequire(import.meta.url)
const VERSION = (require('../package.json') as { version: string }).version

function createSegmenter(choice: ResolvedOptions['analyzer']['segmenter']): Segmenter {
  return typeof choice === 'object' ? choice : namedSegmenter(choice)
}

export class SearchEngine {
  readonly options: ResolvedOptions
  readonly analyzer: Analyzer
  private index: InvertedIndex
  private readonly fieldNames: string[]
  private scratch: Scratch = createScratch(0)
  private unknownCache = new Map<string, Alternative[]>()
  private charIndex?: CharIndex
  private cacheGeneration = -1

  constructor(options: SearchEngineOptions = {}) {
    this.options = resolveOptions(options)
    this.fieldNames = this.options.fields.map((f) => f.name)
    this.analyzer = new Analyzer({
      segmenter: createSegmenter(this.options.analyzer.segmenter),
      normalize: { traditionalToSimplified: this.options.analyzer.traditionalToSimplified },
      stopwords: this.options.analyzer.stopwords,
      userWords: this.options.analyzer.userWords,
    })
    this.index = new InvertedIndex(this.fieldNames)
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.index.documentCount
  }

  /** Number of distinct terms in the index. */
  get termCount(): number {
    return this.index.postings.termCount
  }

  has(id: string): boolean {
    return typeof id === 'string' && this.index.has(id)
  }

  /** The stored document, or undefined. */
  get(id: string): Record<string, unknown> | undefined {
    const doc = typeof id === 'string' ? this.index.internalId(id) : undefined
    return doc === undefined ? undefined : this.index.storedDocument(doc)
  }

  ids(): string[] {
    return [...this.index.documentIds()]
  }

  add(document: Document, options: AddOptions = {}): void {
    const prepared = this.prepare(document)
    if (this.index.has(prepared.id)) {
      if (!options.upsert) {
        throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(prepared.id)} is already indexed; use update() or add(doc, { upsert: true }) to replace it.`)
      }
      this.removeInternal(prepared.id)
    }
    this.index.add(prepared.id, prepared.terms, prepared.stored)
  }

  /**
   * Add many documents. All are validated before any is added, and they become visible together,
   * so a bad document (or a duplicate id) leaves the index unchanged. Returns the number added.
   */
  addAll(documents: Iterable<Document>, options: AddAllOptions = {}): number {
    const list = this.validateBatch(documents, options)
    const batch = this.index.startBatch()
    const every = Math.max(1, options.progressEvery ?? 500)
    for (let i = 0; i < list.length; i++) {
      const prepared = this.prepare(list[i]!)
      batch.add(prepared.id, prepared.terms, prepared.stored)
      if (options.onProgress && ((i + 1) % every === 0 || i + 1 === list.length)) options.onProgress(i + 1, list.length)
    }
    this.commitBatch(batch, options)
    return list.length
  }

  /**
   * `addAll` with analysis on worker threads besides this one (default: one per extra CPU, at
   * most 3); the resulting index is byte-identical to a single-threaded build. Workers stay in a
   * pool with their dictionaries loaded for the next build (see `warmWorkers`). Searches during
   * the build see the index as it was; the new documents appear together at the end. Needs a
   * named segmenter (not a custom object).
   */
  async addAllParallel(documents: Iterable<Document>, options: AddAllOptions & { workers?: number } = {}): Promise<number> {
    const workers = options.workers === undefined ? defaultWorkerCount() : checkWorkerCount(options.workers)
    const list = this.validateBatch(documents, options)
    const segmenter = this.options.analyzer.segmenter
    if (typeof segmenter !== 'string' || workers < 1 || list.length < 256) return this.addAll(list, options)
    const texts = list.map((doc) => this.fieldNames.map((field) => (typeof doc[field] === 'string' ? (doc[field] as string) : '')))
    const stored = list.map((doc) => this.storedForm(doc))
    // Workers compress stored documents with the dictionary the commit would choose.
    const dictionary = this.index.nextStoredDictionary(stored)
    const batch = this.index.startBatch()
    const every = Math.max(1, options.progressEvery ?? 500)
    await analyzeInParallel(
      { texts, stored },
      {
        segmenter,
        normalize: this.analyzer.config.normalize,
        stopwords: this.options.analyzer.stopwords,
        userWords: this.options.analyzer.userWords,
      },
      dictionary,
      workers,
      (input) => analyzeBatch(this.analyzer, input, dictionary),
      (i, terms, bytes) => {
        batch.add(list[i]!.id, terms, stored[i]!, { bytes, dictionary })
        if (options.onProgress && ((i + 1) % every === 0 || i + 1 === list.length)) options.onProgress(i + 1, list.length)
      },
    )
    this.commitBatch(batch, options)
    return list.length
  }

  /**
   * Start the pooled build workers and load their segmenter dictionaries now (nodejieba takes
   * seconds per worker), so a later `addAllParallel` starts at full speed. Idle workers never
   * keep the process alive.
   */
  async warmWorkers(options: { workers?: number } = {}): Promise<void> {
    const segmenter = this.options.analyzer.segmenter
    const workers = options.workers === undefined ? defaultWorkerCount() : checkWorkerCount(options.workers)
    if (typeof segmenter !== 'string' || workers < 1) return
    await warmWorkers(workers, segmenter)
  }

  private validateBatch(documents: Iterable<Document>, options: AddOptions): Document[] {
    if (documents === null || typeof documents !== 'object' || typeof (documents as Iterable<Document>)[Symbol.iterator] !== 'function') {
      throw new JiansuoError('INVALID_DOCUMENT', `addAll() takes an array (or iterable) of documents, got ${describeValue(documents)}.`)
    }
    const list = Array.isArray(documents) ? (documents as Document[]) : [...documents]
    const seen = new Set<string>()
    for (let i = 0; i < list.length; i++) {
      const id = this.validate(list[i], i)
      if (seen.has(id) || (!options.upsert && this.index.has(id))) {
        throw new JiansuoError('DUPLICATE_ID', `Document #${i} has id ${describeValue(id)}, which is ${seen.has(id) ? 'repeated in this batch' : 'already indexed'}; ids must be unique (or pass { upsert: true }).`)
      }
      seen.add(id)
    }
    return list
  }

  /** Replace upserted documents and make the batch visible, in one synchronous step. */
  private commitBatch(batch: IndexBatch, options: AddOptions): void {
    const ids = batch.ids()
    if (!options.upsert) {
      // An add() may have run while a parallel batch was being analyzed.
      const taken = ids.find((id) => this.index.has(id))
      if (taken !== undefined) throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(taken)} was added while the batch was being indexed; nothing from the batch was added.`)
    }
    for (const id of ids) if (this.index.has(id)) this.removeInternal(id)
    batch.commit()
  }

  /** Replace a document (it must exist; use `add(doc, { upsert: true })` to add or replace). */
  update(document: Document): void {
    const id = this.validate(document)
    if (!this.index.has(id)) {
      throw new JiansuoError('NOT_FOUND', `No document with id ${describeValue(id)} is indexed; use add() for new documents.`)
    }
    this.add(document, { upsert: true })
  }

  /** Remove a document; returns false when no document has this id. */
  remove(id: string): boolean {
    if (typeof id !== 'string') throw new JiansuoError('INVALID_DOCUMENT', `remove() takes a string id, got ${describeValue(id)}.`)
    if (!this.index.has(id)) return false
    this.removeInternal(id)
    if (this.index.removedCount > COMPACT_RATIO * Math.max(1000, this.index.docIdLimit)) this.index.compact()
    return true
  }

  /** Reclaim the space of removed documents and pack postings (also done by save and large batches). */
  compact(): void {
    this.index.compact()
    this.scratch = createScratch(0)
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const started = performance.now()
    const limit = clampInt('limit', options.limit ?? 10, 0, MAX_LIMIT)
    const offset = clampInt('offset', options.offset ?? 0, 0, Number.MAX_SAFE_INTEGER)
    const fields = this.searchFields(options.fields)
    if (typeof query !== 'string') throw new JiansuoError('INVALID_QUERY', `The query is ${describeValue(query)}; pass a string.`)
    // Longer input is not a search box query; cut it so a pasted article cannot stall the engine.
    const text = query.length > MAX_QUERY_LENGTH ? query.slice(0, MAX_QUERY_LENGTH) : query
    const parsed = parseQuery(text, this.fieldNames, options.strict ?? false)
    const params = this.rankingParams()
    const compiled = compileQuery(
      parsed,
      this.analyzer,
      this.index,
      fields,
      params,
      (term) => this.resolveUnknown(term),
      (term) => decompose(term, (piece) => this.index.postings.docFreq(piece) > 0, (piece) => this.analyzer.isStopword(piece)),
    )
    if (this.scratch.scores.length < this.index.docIdLimit) this.scratch = createScratch(Math.ceil(this.index.docIdLimit * 1.25) + 16)
    const { total, top } = executeQuery(compiled, this.index, params, this.scratch, offset + limit)
    const page = top.slice(offset, offset + limit)
    const snippet = options.snippet === false ? undefined : { ...DEFAULT_SNIPPET, ...(options.snippet ?? {}) }
    const hits = snippet
      ? this.highlightedHits(page, compiled.highlightTerms, fields, snippet, { ...DEFAULT_TAGS, ...(options.highlight ?? {}) })
      : page.map(({ doc, score }) => new LazyHit(this.index.externalId(doc)!, score, () => this.index.storedDocument(doc)!))
    return { total, took: Math.round((performance.now() - started) * 1000) / 1000, hits }
  }

  /** Hits with the title highlighted and the best passages of the other searched fields. */
  private highlightedHits(
    page: { doc: number; score: number }[],
    terms: string[],
    fields: number[],
    snippet: SnippetOptions,
    tags: HighlightTags,
  ): SearchHit[] {
    const norm = this.analyzer.config.normalize
    // Rarer terms make better passages.
    const weights = new Map(terms.map((t) => [t, idf(this.index.documentCount, this.index.postings.docFreq(t))]))
    return page.map(({ doc, score }) => {
      const stored = this.index.storedDocument(doc)!
      const hit: SearchHit = { id: this.index.externalId(doc)!, score, doc: stored, snippets: [] }
      if (typeof stored.title === 'string') hit.title = highlightWhole(stored.title, terms, norm, tags)
      for (const f of fields) {
        const value = stored[this.fieldNames[f]!]
        if (this.fieldNames[f] === 'title' || typeof value !== 'string' || !value) continue
        hit.snippets.push(...makeSnippets(value, terms, weights, norm, snippet, tags))
      }
      hit.snippets = hit.snippets.slice(0, Math.max(snippet.count, 0))
      return hit
    })
  }

  /** Serialize the whole index (versioned, checksummed). Compacts first. */
  toBytes(): Uint8Array {
    const snapshot = this.index.snapshot()
    return encodeIndex(this.header(), snapshot)
  }

  /**
   * Load an index from bytes. Options, when given, must describe the same analyzer the index was
   * built with (else ANALYZER_MISMATCH); fields, boosts and BM25 parameters default to the file's.
   */
  static fromBytes(bytes: Uint8Array, options?: SearchEngineOptions): SearchEngine {
    if (!(bytes instanceof Uint8Array)) {
      throw new JiansuoError('NOT_AN_INDEX', `fromBytes() takes a Uint8Array, got ${describeValue(bytes)}.`)
    }
    const { header } = readHeader(bytes)
    let engine: SearchEngine
    try {
      engine = new SearchEngine(SearchEngine.optionsFromHeader(header, options))
    } catch (err) {
      // Options the caller passed are the caller's to fix; values from the file are damage.
      if (options !== undefined) throw err
      throw new JiansuoError('INDEX_CORRUPT', `The index header holds invalid settings (${(err as Error).message}); rebuild the index.`, { cause: err })
    }
    engine.checkFingerprint(header.fingerprint)
    const { snapshot } = decodeIndex(bytes)
    if (snapshot.fields.join('\u0000') !== engine.fieldNames.join('\u0000')) {
      throw new JiansuoError('ANALYZER_MISMATCH', `The index has fields ${snapshot.fields.join(', ')} but the options name ${engine.fieldNames.join(', ')}; load without a fields option or rebuild.`)
    }
    engine.index = new InvertedIndex(engine.fieldNames, snapshot)
    return engine
  }

  /** Write the index to `path` atomically: a temporary file in the same folder, fsync, rename. */
  async save(path: string): Promise<void> {
    const bytes = this.toBytes()
    await writeFileAtomic(path, bytes)
  }

  static async load(path: string, options?: SearchEngineOptions): Promise<SearchEngine> {
    let bytes: Buffer
    try {
      bytes = await fs.readFile(path)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw new JiansuoError('IO_ERROR', `Cannot read index file ${describeValue(path)} (${code ?? String(err)}); check the path${code === 'EISDIR' ? ' (it is a directory)' : ''}.`, { cause: err })
    }
    return SearchEngine.fromBytes(bytes, options)
  }

  private static optionsFromHeader(header: IndexHeader, options: SearchEngineOptions = {}): SearchEngineOptions {
    const fields = Object.fromEntries(header.fields.map((f) => [f.name, { boost: f.boost }]))
    return {
      ...options,
      fields: options.fields ?? fields,
      store: options.store ?? header.store,
      bm25: { ...header.bm25, ...(options.bm25 ?? {}) },
      ranking: { ...header.ranking, ...(options.ranking ?? {}) },
      analyzer: {
        traditionalToSimplified: header.fingerprint.traditionalToSimplified,
        stopwords: header.fingerprint.stopwords,
        userWords: header.fingerprint.userWords,
        segmenter: header.fingerprint.segmenter as 'nodejieba',
        ...(options.analyzer ?? {}),
      },
    }
  }

  private checkFingerprint(stored: AnalyzerFingerprint): void {
    const current = this.analyzer.fingerprint()
    const differences: string[] = []
    for (const key of Object.keys(current) as (keyof AnalyzerFingerprint)[]) {
      if (JSON.stringify(current[key]) !== JSON.stringify(stored[key])) {
        differences.push(`${key}: index ${describeValue(stored[key], 40)}, now ${describeValue(current[key], 40)}`)
      }
    }
    if (differences.length > 0) {
      throw new JiansuoError('ANALYZER_MISMATCH', `The index was built with a different analyzer (${differences.join('; ')}); searching it would return wrong results. Load it with the same analyzer options, or rebuild it.`, { details: { differences } })
    }
  }

  private header(): IndexHeader {
    return {
      writer: `jiansuo ${VERSION}`,
      fingerprint: this.analyzer.fingerprint(),
      fields: this.options.fields,
      bm25: this.options.bm25,
      ranking: this.options.ranking,
      store: this.options.store === true ? true : [...this.options.store],
      documentCount: this.index.documentCount,
      termCount: this.index.postings.termCount,
    }
  }

  private rankingParams(): RankingParams {
    return {
      k1: this.options.bm25.k1,
      b: this.options.bm25.b,
      boosts: this.options.fields.map((f) => f.boost),
      ...this.options.ranking,
    }
  }

  private searchFields(names: readonly string[] | undefined): number[] {
    if (names === undefined) return this.fieldNames.map((_, i) => i)
    if (!Array.isArray(names)) throw new JiansuoError('INVALID_OPTION', `Search option fields is ${describeValue(names)}; expected an array of field names.`)
    return names.map((name) => {
      const f = this.fieldNames.indexOf(name)
      if (f < 0) throw new JiansuoError('UNKNOWN_FIELD', `Search option fields names ${describeValue(name)}; searchable fields are ${this.fieldNames.join(', ')}.`)
      return f
    })
  }

  /** Documents for a query word the index never saw (cached until the index changes). */
  private resolveUnknown(term: string): Alternative[] {
    this.checkCaches()
    let found = this.unknownCache.get(term)
    if (!found) {
      found = findUnknownWord(term, this.index, this.fieldNames, this.analyzer.config.normalize, this.options.ranking.expansionWeight, () => (this.charIndex ??= buildCharIndex(this.index)))
      if (this.unknownCache.size > 10_000) this.unknownCache.clear()
      this.unknownCache.set(term, found)
    }
    return found
  }

  /** Caches hold internal doc ids: any change, compaction included, invalidates them. */
  private checkCaches(): void {
    if (this.cacheGeneration === this.index.generation) return
    this.unknownCache.clear()
    this.charIndex = undefined
    this.cacheGeneration = this.index.generation
  }

  private validate(document: unknown, index?: number): string {
    const where = index === undefined ? 'The document' : `Document #${index}`
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new JiansuoError('INVALID_DOCUMENT', `${where} is ${describeValue(document)}; pass an object like { id: "a1", title: "…", body: "…" }.`)
    }
    const id = (document as Document).id
    if (typeof id !== 'string' || id.length === 0) {
      throw new JiansuoError('INVALID_DOCUMENT', `${where} has id ${describeValue(id)}; every document needs a non-empty string id.`)
    }
    if (LONE_SURROGATE.test(id)) {
      throw new JiansuoError('INVALID_DOCUMENT', `${where} has id ${describeValue(id)} with a lone surrogate (broken UTF-16); ids must be well-formed text.`)
    }
    for (const field of this.fieldNames) {
      const value = (document as Record<string, unknown>)[field]
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw new JiansuoError('INVALID_DOCUMENT', `${where} (id ${describeValue(id)}) has field ${field} = ${describeValue(value)}; searchable fields must be strings.`)
      }
    }
    return id
  }

  private prepare(document: Document): { id: string; terms: DocumentTerms; stored: string } {
    const id = this.validate(document)
    const terms = groupByTerm(
      this.fieldNames.map((field) => {
        const value = document[field]
        return this.analyzer.analyzeTerms(typeof value === 'string' ? value : '')
      }),
    )
    return { id, terms, stored: this.storedForm(document) }
  }

  /**
   * What is kept for a hit: a JSON copy, so the caller's object is not shared. Searchable fields
   * are copied exactly as `prepare` read them (getters included): removal re-analyzes this copy
   * and must find the terms that were indexed.
   */
  private storedForm(document: Document): string {
    const store = this.options.store
    const entries: [string, unknown][] = [['id', document.id]]
    const searchable = new Set(this.fieldNames)
    for (const [key, value] of Object.entries(document)) {
      if (key === 'id' || value === undefined) continue
      if (searchable.has(key)) {
        searchable.delete(key)
        entries.push([key, document[key]])
      } else if (store === true || store.includes(key)) entries.push([key, value])
    }
    // Searchable fields that are not own properties (class getters) were indexed too.
    for (const field of searchable) {
      const value = document[field]
      if (typeof value === 'string') entries.push([field, value])
    }
    // fromEntries defines own properties: a "__proto__" key stays a key, not a prototype.
    const out = Object.fromEntries(entries)
    let json: string
    try {
      json = JSON.stringify(out)
    } catch (err) {
      const bad = entries.find(([, value]) => {
        try {
          JSON.stringify(value)
          return false
        } catch {
          return true
        }
      })
      throw new JiansuoError('INVALID_DOCUMENT', `Document ${describeValue(document.id)} has property ${describeValue(bad?.[0])} that cannot be stored as JSON (${(err as Error).message}); remove it or pass { store: [...] } without it.`, { cause: err })
    }
    return json
  }

  private removeInternal(id: string): void {
    const doc = this.index.internalId(id)!
    const stored = this.index.storedDocument(doc)!
    const terms = new Set<string>()
    for (const field of this.fieldNames) {
      const value = stored[field]
      if (typeof value === 'string') for (const t of this.analyzer.analyzeTerms(value).terms) terms.add(t)
    }
    this.index.remove(id, terms)
  }
}

/**
 * A hit whose `doc` is decompressed on first read: a search without snippets (an id list, a
 * count) never pays for inflating documents it does not show. `doc` is an ordinary enumerable
 * property to readers and to JSON.stringify.
 */
/**
 * A hit whose stored document is read (and decompressed) on first access of `doc`, for callers
 * that only want ids and scores. A class, not defineProperty on a literal: per-hit accessors
 * cost microseconds each and push every hit object into dictionary mode.
 */
class LazyHit implements SearchHit {
  id: string
  score: number
  snippets: Snippet[] = []
  #doc: Record<string, unknown> | undefined
  readonly #load: () => Record<string, unknown>

  constructor(id: string, score: number, load: () => Record<string, unknown>) {
    this.id = id
    this.score = score
    this.#load = load
  }

  get doc(): Record<string, unknown> {
    return (this.#doc ??= this.#load())
  }

  set doc(value: Record<string, unknown>) {
    this.#doc = value
  }

  /** JSON carries the document like a hit with snippets does. */
  toJSON(): SearchHit {
    return { id: this.id, score: this.score, doc: this.doc, snippets: this.snippets }
  }
}

/** Build workers besides the calling thread: one per extra CPU, at most 3. */
function defaultWorkerCount(): number {
  return Math.min(3, availableParallelism() - 1)
}

function clampInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new JiansuoError('INVALID_OPTION', `Search option ${name} is ${describeValue(value)}; expected a whole number from ${min}.`)
  }
  return Math.min(max, Math.max(min, Math.floor(value)))
}
