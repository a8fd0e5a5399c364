/**
 * Compile a parsed query into *slots*, one per query word: the index terms that stand for it
 * (the word itself, expansions or pieces when the index does not know it), the fields it is
 * searched in and its position (for proximity); plus the phrases every hit must contain, the
 * excluded clauses, and the terms to highlight. Keeps the rarest `MAX_QUERY_WORDS` words.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { ParsedQuery, Clause } from './parser.js'

export interface RankingParams {
  k1: number
  b: number
  boosts: number[]
  coordination: number
  proximity: number
  expansionWeight: number
}

/**
 * A stand-in for a query word: an index term, or (for a word the index never saw) a list of the
 * documents that contain it as a substring, built and verified by the engine.
 */
export interface Alternative {
  term: string
  weight: number
  /** Precomputed postings (no positions) instead of the index's list for `term`. */
  list?: PostingList
}

/** One query word: the index terms that stand for it (the word itself, or expansions when unknown). */
export interface Slot {
  alternatives: Alternative[]
  fields: number[]
  /** Position in the query (stopwords take one too), for adjacency checks. */
  position: number
  clause: number
}

export interface Phrase {
  terms: string[]
  offsets: number[]
  fields: number[]
}

export interface CompiledQuery {
  slots: Slot[]
  /** Phrases every result must contain. */
  requiredPhrases: Phrase[]
  /** Clauses whose documents are removed. */
  excluded: Phrase[]
  /** Normalized terms to highlight in snippets. */
  highlightTerms: string[]
  /** No positive words (an empty query, or only filters and exclusions): every document may match — the searcher keeps this only for searches that filter, sort or count. */
  matchAll: boolean
}

export function compileQuery(
  parsed: ParsedQuery,
  analyzer: Analyzer,
  index: InvertedIndex,
  searchFields: number[],
  params: RankingParams,
  resolveUnknown: (term: string) => Alternative[],
  decomposeUnknown?: (term: string) => string[],
): CompiledQuery {
  const compiled: CompiledQuery = { slots: [], requiredPhrases: [], excluded: [], highlightTerms: [], matchAll: parsed.groups.length === 0 }
  const fieldsOf = (clause: Clause) => {
    if (!clause.field) return searchFields
    const f = index.fields.indexOf(clause.field)
    return searchFields.includes(f) ? [f] : []
  }
  const highlight = new Set<string>()
  let clauseNumber = 0
  for (const group of parsed.groups) {
    for (const clause of group) {
      const tokens = analyzer.analyze(clause.text, 'query')
      const fields = fieldsOf(clause)
      const clauseId = clauseNumber++
      if (clause.phrase && group.length === 1 && tokens.length > 0) {
        compiled.requiredPhrases.push({
          terms: tokens.map((t) => t.term),
          offsets: tokens.map((t) => t.position - tokens[0]!.position),
          fields,
        })
      }
      for (const token of tokens) {
        highlight.add(token.term)
        if (index.postings.docFreq(token.term) > 0) {
          compiled.slots.push({ alternatives: [{ term: token.term, weight: 1 }], fields, position: token.position, clause: clauseId })
          continue
        }
        // Unknown to the index: documents that contain it as text, else its pieces that are terms.
        const found = resolveUnknown(token.term)
        if (found.length > 0 || !decomposeUnknown) {
          compiled.slots.push({ alternatives: found, fields, position: token.position, clause: clauseId })
          continue
        }
        const pieces = decomposeUnknown(token.term)
        if (pieces.length === 0) compiled.slots.push({ alternatives: [], fields, position: token.position, clause: clauseId })
        // Pieces sit at sub-positions of the word, so adjacent pieces still earn the proximity bonus.
        pieces.forEach((piece, i) => {
          highlight.add(piece)
          compiled.slots.push({ alternatives: [{ term: piece, weight: 1 }], fields, position: token.position + i / 16, clause: clauseId })
        })
      }
    }
  }
  for (const clause of parsed.excluded) {
    const tokens = analyzer.analyze(clause.text, 'query')
    if (tokens.length === 0) continue
    compiled.excluded.push({
      terms: tokens.map((t) => t.term),
      offsets: tokens.map((t) => t.position - tokens[0]!.position),
      fields: fieldsOf(clause),
    })
  }
  compiled.highlightTerms = [...highlight]
  compiled.slots = rarestSlots(compiled.slots, MAX_QUERY_WORDS, (term) => index.postings.docFreq(term))
  return compiled
}

/**
 * Words one query scores, at most. A pasted article has hundreds, each with a long list and a
 * proximity pair to check per candidate: kept unbounded, one query costs hundreds of ms. Like
 * Lucene's MoreLikeThis, the rarest words are kept (they carry nearly all the weight: the most
 * common words' idf is a fraction of theirs), in query order; search-box queries have far fewer.
 * 32 is also the width of the per-document slot mask, so proximity bounds stay exact.
 */
export const MAX_QUERY_WORDS = 32

/** The `max` slots with the fewest postings (ties: earlier first), in their original order. */
function rarestSlots(slots: Slot[], max: number, docFreq: (term: string) => number): Slot[] {
  if (slots.length <= max) return slots
  const cost = slots.map((slot) => slot.alternatives.reduce((sum, alt) => sum + (alt.list ? alt.list.length : docFreq(alt.term)), 0))
  const kept = slots
    .map((_, i) => i)
    // A slot with no alternatives matches nothing: it costs nothing but must not crowd out real words.
    .sort((a, b) => (slots[a]!.alternatives.length === 0 ? 1 : 0) - (slots[b]!.alternatives.length === 0 ? 1 : 0) || cost[a]! - cost[b]! || a - b)
    .slice(0, max)
    .sort((a, b) => a - b)
  return kept.map((i) => slots[i]!)
}
