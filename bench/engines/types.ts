/**
 * The common shape of every benchmarked engine. One file per engine under bench/engines/ default-
 * exports a factory returning this; bench/engines/worker.ts drives it inside its own process.
 */
import type { Doc } from '../lib/corpus.js'

type MaybePromise<T> = T | Promise<T>

export interface SearchEngineAdapter {
  kind: 'index'
  /** True if the saved index also holds the document text (affects index size fairness). */
  storesDocs: boolean
  /** One-line description of the configuration, printed under the table. */
  describe: string
  /**
   * Load the segmenter dictionary and anything else paid once per process. Timed separately as
   * "dict load" so build time measures indexing only.
   */
  init(): MaybePromise<void>
  build(docs: readonly Doc[]): MaybePromise<void>
  /** Writes the index to `path`; returns its size in bytes (all files it wrote). */
  save(path: string): MaybePromise<number>
  load(path: string): MaybePromise<void>
  /** Top-k document ids, best first, no snippets. */
  search(query: string, k: number): MaybePromise<string[]>
  /** Optional: top-k with two highlighted snippets per hit (jiansuo only). */
  searchWithSnippets?(query: string, k: number): MaybePromise<unknown>
  close?(): MaybePromise<void>
}

/** A row that measures raw segmentation throughput only: no index, no queries. */
export interface SegmenterAdapter {
  kind: 'segment'
  describe: string
  init(): MaybePromise<void>
  /** Segments title and text of every document (search mode, HMM on); returns token count. */
  segmentAll(docs: readonly Doc[]): MaybePromise<number>
}

export type EngineAdapter = SearchEngineAdapter | SegmenterAdapter

/** Thrown by an engine whose optional package is not installed: the row is skipped, not failed. */
export class EngineUnavailable extends Error {}
