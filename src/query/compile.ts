/**
 * Compile a parsed query into *slots*, one per query word: the index terms that stand for it
 * (the word itself, expansions or pieces when the index does not know it), the fields it is
 * searched in and its position (for proximity); plus the phrases every hit must contain, the
 * excluded clauses, and the terms to highlight. Keeps the rarest `MAX_QUERY_WORDS` words.
 */
import type { Analyzer, Token } from '../analysis/analyzer.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { DocBits } from './bitset.js'
import { phraseDocuments } from './phrases.js'
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
  /** The documents holding it, when already computed (required phrases are, at compile time). */
  documents?: DocBits
}

/**
 * A change the engine made to what the user typed, reported with the result: a quoted phrase no
 * document holds searched as words, an unknown word split into index terms, pinyin read as the
 * Han words it spells, a rare word searched as its frequent homophone, a word a one-way synonym
 * rule replaces.
 */
export interface Relaxation {
  kind: 'phrase' | 'decomposed' | 'pinyin' | 'homophone' | 'synonym'
  /** What was typed (the quoted phrase, the word, the pinyin). */
  from: string
  /** What was searched instead (words joined by spaces; for pinyin, the most frequent word). */
  to: string
}

/**
 * Tokens `[first, end)` of one clause searched as `slots` instead of one slot per token (pinyin
 * read as Han words, a synonym group): made by a `Rewrite`, in token order, never overlapping.
 */
export interface Span {
  first: number
  end: number
  slots: Alternative[][]
  /** Terms to highlight for it. */
  highlight: string[]
  relaxed?: Relaxation
}

/** Spans for the tokens of one clause (`text` is the clause's text, token offsets point into it; `fields` it searches). */
export type Rewrite = (tokens: readonly Token[], text: string, fields: readonly number[]) => Span[]

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
  /** What was searched differently from how it was typed, in query order. */
  relaxed: Relaxation[]
}

/** How words the index does not hold are searched, and how spans of tokens are rewritten. */
export interface WordResolvers {
  /** Documents holding an unknown word as text (see unknown-words.ts); [] when none or over budget. */
  unknown: (term: string) => Alternative[]
  /** An unknown word's pieces that are index terms; [] when it has none. */
  decompose?: (term: string) => string[]
  rewrite?: Rewrite
}

export function compileQuery(
  parsed: ParsedQuery,
  analyzer: Analyzer,
  index: InvertedIndex,
  searchFields: number[],
  resolvers: WordResolvers,
): CompiledQuery {
  const compiled: CompiledQuery = { slots: [], requiredPhrases: [], excluded: [], highlightTerms: [], matchAll: parsed.groups.length === 0, relaxed: [] }
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
        const phrase: Phrase = { terms: tokens.map((t) => t.term), offsets: tokens.map((t) => t.position - tokens[0]!.position), fields }
        phrase.documents = phraseDocuments(phrase, index)
        // A quoted phrase no document contains does not end the search: its words still rank
        // documents (quotes in pasted questions are often just punctuation). The result says so.
        if (phrase.documents.size > 0) compiled.requiredPhrases.push(phrase)
        else compiled.relaxed.push({ kind: 'phrase', from: clause.text, to: phrase.terms.join(' ') })
      }
      const spans = resolvers.rewrite?.(tokens, clause.text, fields) ?? []
      let nextSpan = 0
      for (let k = 0; k < tokens.length; k++) {
        const token = tokens[k]!
        const span = spans[nextSpan]
        if (span && span.first === k) {
          nextSpan++
          for (const term of span.highlight) highlight.add(term)
          if (span.relaxed) compiled.relaxed.push(span.relaxed)
          // Slots of one span sit at sub-positions of its first token, as decomposed pieces do.
          span.slots.forEach((alternatives, i) => compiled.slots.push({ alternatives, fields, position: token.position + i / 16, clause: clauseId }))
          k = span.end - 1
          continue
        }
        highlight.add(token.term)
        if (index.postings.docFreq(token.term) > 0) {
          compiled.slots.push({ alternatives: [{ term: token.term, weight: 1 }], fields, position: token.position, clause: clauseId })
          continue
        }
        // Unknown to the index: documents that contain it as text, else its pieces that are terms.
        const found = resolvers.unknown(token.term)
        if (found.length > 0 || !resolvers.decompose) {
          compiled.slots.push({ alternatives: found, fields, position: token.position, clause: clauseId })
          continue
        }
        const pieces = resolvers.decompose(token.term)
        if (pieces.length === 0) compiled.slots.push({ alternatives: [], fields, position: token.position, clause: clauseId })
        else compiled.relaxed.push({ kind: 'decomposed', from: clause.text.slice(token.start, token.end), to: pieces.join(' ') })
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
