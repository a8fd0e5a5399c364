/**
 * What `search()` takes and returns, and its options checked and clamped once: paging, snippets,
 * highlight tags, strictness. Field names are checked by the engine (they need the schema).
 */
import { JiansuoError, describeValue } from './errors.js'
import { optionalBoolean, optionsObject } from './arguments.js'
import type { SnippetOptions, Snippet } from './highlight/snippets.js'
import type { HighlightTags } from './highlight/format.js'
import type { Document, DocumentShape } from './document.js'
import type { Filter } from './query/filter.js'
import type { SortSpec } from './query/sort.js'
import type { FacetBucket, FacetOptions } from './query/facets.js'
import type { Explanation } from './query/explain.js'
import type { Relaxation } from './query/compile.js'

export interface SearchOptions {
  /** Hits per page (default 10, at most 10,000). */
  limit?: number
  /** Hits to skip, for paging (default 0). */
  offset?: number
  /** Restrict matching to these fields (default: all searchable fields). */
  fields?: readonly string[]
  /**
   * Snippet settings, or `false` for none (default `{ length: 120, count: 2, fallback: false }`):
   * passages per hit, their length, and whether a field without a match shows its opening.
   */
  snippet?: Partial<SnippetOptions> | false
  /** Tags around highlights in the `html` forms (default `<mark>` … `</mark>`). */
  highlight?: Partial<HighlightTags>
  /** Throw INVALID_QUERY / UNKNOWN_FIELD on broken syntax instead of degrading (default false). */
  strict?: boolean
  /**
   * Only documents whose typed fields pass (default none), e.g.
   * `{ date: { gte: '2024-01-01', lt: '2024-04-01' }, column: ['要闻', '社会'] }`; see `Filter`.
   * Combined (and) with `field:value` filters in the query text.
   */
  filter?: Filter
  /**
   * Hit order (default `'_score'`: best first): levels of typed fields and the score, e.g.
   * `[{ date: 'desc' }, '_score']` (or `'date:desc'`). Ties break by insertion order.
   */
  sort?: SortSpec | readonly SortSpec[]
  /** Counts over all matching documents per typed field (default none), e.g. `{ column: { limit: 10 }, date: { interval: 'year' } }`. */
  facets?: Record<string, FacetOptions | true>
  /** Give each hit `explain`, its score broken into parts (default false). */
  explain?: boolean
}

export interface SearchHit<Doc extends DocumentShape = Document> {
  id: string
  score: number
  /**
   * The stored document: a JSON copy of what was added (Dates become strings, functions and
   * undefined are dropped; with a `store` list, only its fields and the searchable ones are kept).
   */
  doc: Doc
  /** The highlighted title, when the document has a `title` field and snippets are on. */
  title?: Snippet
  /** Best passages of the other searchable fields, highlighted. */
  snippets: Snippet[]
  /** The score's parts, with `explain: true`. */
  explain?: Explanation
}

export interface SearchResult<Doc extends DocumentShape = Document> {
  /** Number of matching documents (all pages). */
  total: number
  /** Milliseconds spent. */
  took: number
  hits: SearchHit<Doc>[]
  /** Per requested facet, its buckets over every matching document (with `facets`). */
  facets?: Record<string, FacetBucket[]>
  /**
   * What was searched differently from how it was typed, when anything was: a quoted phrase no
   * document holds searched as its words (`phrase`), an unknown word split into index terms
   * (`decomposed`), pinyin read as Han words (`pinyin`), a homophone searched instead (`homophone`),
   * a word a one-way synonym rule replaces (`synonym`).
   */
  relaxed?: Relaxation[]
  /** A better-spelled query (a frequent homophone of a rare word), with `query.pinyin`. */
  didYouMean?: string
}

