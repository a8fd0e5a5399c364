/**
 * Every option of `SearchEngine`, documented where it is declared, with one defaults object and
 * one `resolveOptions()` that validates and merges them once.
 */
import { JiansuoError, describeValue } from './errors.js'
import { checkKeys } from './arguments.js'
import { DEFAULT_STOPWORDS } from './analysis/stopwords.js'
import type { Segmenter, SegmenterName } from './analysis/segmenter.js'
import type { TokenFilter } from './analysis/token-filter.js'
import type { ColumnSpec, ColumnType } from './index/columns.js'

export interface FieldOptions {
  /**
   * `'text'` (default): searchable, analyzed. Typed fields are not searched as text but kept as
   * columns for `filter`, `sort` and `facets`: `'date'` (ISO date text or Date), `'keyword'`
   * (exact strings, or arrays of them), `'number'` (finite numbers).
   */
  type?: 'text' | ColumnType
  /** Weight of a match in this text field relative to others (default 1; `title` defaults to 3). */
  boost?: number
}

export interface Bm25Options {
  /** Term-frequency saturation: higher lets repeated words count for more (default 1.2). */
  k1?: number
  /** Length normalization, 0 = none, 1 = full (default 0.75). */
  b?: number
}

export interface AnalyzerOptions {
  /** Segmenter backend: `'nodejieba'` (default), `'node-rs-jieba'` (optional package), or an object. */
  segmenter?: SegmenterName | Segmenter
  /** Fold traditional Chinese to simplified for matching (default true). Offsets stay on the original. */
  traditionalToSimplified?: boolean
  /** Words that are never terms (default: `DEFAULT_STOPWORDS`, function words and interrogatives). */
  stopwords?: readonly string[]
  /** Words that must be kept whole, e.g. `万人助万企`, product names (default none). */
  userWords?: readonly string[]
  /**
   * Token filters run after the stopwords, on documents and queries alike (default none): see
   * `TokenFilter`. Their names are in the index's fingerprint; give the same filters to `load()`.
   * Builds with filters analyze on the calling thread (`addAllParallel` cannot send functions to workers).
   */
  filters?: readonly TokenFilter[]
}

export interface RankingOptions {
  /**
   * How much a document is preferred for matching more of the query's words: the score is
   * multiplied by `(matched / total) ** coordination` (default 0 = plain BM25 sum; measured on
   * drcd-dev, 1 costs 0.008 nDCG@10: question words that are not in the answer passage should not
   * halve its score).
   */
  coordination?: number
  /**
   * Extra weight for query words found next to each other in the document in query order,
   * as a fraction of those words' scores (default 0.5; 0 = off).
   */
  proximity?: number
  /** Score weight of an out-of-vocabulary word's substring expansions relative to a whole-word match (default 0.7). */
  expansionWeight?: number
}

/**
 * How query text is read beyond its words (none of this changes the index or its file: give the
 * same options to `load()`).
 */
export interface QueryOptions {
  /**
   * Latin query words that are the pinyin of index words also find those words (default false):
   * `leifeng`, `lei feng`, `LeiFeng`, initials `lf` and mixed `雷feng` find 雷锋, and highlight it.
   * Also turns on `didYouMean`. The first such query builds the vocabulary's pinyin (~0.6 s for
   * 100k terms; `warm()` does it ahead).
   */
  pinyin?: boolean
  /**
   * With `pinyin`: a rare query word whose homophone is far more frequent (雷峰精神 → 雷锋精神) gives
   * the result a `didYouMean`, and its results when the query as typed matches no document with
   * all its words (default true).
   */
  didYouMean?: boolean
  /**
   * Synonym rules in Solr's format, one rule per line or array item (default none):
   * `冬奥会, 冬季奥运会` (each finds the others) and `A, B => C, D` (A or B is searched as C or D
   * instead). Expanded at query time, multi-word entries as phrases; see `synonymWeight`.
   */
  synonyms?: string | readonly string[]
  /** Score weight of a synonym relative to the word as typed (default 0.8). */
  synonymWeight?: number
}

