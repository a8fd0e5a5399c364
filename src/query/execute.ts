/**
 * Query execution: chooses the path and collects. Match-all (no words), sorted by typed fields
 * (the match set, then only the documents the sort keys can put on the page are scored),
 * exhaustive (term at a time, for phrases, exclusions and short lists), or pruned (block-max,
 * pruned.ts). Every path applies the filter before scoring and returns the exact total.
 */
import { DocBits } from './bitset.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import { phraseDocuments } from './phrases.js'
import { bonusBound, proximityBonus } from './proximity.js'
import { TopK } from './top-k.js'
import { allLive } from './filter.js'
import { topByOrder, type DocOrder } from './sort.js'
import { documentScore, scoringInputs, type ScoringInputs } from './score-one.js'
import { windowBounds } from './window-bounds.js'
import { accumulate, type Scratch } from './accumulate.js'
import { executePruned, matchSet, pruning, unionSize, windowShift } from './pruned.js'

export { MAX_QUERY_WORDS } from './compile.js'
export { createScratch, type Scratch } from './accumulate.js'
export { pruning } from './pruned.js'

export interface ExecuteResult {
  total: number
  top: { doc: number; score: number }[]
  /** Every matching document, when asked for (`Collect.matches`). */
  matches?: DocBits
}

/** What to collect, beyond the query itself. */
export interface Collect {
  /** The first k hits. */
  k: number
  /** Only these documents can match (a filter on typed fields), when given. */
  filter?: DocBits
  /** The order of hits when not by score (sort on typed fields). */
  order?: DocOrder
  /** Also return the set of every matching document (for facets). */
  matches?: boolean
}

export function executeQuery(
  query: CompiledQuery,
  index: InvertedIndex,
  params: RankingParams,
  scratch: Scratch,
  collect: Collect,
): ExecuteResult {
  const { k, filter, order } = collect
  if (query.matchAll) return executeMatchAll(query, index, scratch, collect)
  if (query.slots.length === 0 || query.slots.every((s) => s.alternatives.length === 0) || filter?.size === 0) {
    return { total: 0, top: [], ...(collect.matches ? { matches: new DocBits(index.docIdLimit) } : {}) }
  }
  const F = index.fields.length
  const inputs = scoringInputs(query, index, params)
  const { norms, units, slotIdf, postings, proximity } = inputs
  if (order) return executeSorted(query, inputs, index, params, scratch, collect, order)
  // Phrase and exclusion filters need every candidate, and so does an order other than the score:
  // those queries keep the exhaustive path.
  if (!order && query.requiredPhrases.length === 0 && query.excluded.length === 0 && postings > pruning.minPostings) {
    return executePruned(query, units, proximity, slotIdf, index, params, norms, scratch, collect)
  }

  const gen = ++scratch.generation
  scratch.touchedCount = 0
  for (const { list, weight, slot, fields } of units) accumulate(list.docs, list.freqs, 0, list.length, fields, norms, weight, params.k1, slot, gen, scratch)
  const { scores, matched, mask, touched } = scratch
  const touchedCount = scratch.touchedCount

  // Bitsets, not Sets: an excluded common word lists most of the index (20k adds into a Set cost ~1 ms).
  const excluded = new DocBits(index.docIdLimit)
  for (const phrase of query.excluded) excluded.addAll(phraseDocuments(phrase, index))
  // Required phrases come with their documents (compile dropped those no document holds).
  const required = query.requiredPhrases.map((p) => p.documents ?? phraseDocuments(p, index)).filter((set) => set.size > 0)
  const filtered = excluded.size > 0 || required.length > 0 || filter !== undefined
  const pass = (doc: number) => !excluded.has(doc) && required.every((set) => set.has(doc)) && (!filter || filter.has(doc))

  const totalSlots = query.slots.length
  const coordination = params.coordination
  const coordOf = (doc: number) => (coordination === 0 ? 1 : (matched[doc]! / totalSlots) ** coordination)
  let matches: DocBits | undefined
  if (collect.matches) {
    matches = matchSet(scratch, index.docIdLimit)
    for (let i = 0; i < touchedCount; i++) if (!filtered || pass(touched[i]!)) matches.add(touched[i]!)
  }
  // Base scores (× coordination, which is × 1 when off); the collector's floor skips the call for
  // the many documents that cannot enter the top k.
  let total = 0
  const base = new TopK(k)
  let floor = -Infinity
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i]!
    if (filtered && !pass(doc)) continue
    total++
    const score = scores[doc]! * coordOf(doc)
    if (score < floor) continue
    base.push(doc, score)
    floor = base.floor
  }
  if (!proximity) return { total, top: base.results(), ...(matches ? { matches } : {}) }

  // The proximity bonus can lift a document above others, so rescoring a fixed pool of the best
  // base scores would make pages disagree. Exact instead: the k-th best base score bounds the k-th
  // final score from below; only documents whose base plus the largest bonus they could earn
  // (pairs of slots they matched both of) reaches it are rescored.
  const kth = base.results()[k - 1]?.score ?? -Infinity
  const collector = new TopK(k)
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i]!
    if (filtered && !pass(doc)) continue
    const coord = coordOf(doc)
    const score = scores[doc]! * coord
    const upper = bonusBound(mask[doc]!, proximity.pairBonus)
    if (upper === 0 || score + upper * coord < kth) {
      collector.push(doc, score)
      continue
    }
    collector.push(doc, score + proximityBonus(query, proximity.primary, F, doc, slotIdf) * params.proximity * coord)
  }
  const top = collector.results()
  return { total, top, ...(matches ? { matches } : {}) }
}

