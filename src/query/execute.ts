/**
 * Query execution: accumulate BM25F scores term at a time for a compiled query, apply phrase
 * and exclusion filters, the coordination factor and the proximity bonus, and collect the top k
 * (exhaustively, or window by window with block-max pruning for long lists).
 */
import { DocBits } from './bitset.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import { idf, saturate, weightedTf } from './bm25.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import { phraseDocuments, seek } from './phrases.js'
import { bonusBound, hasAdjacentPair, proximityBonus, proximityInputs, type Proximity } from './proximity.js'
import { TopK } from './top-k.js'
import { allLive } from './filter.js'
import { topByOrder, type DocOrder } from './sort.js'
import { documentScore, scoringInputs, type ScoringInputs, type Unit } from './score-one.js'
import { windowBounds, type WindowBounds } from './window-bounds.js'

export { MAX_QUERY_WORDS } from './compile.js'

export interface Scratch {
  scores: Float64Array
  matched: Uint16Array
  lastSlot: Int32Array
  stamp: Uint32Array
  /** Bit s (mod 32) set when the document matched slot s: bounds its possible proximity bonus. */
  mask: Uint32Array
  /** Documents scored by the current query, in order of first touch (`touchedCount` of them). */
  touched: Int32Array
  touchedCount: number
  generation: number
  /** Pruned path: per window, the bound of its scores; documents counted into `total`, as bits. */
  windowUpper: Float64Array
  seen: Int32Array
  /** The match set handed to facets, reused: it lives until the next search. */
  matches?: DocBits
}

export function createScratch(size: number): Scratch {
  return {
    scores: new Float64Array(size),
    matched: new Uint16Array(size),
    lastSlot: new Int32Array(size),
    stamp: new Uint32Array(size),
    mask: new Uint32Array(size),
    touched: new Int32Array(size),
    touchedCount: 0,
    generation: 0,
    windowUpper: new Float64Array(0),
    seen: new Int32Array(Math.ceil(size / 32)),
  }
}

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

/**
 * When and how executeQuery prunes (see `executePruned`); tests force either path with these.
 * Measured on 19.5k news documents (200 bench queries): 16-document windows beat 8 (more
 * per-window work) and 32–128 (looser bounds); pruning from 1024 postings on slowed no query.
 */
export const pruning = {
  /** Up to this many postings over all the query's lists, scoring every one is as fast. */
  minPostings: 1024,
  /** Windows hold 2^windowBits documents, or more where an index would have over maxWindows. */
  windowBits: 4,
  maxWindows: 4096,
}

/** Windows with the highest bounds, scored first so that the top-k floor rises early. */
const FIRST_WINDOWS = 8
/** Relative margin on window bounds: the proximity bonus is summed in another order than its bound. */
const SLACK = 1 + 1e-9


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
  // A quoted phrase no document contains does not end the search: its words still rank documents
  // (quotes in pasted questions are often just punctuation).
  const required = query.requiredPhrases.map((p) => phraseDocuments(p, index)).filter((set) => set.size > 0)
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
 * Block-max pruning, for queries over long lists: documents are scored window by window (ranges of
 * ids, see window-bounds.ts), and a window is skipped when its bound — each list's best value
 * there, weighted and summed, plus every proximity bonus — is below the k-th best score so far
 * (equal may still enter, on the doc-id tie-break). The windows with the highest bounds go first,
 * so that floor rises early; the rest follow in id order. Lists are added slot by slot as in the
 * exhaustive path, so scores are bit-identical. Weights are ≥ 0 and coordination multiplies by at
 * most 1, so the bounds hold without it.
 */