export interface SearchEngineOptions {
  /**
   * The schema: searchable text fields with their boosts, and typed fields for filters, sort and
   * facets (default `{ title: { boost: 3 }, body: {} }`), e.g.
   * `{ title: { boost: 3 }, body: {}, date: { type: 'date' }, column: { type: 'keyword' } }`.
   */
  fields?: Record<string, FieldOptions>
  /**
   * Other document properties kept and returned with hits (default `true`: every property).
   * Searchable fields are always kept: snippets and exact removal need their text.
   */
  store?: boolean | readonly string[]
  bm25?: Bm25Options
  analyzer?: AnalyzerOptions
  ranking?: RankingOptions
  query?: QueryOptions
}

export interface ResolvedOptions {
  /** The text fields, in schema order. */
  fields: { name: string; boost: number }[]
  /** The typed fields (columns), in schema order. */
  columns: ColumnSpec[]
  store: true | readonly string[]
  bm25: Required<Bm25Options>
  analyzer: {
    segmenter: SegmenterName | Segmenter
    traditionalToSimplified: boolean
    stopwords: readonly string[]
    userWords: readonly string[]
    filters: readonly TokenFilter[]
  }
  ranking: Required<RankingOptions>
  query: { pinyin: boolean; didYouMean: boolean; synonyms: readonly string[]; synonymWeight: number }
}

export const DEFAULTS = {
  fields: { title: { boost: 3 }, body: { boost: 1 } } as Record<string, FieldOptions>,
  store: true as const,
  bm25: { k1: 1.2, b: 0.75 },
  analyzer: {
    segmenter: 'nodejieba' as SegmenterName,
    traditionalToSimplified: true,
    stopwords: DEFAULT_STOPWORDS,
    userWords: [] as readonly string[],
    filters: [] as readonly TokenFilter[],
  },
  ranking: { coordination: 0, proximity: 0.5, expansionWeight: 0.7 },
  query: { pinyin: false, didYouMean: true, synonyms: [] as readonly string[], synonymWeight: 0.8 },
}

function invalid(name: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `Option ${name} is ${describeValue(value)}; expected ${expected}.`)
}

function finite(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(name, value, `a number from ${min} to ${max}`)
  }
  return value
}

function stringList(name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.some((w) => typeof w !== 'string')) invalid(name, value, 'an array of strings')
  return value as string[]
}

function tokenFilters(value: unknown): readonly TokenFilter[] {
  if (!Array.isArray(value)) invalid('analyzer.filters', value, 'an array of token filters ({ name, filter })')
  const names = new Set<string>()
  for (const f of value as unknown[]) {
    const filter = f as Partial<TokenFilter> | null
    if (typeof filter !== 'object' || filter === null || typeof filter.name !== 'string' || filter.name === '' || typeof filter.filter !== 'function') {
      invalid('analyzer.filters', f, 'a token filter: an object with a non-empty string name and a filter(term) function')
    }
    if (names.has(filter.name)) invalid('analyzer.filters', filter.name, 'filters with distinct names (the names are the fingerprint)')
    names.add(filter.name)
  }
  return value as TokenFilter[]
}

const FIELD_TYPES = ['text', 'date', 'keyword', 'number'] as const
/** Names a field cannot have: the id, the filter operators and the score in `sort`. */
const RESERVED_NAMES = ['id', 'and', 'or', 'not', '_score']

/** The keys of `SearchEngineOptions` (any other is INVALID_OPTION). */
export const ENGINE_OPTIONS = ['fields', 'store', 'bm25', 'analyzer', 'ranking', 'query'] as const

/** A nested options object: absent, or an object with only the `known` keys. */
function section<T extends object>(name: string, value: T | undefined, known: readonly string[]): Partial<T> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(name, value, 'an object')
  checkKeys(`in ${name} of new SearchEngine()`, value, known)
  return value
}

