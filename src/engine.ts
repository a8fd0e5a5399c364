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
import { ADD_ALL_OPTIONS, addAllArguments, filePath, optionalBoolean, optionsObject, type AddAllArguments } from './arguments.js'
import { InvertedIndex, type IndexBatch } from './index/inverted-index.js'
import { analyzeInParallel, checkWorkerCount, warmWorkers } from './index/parallel-build.js'
import { analyzeBatch } from './index/batch-analysis.js'
import { groupByTerm, type DocumentTerms } from './index/document-terms.js'
import { ENGINE_OPTIONS, resolveOptions, type ResolvedOptions, type SearchEngineOptions } from './options.js'
import { parseQuery } from './query/parser.js'
import { compileQuery, type RankingParams } from './query/compile.js'
import { createScratch, executeQuery, type Scratch } from './query/execute.js'
import { scoringInputs } from './query/score-one.js'
import { FilterCache, queryFilter } from './query/filter.js'
import { sortOrder } from './query/sort.js'
import { countFacets, facetPlans } from './query/facets.js'
import { explainScore } from './query/explain.js'
import { decompose, QUERY_BUDGET, UnknownWordResolver, type UnknownWordBudget, type UnknownWordSource } from './query/unknown-words.js'
import { readDocument, type DocumentInput } from './document-input.js'
import { checkFingerprint, optionsFromHeader } from './persistence.js'
import { MAX_QUERY_LENGTH, lazyHit, searchSettings, type SearchHit, type SearchOptions, type SearchResult } from './search-options.js'
import { checkHitText, highlightedHits, type HitSource } from './hits.js'
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
  private scratch: Scratch = createScratch(0)
  private readonly unknownWords = new UnknownWordResolver()
  private readonly filters = new FilterCache()
  /** Saves run one after another, in call order (each writes the state of its call). */
  private saveQueue: Promise<void> = Promise.resolve()

  constructor(options: SearchEngineOptions = {}) {
    this.options = resolveOptions(options)
    this.fieldNames = this.options.fields.map((f) => f.name)
    this.analyzer = new Analyzer({
      segmenter: createSegmenter(this.options.analyzer.segmenter),
      normalize: { traditionalToSimplified: this.options.analyzer.traditionalToSimplified },
      stopwords: this.options.analyzer.stopwords,
      userWords: this.options.analyzer.userWords,
    })
    this.index = new InvertedIndex(this.fieldNames, this.options.columns)
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
  get(id: string): Doc | undefined {
    const doc = typeof id === 'string' ? this.index.internalId(id) : undefined
    return doc === undefined ? undefined : (this.index.storedDocument(doc) as Doc | undefined)
  }

  ids(): string[] {
    return [...this.index.documentIds()]
  }

  add(document: Doc, options: AddOptions = {}): void {
    const upsert = optionalBoolean('Option upsert of add()', optionsObject('add()', options, ['upsert']).upsert) ?? false
    this.addInput(readDocument(document, this.fieldNames, this.options.columns, this.options.store), upsert)
  }

  private addInput(input: DocumentInput, upsert: boolean): void {
    if (this.index.has(input.id)) {
      if (!upsert) {
        throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(input.id)} is already indexed; use update() or add(doc, { upsert: true }) to replace it.`)
      }
      this.index.remove(input.id)
    }
    this.index.add(input.id, this.analyzeInput(input), input.stored, input.values)
  }

  /**
   * Add many documents. All are validated before any is added, and they become visible together,
   * so a bad document (or a duplicate id) leaves the index unchanged. Returns the number added.
   */
  addAll(documents: Iterable<Doc>, options: AddAllOptions = {}): number {
    const args = addAllArguments('addAll()', options)
    return this.addInputs(this.readBatch(documents, args), args)
  }

  private addInputs(inputs: DocumentInput[], args: AddAllArguments): number {
    const batch = this.index.startBatch()
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!
      batch.add(input.id, this.analyzeInput(input), input.stored, input.values)
      this.progress(args, i + 1, inputs.length)
    }
    this.commitBatch(batch, args)
    return inputs.length
  }

  /**
   * `addAll` with analysis on worker threads besides this one (default: one per extra CPU, at
   * most 3); the resulting index is byte-identical to a single-threaded build. Workers stay in a
   * pool with their dictionaries loaded for the next build (see `warmWorkers`). Searches during
   * the build see the index as it was; the new documents appear together at the end. Needs a
   * named segmenter (not a custom object).
   */
  async addAllParallel(documents: Iterable<Doc>, options: AddAllOptions & { workers?: number } = {}): Promise<number> {
    const args = addAllArguments('addAllParallel()', options, [...ADD_ALL_OPTIONS, 'workers'])
    const inputs = this.readBatch(documents, args)
    const segmenter = this.options.analyzer.segmenter
    const workers = options.workers === undefined ? defaultWorkerCount() : checkWorkerCount(options.workers)
    if (typeof segmenter !== 'string' || workers < 1 || inputs.length < 256) return this.addInputs(inputs, args)
    const texts = inputs.map((input) => input.texts)
    const stored = inputs.map((input) => input.stored)
    // Workers compress stored documents with the dictionary the commit would choose.
    const dictionary = this.index.nextStoredDictionary(stored)
    const batch = this.index.startBatch()
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
        batch.add(inputs[i]!.id, terms, stored[i]!, inputs[i]!.values, { bytes, dictionary })
        this.progress(args, i + 1, inputs.length)
      },
    )
    this.commitBatch(batch, args)
    return inputs.length
  }

  private progress(args: AddAllArguments, done: number, total: number): void {
    if (args.onProgress && (done % args.progressEvery === 0 || done === total)) args.onProgress(done, total)
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

  /** Read and check every document once, before anything is indexed. */
  private readBatch(documents: Iterable<Doc>, args: AddAllArguments): DocumentInput[] {
    if (documents === null || typeof documents !== 'object' || typeof (documents as Iterable<Doc>)[Symbol.iterator] !== 'function') {
      throw new JiansuoError('INVALID_DOCUMENT', `addAll() takes an array (or iterable) of documents, got ${describeValue(documents)}.`)
    }
    const inputs: DocumentInput[] = []
    const seen = new Set<string>()
    let i = 0
    for (const document of documents) {
      const input = readDocument(document, this.fieldNames, this.options.columns, this.options.store, i)
      if (seen.has(input.id) || (!args.upsert && this.index.has(input.id))) {
        throw new JiansuoError('DUPLICATE_ID', `Document #${i} has id ${describeValue(input.id)}, which is ${seen.has(input.id) ? 'repeated in this batch' : 'already indexed'}; ids must be unique (or pass { upsert: true }).`, {
          details: { index: i, id: input.id },
        })
      }
      seen.add(input.id)
      inputs.push(input)
      i++
    }
    return inputs
  }

  /** Replace upserted documents and make the batch visible, in one synchronous step. */
  private commitBatch(batch: IndexBatch, options: AddAllArguments): void {
    const ids = batch.ids()
    if (!options.upsert) {
      // An add() may have run while a parallel batch was being analyzed.
      const taken = ids.find((id) => this.index.has(id))
      if (taken !== undefined) throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(taken)} was added while the batch was being indexed; nothing from the batch was added.`)
    }
    for (const id of ids) if (this.index.has(id)) this.index.remove(id)
    batch.commit()
  }

  /** Replace a document (it must exist; use `add(doc, { upsert: true })` to add or replace). */
  update(document: Doc): void {
    const input = readDocument(document, this.fieldNames, this.options.columns, this.options.store)
    if (!this.index.has(input.id)) {
      throw new JiansuoError('NOT_FOUND', `No document with id ${describeValue(input.id)} is indexed; use add() for new documents.`)
    }
    this.addInput(input, true)
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
    this.scratch = createScratch(0)
  }

  search(query: string, options: SearchOptions = {}): SearchResult<Doc> {
    const started = performance.now()
    const settings = searchSettings(options)
    const { limit, offset } = settings
    const fields = this.searchFields(settings.fields)
    if (typeof query !== 'string') throw new JiansuoError('INVALID_QUERY', `The query is ${describeValue(query)}; pass a string.`)
    const columns = this.index.columns
    // Checked before any work, so a mistyped sort or facet fails at once.
    const order = sortOrder(settings.sort, columns)
    const facets = settings.facets === undefined ? undefined : facetPlans(settings.facets, columns)
    // Longer input is not a search box query; cut it so a pasted article cannot stall the engine.
    const text = query.length > MAX_QUERY_LENGTH ? query.slice(0, MAX_QUERY_LENGTH) : query
    const parsed = parseQuery(text, this.fieldNames, settings.strict, this.options.columns)
    const filter = this.filters.get([parsed.filters, settings.filter], this.index.generation, () => queryFilter(parsed.filters, settings.filter, this.index))
    const params = this.rankingParams()
    const budget: UnknownWordBudget = { ...QUERY_BUDGET }
    const compiled = compileQuery(
      parsed,
      this.analyzer,
      this.index,
      fields,
      params,
      (term) => this.unknownWords.resolve(term, this.unknownWordContext(), budget),
      (term) => decompose(term, (piece) => this.index.postings.docFreq(piece) > 0, (piece) => this.analyzer.isStopword(piece)),
    )
    // No words: nothing to find — unless the search filters, sorts or counts, then it lists.
    compiled.matchAll &&= filter !== undefined || settings.sort !== undefined || facets !== undefined
    if (this.scratch.scores.length < this.index.docIdLimit) this.scratch = createScratch(Math.ceil(this.index.docIdLimit * 1.25) + 16)
    const collect = { k: offset + limit, ...(filter ? { filter } : {}), ...(order ? { order } : {}), matches: facets !== undefined }
    const { total, top, matches } = executeQuery(compiled, this.index, params, this.scratch, collect)
    const page = top.slice(offset, offset + limit)
    const { snippet, tags } = settings
    const hits = snippet
      ? highlightedHits<Doc>(this.hitSource(), page, compiled.highlightTerms, fields, snippet, tags)
      : page.map(({ doc, score }) => {
          const id = this.index.externalId(doc)!
          const read = this.index.storedReader(doc)
          return lazyHit(id, score, () => checkHitText(this.hitSource(), id, read(), compiled.highlightTerms, fields) as unknown as Doc)
        })
    if (settings.explain) {
      const inputs = scoringInputs(compiled, this.index, params)
      hits.forEach((hit, i) => (hit.explain = explainScore(compiled, inputs, this.index, params, page[i]!.doc)))
    }
    return {
      total,
      took: Math.round((performance.now() - started) * 1000) / 1000,
      hits,
      ...(facets && matches ? { facets: countFacets(facets, matches, this.index.generation) } : {}),
    }
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
    const bytes = this.toBytes()
    const write = this.saveQueue.then(() => writeFileAtomic(path, bytes))
    this.saveQueue = write.catch(() => undefined)
    await write
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
   * articles, again after a compaction) and the field length norms. Returns the engine.
   */
  warm(): this {
    this.analyzer.analyze('检索预热', 'query')
    this.unknownWords.warm(this.index.postings)
    const params = this.rankingParams()
    this.index.fieldNorms(params.b, params.boosts)
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

  private hitSource(): HitSource {
    return { index: this.index, fieldNames: this.fieldNames, norm: this.analyzer.config.normalize }
  }

  /** The unknown-word resolver's view of this engine (the index is replaced by fromBytes). */
  private unknownWordContext(): UnknownWordSource {
    return {
      index: this.index,
      fields: this.fieldNames,
      norm: this.analyzer.config.normalize,
      weight: this.options.ranking.expansionWeight,
      stopwordChars: this.analyzer.stopwordChars(),
    }
  }

  private analyzeInput(input: DocumentInput): DocumentTerms {
    return groupByTerm(input.texts.map((text) => this.analyzer.analyzeTerms(text)))
  }
}

/** Build workers besides the calling thread: one per extra CPU, at most 3. */
function defaultWorkerCount(): number {
  return Math.min(3, availableParallelism() - 1)
}