const DEFAULT_SNIPPET: SnippetOptions = { length: 120, count: 2, fallback: false }
const DEFAULT_TAGS: HighlightTags = { pre: '<mark>', post: '</mark>' }
const MAX_LIMIT = 10_000
export const MAX_QUERY_LENGTH = 1_000
/** Snippets beyond these sizes are not passages any more; larger values are clamped. */
const MAX_SNIPPET_LENGTH = 10_000
const MAX_SNIPPET_COUNT = 100
/** The keys `search()` takes (any other is INVALID_OPTION). */
const SEARCH_OPTIONS = ['limit', 'offset', 'fields', 'snippet', 'highlight', 'strict', 'filter', 'sort', 'facets', 'explain'] as const

/** `search()`'s options, checked: numbers clamped, wrong types INVALID_OPTION. */
export interface SearchSettings {
  limit: number
  offset: number
  fields?: readonly string[]
  strict: boolean
  /** undefined: no snippets (lazy hits). */
  snippet?: SnippetOptions
  tags: HighlightTags
  /** Checked against the schema by the engine. */
  filter?: Filter
  sort?: unknown
  facets?: unknown
  explain: boolean
}

export function searchSettings(options: SearchOptions | undefined): SearchSettings {
  const o = optionsObject('search()', options, SEARCH_OPTIONS)
  return {
    limit: clampInt('limit', o.limit ?? 10, 0, MAX_LIMIT),
    offset: clampInt('offset', o.offset ?? 0, 0, Number.MAX_SAFE_INTEGER),
    ...(o.fields === undefined ? {} : { fields: o.fields }),
    strict: optionalBoolean('Search option strict', o.strict) ?? false,
    ...(o.snippet === false ? {} : { snippet: snippetSettings(o.snippet) }),
    tags: highlightTags(o.highlight),
    ...(o.filter === undefined ? {} : { filter: o.filter }),
    ...(o.sort === undefined ? {} : { sort: o.sort }),
    ...(o.facets === undefined ? {} : { facets: o.facets }),
    explain: optionalBoolean('Search option explain', o.explain) ?? false,
  }
}

/**
 * A hit without snippets: its stored document is inflated on first read of `doc`, from the
 * state the search ran on (a reader that later writes and compactions do not affect). An own
 * accessor of a literal, so spread, structuredClone and JSON.stringify see `doc` like any field.
 */
export function lazyHit<Doc extends DocumentShape>(id: string, score: number, read: () => Doc): SearchHit<Doc> {
  let doc: Doc | undefined
  return {
    id,
    score,
    get doc() {
      return (doc ??= read())
    },
    set doc(value) {
      doc = value
    },
    snippets: [],
  }
}

function snippetSettings(value: Partial<SnippetOptions> | undefined): SnippetOptions {
  const o = optionsObject('search() option snippet', value as Partial<SnippetOptions>, ['length', 'count', 'fallback'])
  const length = o.length ?? DEFAULT_SNIPPET.length
  const count = o.count ?? DEFAULT_SNIPPET.count
  // Numbers out of range are clamped, like limit; anything else is a mistake worth an error.
  for (const [name, v] of [['length', length], ['count', count]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new JiansuoError('INVALID_OPTION', `Search option snippet.${name} is ${describeValue(v)}; expected a number.`)
  }
  const fallback = optionalBoolean('Search option snippet.fallback', o.fallback) ?? DEFAULT_SNIPPET.fallback
  return { length: Math.min(Math.max(1, Math.floor(length)), MAX_SNIPPET_LENGTH), count: Math.min(Math.max(0, Math.floor(count)), MAX_SNIPPET_COUNT), fallback }
}

function highlightTags(value: SearchOptions['highlight']): HighlightTags {
  const o = optionsObject('search() option highlight', value, ['pre', 'post'])
  const tags = { ...DEFAULT_TAGS, ...o }
  for (const key of ['pre', 'post'] as const) {
    if (typeof tags[key] !== 'string') throw new JiansuoError('INVALID_OPTION', `Search option highlight.${key} is ${describeValue(tags[key])}; expected a string (trusted markup, inserted as it is).`)
  }
  return tags
}

function clampInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new JiansuoError('INVALID_OPTION', `Search option ${name} is ${describeValue(value)}; expected a whole number from ${min}.`)
  }
  return Math.min(max, Math.max(min, Math.floor(value)))
}