function executePruned(
  query: CompiledQuery,
  units: Unit[],
  proximity: Proximity | undefined,
  slotIdf: number[],
  index: InvertedIndex,
  params: RankingParams,
  norms: Float64Array[],
  scratch: Scratch,
  collect: Collect,
): ExecuteResult {
  const { k, filter } = collect
  const F = index.fields.length
  const docLimit = norms[0]!.length
  const shift = windowShift(docLimit)
  const windows = Math.ceil(docLimit / 2 ** shift)
  const bounds = units.map((u) => windowBounds(u.list, norms, u.fields, params.k1, shift))
  if (scratch.windowUpper.length < windows) scratch.windowUpper = new Float64Array(windows)
  const upper = scratch.windowUpper.fill(0, 0, windows)
  // Summed in scoring order: rounding is monotone, so no document's sum exceeds its window's.
  for (let u = 0; u < units.length; u++) {
    const weight = units[u]!.weight
    const { windows: listed, bound } = bounds[u]!
    for (let j = 0; j < listed.length; j++) upper[listed[j]!]! += weight * bound[j]!
  }
  const bonusMax = proximity ? proximity.pairBonus.reduce((a, b) => a + b, 0) : 0

  // A filter or a facet needs the matching documents as a set: the union of the lists, then ∩ filter.
  const needSet = filter !== undefined || collect.matches === true
  let total = bounds.length === 1 && !needSet ? bounds[0]!.matching.length : unionSize(bounds, scratch.seen)
  let matches: DocBits | undefined
  if (needSet) {
    matches = matchSet(scratch, index.docIdLimit)
    const words = matches.bits
    const seen = scratch.seen
    for (let w = 0; w < words.length; w++) words[w] = filter ? seen[w]! & filter.bits[w]! : seen[w]!
    matches.recount()
    total = matches.size
  }
  // A window holding no document of the filter is skipped whatever its bound.
  const filterWords = filter?.bits
  const windowWords = 2 ** Math.max(0, shift - 5)
  const inFilter = (w: number): boolean => {
    if (!filterWords) return true
    if (shift < 5) return ((filterWords[(w << shift) >>> 5]! >>> ((w << shift) & 31)) & ((1 << (1 << shift)) - 1)) !== 0
    for (let i = w * windowWords; i < (w + 1) * windowWords && i < filterWords.length; i++) if (filterWords[i] !== 0) return true
    return false
  }

  const gen = ++scratch.generation
  const { scores, matched, mask, touched } = scratch
  const totalSlots = query.slots.length
  const coordination = params.coordination
  const collector = new TopK(k)
  let floor = collector.floor
  // Per list, its first listed window not before the one being scored (both passes go in id order).
  const cursor = new Int32Array(units.length)
  const scoreWindow = (w: number) => {
    scratch.touchedCount = 0
    for (let u = 0; u < units.length; u++) {
      const { windows: listed, start } = bounds[u]!
      const c = (cursor[u] = seek(listed, cursor[u]!, w))
      if (c === listed.length || listed[c] !== w) continue
      const { list, weight, slot, fields } = units[u]!
      accumulate(list.docs, list.freqs, start[c]!, start[c + 1]!, fields, norms, weight, params.k1, slot, gen, scratch)
    }
    for (let i = 0; i < scratch.touchedCount; i++) {
      const doc = touched[i]!
      if (filter && !filter.has(doc)) continue
      // × 1 when coordination is off: the same bits as the exhaustive path's plain score.
      const coord = coordination === 0 ? 1 : (matched[doc]! / totalSlots) ** coordination
      let score = scores[doc]! * coord
      if (proximity) {
        const bonus = bonusBound(mask[doc]!, proximity.pairBonus)
        if (bonus > 0) {
          if ((score + bonus * coord) * SLACK < floor) continue
          score = score + proximityBonus(query, proximity.primary, F, doc, slotIdf) * params.proximity * coord
        }
      }
      if (score < floor) continue
      collector.push(doc, score)
      floor = collector.floor
    }
  }
  const first = largest(upper, windows, FIRST_WINDOWS)
  for (const w of first) if ((upper[w]! + bonusMax) * SLACK >= floor && inFilter(w)) scoreWindow(w)
  cursor.fill(0)
  for (let w = 0, f = 0; w < windows; w++) {
    if (w === first[f]) f++
    else if ((upper[w]! + bonusMax) * SLACK >= floor && inFilter(w)) scoreWindow(w)
  }
  return { total, top: collector.results(), ...(matches ? { matches } : {}) }
}