export function resolveOptions(options: SearchEngineOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('options', options, 'an object')
  checkKeys('of new SearchEngine()', options, ENGINE_OPTIONS)
  const fieldSpec = options.fields ?? DEFAULTS.fields
  if (typeof fieldSpec !== 'object' || fieldSpec === null || Object.keys(fieldSpec).length === 0) {
    invalid('fields', fieldSpec, 'an object with at least one field, e.g. { title: { boost: 3 }, body: {} }')
  }
  const fields: ResolvedOptions['fields'] = []
  const columns: ColumnSpec[] = []
  for (const [name, spec] of Object.entries(fieldSpec)) {
    if (RESERVED_NAMES.includes(name)) invalid('fields', name, `field names other than ${RESERVED_NAMES.map((n) => JSON.stringify(n)).join(', ')} (reserved for the id, filters and sort)`)
    const s = section(`fields.${name}`, spec ?? undefined, ['type', 'boost'])
    const type = s.type ?? 'text'
    if (!FIELD_TYPES.includes(type)) invalid(`fields.${name}.type`, type, FIELD_TYPES.map((t) => JSON.stringify(t)).join(', '))
    if (type === 'text') {
      fields.push({ name, boost: finite(`fields.${name}.boost`, s.boost ?? (name === 'title' ? 3 : 1), 0, 1e6) })
      continue
    }
    if (s.boost !== undefined) invalid(`fields.${name}.boost`, s.boost, `nothing: a ${type} field is not searched as text, so it has no boost`)
    columns.push({ name, type })
  }
  if (fields.length === 0) invalid('fields', Object.keys(fieldSpec), 'at least one text field (a field without a type), e.g. { title: {}, date: { type: "date" } }')
  const store = options.store ?? DEFAULTS.store
  if (store !== true && store !== false && !Array.isArray(store)) invalid('store', store, 'true, false or an array of property names')
  const b25 = section('bm25', options.bm25, ['k1', 'b'])
  const bm25 = {
    k1: finite('bm25.k1', b25.k1 ?? DEFAULTS.bm25.k1, 0, 100),
    b: finite('bm25.b', b25.b ?? DEFAULTS.bm25.b, 0, 1),
  }
  const a = section('analyzer', options.analyzer, ['segmenter', 'traditionalToSimplified', 'stopwords', 'userWords', 'filters'])
  const segmenter = a.segmenter ?? DEFAULTS.analyzer.segmenter
  if (typeof segmenter === 'string' && segmenter !== 'nodejieba' && segmenter !== 'node-rs-jieba') {
    invalid('analyzer.segmenter', segmenter, '"nodejieba", "node-rs-jieba" or a Segmenter object')
  }
  const t2s = a.traditionalToSimplified ?? DEFAULTS.analyzer.traditionalToSimplified
  if (typeof t2s !== 'boolean') invalid('analyzer.traditionalToSimplified', t2s, 'true or false')
  const r = section('ranking', options.ranking, ['coordination', 'proximity', 'expansionWeight'])
  const q = section('query', options.query, ['pinyin', 'didYouMean', 'synonyms', 'synonymWeight'])
  const pinyin = q.pinyin ?? DEFAULTS.query.pinyin
  if (typeof pinyin !== 'boolean') invalid('query.pinyin', pinyin, 'true or false')
  const didYouMean = q.didYouMean ?? DEFAULTS.query.didYouMean
  if (typeof didYouMean !== 'boolean') invalid('query.didYouMean', didYouMean, 'true or false')
  const synonyms = typeof q.synonyms === 'string' ? q.synonyms.split(/\r?\n/) : stringList('query.synonyms', q.synonyms ?? DEFAULTS.query.synonyms)
  return {
    fields,
    columns,
    store: store === false ? [] : store,
    bm25,
    analyzer: {
      segmenter,
      traditionalToSimplified: t2s,
      stopwords: stringList('analyzer.stopwords', a.stopwords ?? DEFAULTS.analyzer.stopwords),
      userWords: stringList('analyzer.userWords', a.userWords ?? DEFAULTS.analyzer.userWords),
      filters: tokenFilters(a.filters ?? DEFAULTS.analyzer.filters),
    },
    ranking: {
      coordination: finite('ranking.coordination', r.coordination ?? DEFAULTS.ranking.coordination, 0, 10),
      proximity: finite('ranking.proximity', r.proximity ?? DEFAULTS.ranking.proximity, 0, 10),
      expansionWeight: finite('ranking.expansionWeight', r.expansionWeight ?? DEFAULTS.ranking.expansionWeight, 0, 10),
    },
    query: { pinyin, didYouMean, synonyms, synonymWeight: finite('query.synonymWeight', q.synonymWeight ?? DEFAULTS.query.synonymWeight, 0, 10) },
  }
}
