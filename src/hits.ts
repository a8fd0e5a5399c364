/**
 * Hit assembly: a page of internal ids and scores becomes hits with their stored documents, the
 * highlighted title and the best passages; every hit's text is checked to hold a query term.
 */
import { JiansuoError, describeValue } from './errors.js'
import type { InvertedIndex } from './index/inverted-index.js'
import type { NormalizeOptions } from './analysis/normalize.js'
import { idf } from './query/bm25.js'
import { highlightWhole, makeSnippets, type SnippetOptions } from './highlight/snippets.js'
import type { HighlightTags } from './highlight/format.js'
import { mentionsAny } from './highlight/matches.js'
import type { SearchHit } from './search-options.js'
import type { DocumentShape } from './document.js'

/** What assembling hits reads: the index state the search ran on and its analysis settings. */
export interface HitSource {
  index: InvertedIndex
  fieldNames: readonly string[]
  norm: NormalizeOptions
  /** Token filters may index terms the text does not hold: then a hit's text is not checked. */
  termsInText: boolean
}

/**
 * Snippets and highlights look for matches in the first this many code units of a field: a hit
 * on a 10 MB document then costs its inflate, not seconds of folding and sentence splitting.
 */
const SNIPPET_SCAN_LIMIT = 100_000

/** Hits with the title highlighted and the best passages of the other searched fields. */
export function highlightedHits<Doc extends DocumentShape>(
  source: HitSource,
  page: { doc: number; score: number }[],
  terms: string[],
  fields: number[],
  snippet: SnippetOptions,
  tags: HighlightTags,
): SearchHit<Doc>[] {
  const { index, fieldNames, norm } = source
  // Rarer terms make better passages.
  const weights = new Map(terms.map((t) => [t, idf(index.documentCount, index.postings.docFreq(t))]))
  return page.map(({ doc, score }) => {
    const id = index.externalId(doc)!
    const stored = checkHitText(source, id, index.storedDocument(doc)!, terms, fields)
    const hit: SearchHit<Doc> = { id, score, doc: stored as unknown as Doc, snippets: [] }
    if (typeof stored.title === 'string') hit.title = highlightWhole('title', stored.title, terms, norm, tags, SNIPPET_SCAN_LIMIT)
    for (const f of fields) {
      const value = stored[fieldNames[f]!]
      if (fieldNames[f] === 'title' || typeof value !== 'string' || !value) continue
      // Passages come from the opening of a huge field: finding matches folds the text scanned.
      const scanned = value.length > SNIPPET_SCAN_LIMIT ? value.slice(0, SNIPPET_SCAN_LIMIT) : value
      hit.snippets.push(...makeSnippets(fieldNames[f]!, scanned, terms, weights, norm, snippet, tags))
    }
    hit.snippets = hit.snippets.slice(0, Math.max(snippet.count, 0))
    return hit
  })
}

/**
 * A hit's stored text must contain one of the query's terms: the postings said so. When it does
 * not, the file the index came from was damaged or crafted in a way no structural check can see
 * (an entry moved to another document); the search reports it rather than return that document.
 */
export function checkHitText(source: HitSource, id: string, stored: Record<string, unknown>, terms: readonly string[], fields: readonly number[]): Record<string, unknown> {
  if (terms.length === 0 || !source.termsInText) return stored
  const { fieldNames, norm } = source
  for (const f of fields) {
    const value = stored[fieldNames[f]!]
    if (typeof value === 'string' && mentionsAny(value, terms, norm, SNIPPET_SCAN_LIMIT) !== false) return stored
  }
  throw new JiansuoError('INDEX_CORRUPT', `Document ${describeValue(id)} is a hit for ${describeValue(terms.join(' '))}, but its stored text contains none of it: the index file was damaged. Rebuild the index from the source documents.`)
}

/** Serialize the whole index (versioned, checksummed). Compacts first. */