/** The scratch match set, emptied, for ids below `limit` (a new one when the index grew). */
function matchSet(scratch: Scratch, limit: number): DocBits {
  const words = (limit + 31) >>> 5
  if (!scratch.matches || scratch.matches.bits.length !== words) scratch.matches = new DocBits(limit)
  else {
    scratch.matches.bits.fill(0)
    scratch.matches.size = 0
  }
  return scratch.matches
}

/** Windows of 2^shift ids, the pruned path's (window bounds are cached per shift). */
function windowShift(docLimit: number): number {
  let shift = pruning.windowBits
  while (docLimit / 2 ** shift > pruning.maxWindows) shift++
  return shift
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
    const set = phraseDocuments(phrase, index)
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

/** Documents in at least one of the lists (matching postings only), without scoring them. */
function unionSize(bounds: WindowBounds[], seen: Int32Array): number {
  seen.fill(0)
  let total = 0
  for (const { matching, matchingBits } of bounds) {
    if (matchingBits) {
      for (let w = 0; w < matchingBits.length; w++) {
        const added = matchingBits[w]! & ~seen[w]!
        if (added === 0) continue
        seen[w]! |= added
        total += bitCount(added)
      }
      continue
    }
    for (let i = 0; i < matching.length; i++) {
      const doc = matching[i]!
      const bit = 1 << (doc & 31)
      if (seen[doc >>> 5]! & bit) continue
      seen[doc >>> 5]! |= bit
      total++
    }
  }
  return total
}

/** Set bits in a 32-bit word. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** Where the n largest of `a[0 .. length]` are, ascending: one pass keeping the n largest in order. */
function largest(a: Float64Array, length: number, n: number): number[] {
  const value: number[] = []
  const at: number[] = []
  for (let i = 0; i < length; i++) {
    const v = a[i]!
    if (value.length === n && v <= value[n - 1]!) continue
    let j = Math.min(value.length, n - 1)
    for (; j > 0 && value[j - 1]! < v; j--) {
      value[j] = value[j - 1]!
      at[j] = at[j - 1]!
    }
    value[j] = v
    at[j] = i
  }
  return at.sort((x, y) => x - y)
}

/**
 * Add one term's BM25F contribution to every document in entries [from, to) of its postings.
 * Kept small and monomorphic on purpose: it is the loop every query spends its time in.
 */
function accumulate(
  docs: ArrayLike<number>,
  freqs: ArrayLike<number>,
  from: number,
  to: number,
  fields: readonly number[],
  norms: readonly Float64Array[],
  weight: number,
  k1: number,
  slot: number,
  gen: number,
  scratch: Scratch,
): void {
  const { scores, matched, lastSlot, stamp, mask, touched } = scratch
  let touchedCount = scratch.touchedCount
  const bit = 1 << (slot & 31)
  for (let i = from; i < to; i++) {
    const doc = docs[i]!
    const wtf = weightedTf(docs, freqs, i, norms, fields)
    if (wtf === 0) continue
    if (stamp[doc] !== gen) {
      stamp[doc] = gen
      scores[doc] = 0
      matched[doc] = 0
      lastSlot[doc] = -1
      mask[doc] = 0
      touched[touchedCount++] = doc
    }
    scores[doc]! += weight * saturate(wtf, k1)
    if (lastSlot[doc] !== slot) {
      lastSlot[doc] = slot
      matched[doc]!++
      mask[doc]! |= bit
    }
  }
  scratch.touchedCount = touchedCount
}