/**
 * Sorted by typed fields: the matching documents as a set (the union of the lists, ∩ filter and
 * required phrases, − exclusions) without scoring any; then only the documents that can be on
 * the page by the sort keys are scored, one by one (score-one.ts), for the score levels and ties.
 */
function executeSorted(query: CompiledQuery, inputs: ScoringInputs, index: InvertedIndex, params: RankingParams, scratch: Scratch, collect: Collect, order: DocOrder): ExecuteResult {
  const { norms, units } = inputs
  const shift = windowShift(norms[0]!.length)
  const bounds = units.map((u) => windowBounds(u.list, norms, u.fields, params.k1, shift))
  unionSize(bounds, scratch.seen)
  const matches = matchSet(scratch, index.docIdLimit)
  const words = matches.bits
  words.set(new Uint32Array(scratch.seen.buffer, scratch.seen.byteOffset, words.length))
  const { filter } = collect
  if (filter) for (let w = 0; w < words.length; w++) words[w]! &= filter.bits[w]!
  for (const phrase of query.requiredPhrases) {
    const set = phrase.documents ?? phraseDocuments(phrase, index)
    // A quoted phrase no document contains does not end the search (as in the other paths).
    if (set.size > 0) for (let w = 0; w < words.length; w++) words[w]! &= set.bits[w]!
  }
  for (const phrase of query.excluded) {
    const set = phraseDocuments(phrase, index)
    for (let w = 0; w < words.length; w++) words[w]! &= ~set.bits[w]!
  }
  matches.recount()
  const ids = matches.ids()
  const F = index.fields.length
  const top = topByOrder(ids, ids.length, collect.k, order, (doc) => documentScore(query, inputs, F, params, doc).score)
  return { total: matches.size, top, ...(collect.matches ? { matches } : {}) }
}

/**
 * A query with no words (only typed-field filters, or nothing): every live document that passes
 * the filters and exclusions matches, with score 0, in the sort order (default: insertion order).
 */
function executeMatchAll(query: CompiledQuery, index: InvertedIndex, scratch: Scratch, collect: Collect): ExecuteResult {
  // A filter holds live documents only; without one, every live document.
  const matches = matchSet(scratch, index.docIdLimit)
  const { filter } = collect
  if (filter) matches.addAll(filter)
  else matches.addAll(allLive(index))
  if (query.excluded.length > 0) {
    const excluded = new DocBits(index.docIdLimit)
    for (const phrase of query.excluded) excluded.addAll(phraseDocuments(phrase, index))
    for (let w = 0; w < matches.bits.length; w++) matches.bits[w]! &= ~excluded.bits[w]!
    matches.recount()
  }
  const ids = matches.ids()
  const top = collect.order
    ? topByOrder(ids, ids.length, collect.k, collect.order, () => 0)
    : ids.slice(0, Math.max(0, collect.k)).map((doc) => ({ doc, score: 0 }))
  return { total: matches.size, top, ...(collect.matches ? { matches } : {}) }
}
