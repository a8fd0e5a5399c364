/**
 * Writes into an index: documents read once (document-input.ts), analyzed here or on build
 * workers, and added one at a time or as a batch that becomes visible in one synchronous commit.
 * A failing batch — a bad document, a repeated id, a worker's error, a throwing `onProgress` —
 * adds nothing.
 */
import type { Analyzer } from './analysis/analyzer.js'
import { JiansuoError, describeValue } from './errors.js'
import type { AddAllArguments } from './arguments.js'
import type { IndexBatch, InvertedIndex } from './index/inverted-index.js'
import { analyzeInParallel } from './index/parallel-build.js'
import { analyzeBatch } from './index/batch-analysis.js'
import { groupByTerm, type DocumentTerms } from './index/document-terms.js'
import type { ResolvedOptions } from './options.js'
import { readDocument, type DocumentInput } from './document-input.js'

/** Below this many documents, a parallel build is not worth its messages. */
const MIN_PARALLEL_BATCH = 256

export class Writer {
  private readonly fieldNames: string[]

  constructor(
    private readonly options: ResolvedOptions,
    private readonly analyzer: Analyzer,
  ) {
    this.fieldNames = options.fields.map((f) => f.name)
  }

  /** One caller's document, read and checked once (`index`: its place in a batch, for errors). */
  read(document: unknown, index?: number): DocumentInput {
    return readDocument(document, this.fieldNames, this.options.columns, this.options.store, index)
  }

  addOne(index: InvertedIndex, input: DocumentInput, upsert: boolean): void {
    if (index.has(input.id)) {
      if (!upsert) {
        throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(input.id)} is already indexed; use update() or add(doc, { upsert: true }) to replace it.`)
      }
      index.remove(input.id)
    }
    index.add(input.id, this.analyze(input), input.stored, input.values)
  }

  /** Read and check every document once, before anything is indexed. */
  readBatch(index: InvertedIndex, documents: Iterable<unknown>, args: AddAllArguments): DocumentInput[] {
    if (documents === null || typeof documents !== 'object' || typeof (documents as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new JiansuoError('INVALID_DOCUMENT', `addAll() takes an array (or iterable) of documents, got ${describeValue(documents)}.`)
    }
    const inputs: DocumentInput[] = []
    const seen = new Set<string>()
    let i = 0
    for (const document of documents) {
      const input = this.read(document, i)
      if (seen.has(input.id) || (!args.upsert && index.has(input.id))) {
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

  addBatch(index: InvertedIndex, inputs: DocumentInput[], args: AddAllArguments): number {
    const batch = index.startBatch()
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!
      batch.add(input.id, this.analyze(input), input.stored, input.values)
      this.progress(args, i + 1, inputs.length)
    }
    this.commit(index, batch, args)
    return inputs.length
  }

  /** `addBatch` with analysis and compression on `workers` threads besides this one. */
  async addBatchParallel(index: InvertedIndex, inputs: DocumentInput[], args: AddAllArguments, workers: number, background = false): Promise<number> {
    const segmenter = this.options.analyzer.segmenter
    // A segmenter object or token filters are functions: workers cannot get them, this thread analyzes.
    if (typeof segmenter !== 'string' || this.analyzer.hasCustomFilters || workers < 1 || (inputs.length < MIN_PARALLEL_BATCH && !background)) return this.addBatch(index, inputs, args)
    const texts = inputs.map((input) => input.texts)
    const stored = inputs.map((input) => input.stored)
    // Workers compress stored documents with the dictionary the commit would choose.
    const dictionary = index.nextStoredDictionary(stored)
    const batch = index.startBatch()
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
      background ? undefined : (input) => analyzeBatch(this.analyzer, input, dictionary),
      (i, terms, bytes) => {
        batch.add(inputs[i]!.id, terms, stored[i]!, inputs[i]!.values, { bytes, dictionary })
        this.progress(args, i + 1, inputs.length)
      },
    )
    // The new segment is built in steps between event-loop turns (searches see the old index),
    // then made visible at once: a live service's requests wait milliseconds, not the freeze.
    await batch.commitInSteps(
      () => new Promise((resolve) => setImmediate(resolve)),
      () => this.replaceUpserted(index, batch, args),
    )
    return inputs.length
  }

  /** Replace upserted documents and make the batch visible, in one synchronous step. */
  private commit(index: InvertedIndex, batch: IndexBatch, options: AddAllArguments): void {
    this.replaceUpserted(index, batch, options)
    batch.commit()
  }

  /** The batch's ids must be free (or, with upsert, their old documents go): checked at the visible step. */
  private replaceUpserted(index: InvertedIndex, batch: IndexBatch, options: AddAllArguments): void {
    const ids = batch.ids()
    if (!options.upsert) {
      // An add() may have run while a parallel batch was being analyzed.
      const taken = ids.find((id) => index.has(id))
      if (taken !== undefined) throw new JiansuoError('DUPLICATE_ID', `A document with id ${describeValue(taken)} was added while the batch was being indexed; nothing from the batch was added.`)
    }
    for (const id of ids) if (index.has(id)) index.remove(id)
  }

  private progress(args: AddAllArguments, done: number, total: number): void {
    if (args.onProgress && (done % args.progressEvery === 0 || done === total)) args.onProgress(done, total)
  }

  private analyze(input: DocumentInput): DocumentTerms {
    return groupByTerm(input.texts.map((text) => this.analyzer.analyzeTerms(text)))
  }
}
