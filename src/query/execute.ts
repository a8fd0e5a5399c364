/**
 * Query execution: compile the parsed query into term slots, accumulate BM25F scores term at a
 * time, apply phrase and exclusion filters, the coordination factor and the proximity bonus, and
 * collect the top k.
 */
import { DocBits } from './bitset.js'
import type { Analyzer } from '../analysis/analyzer.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import { lowerBound, type PostingList } from '../index/postings.js'
import { idf, saturate, weightedTf } from './bm25.js'
import type { ParsedQuery, Clause } from './parser.js'
import { TopK } from './top-k.js'
import { windowBounds, type WindowBounds } from './window-bounds.js'

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
interface Slot {
  alternatives: Alternative[]
  fields: number[]
  /** Position in the query (stopwords take one too), for adjacency checks. */
  position: number
  clause: number
}

interface Phrase {
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
}

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

export function compileQuery(
  parsed: ParsedQuery,
  analyzer: Analyzer,
  index: InvertedIndex,
  searchFields: number[],
  params: RankingParams,
  resolveUnknown: (term: string) => Alternative[],
  decomposeUnknown?: (term: string) => string[],
): CompiledQuery {
  const compiled: CompiledQuery = { slots: [], requiredPhrases: [], excluded: [], highlightTerms: [] }
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

export interface ExecuteResult {
  total: number
  top: { doc: number; score: number }[]
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

/** One list to score: an alternative of a slot, weighted by its idf. */
interface Unit {
  list: PostingList
  weight: number
  slot: number
  fields: number[]
}

/** Proximity bonus inputs: per adjacent slot pair the most it adds, and the lists holding positions. */
interface Proximity {
  pairBonus: number[]
  primary: (PostingList | undefined)[]
}

export function executeQuery(
  query: CompiledQuery,
  index: InvertedIndex,
  params: RankingParams,
  scratch: Scratch,
  k: number,
): ExecuteResult {
  if (query.slots.length === 0 || query.slots.every((s) => s.alternatives.length === 0)) return { total: 0, top: [] }
  const F = index.fields.length
  const N = index.documentCount
  // Per field and document: boost / (1 − b + b·len/avglen), computed once per index state.
  const norms = index.fieldNorms(params.b, params.boosts)
  const units: Unit[] = []
  const slotIdf: number[] = []
  let postings = 0
  query.slots.forEach((slot, s) => {
    let bestIdf = 0
    for (const alt of slot.alternatives) {
      const list = alt.list ?? index.postings.get(alt.term)
      if (!list || list.length === 0) continue
      const weight = alt.weight * idf(N, list.length)
      bestIdf = Math.max(bestIdf, weight)
      units.push({ list, weight, slot: s, fields: slot.fields })
      postings += list.length
    }
    slotIdf.push(bestIdf)
  })
  const proximity = params.proximity > 0 && hasAdjacentPair(query) ? proximityInputs(query, index, params.proximity, slotIdf) : undefined
  // Phrase and exclusion filters need every candidate: those queries keep the exhaustive path.
  if (query.requiredPhrases.length === 0 && query.excluded.length === 0 && postings > pruning.minPostings) {
    return executePruned(query, units, proximity, slotIdf, index, params, norms, scratch, k)
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
  const filtered = excluded.size > 0 || required.length > 0
  const pass = (doc: number) => !excluded.has(doc) && required.every((set) => set.has(doc))

  const totalSlots = query.slots.length
  const coordination = params.coordination
  const coordOf = (doc: number) => (coordination === 0 ? 1 : (matched[doc]! / totalSlots) ** coordination)
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
  if (!proximity) return { total, top: base.results() }

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
  return { total, top }
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
  k: number,
): ExecuteResult {
  const F = index.fields.length
  const docLimit = norms[0]!.length
  let shift = pruning.windowBits
  while (docLimit / 2 ** shift > pruning.maxWindows) shift++
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

  const total = bounds.length === 1 ? bounds[0]!.matching.length : unionSize(bounds, scratch.seen)

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
  for (const w of first) if ((upper[w]! + bonusMax) * SLACK >= floor) scoreWindow(w)
  cursor.fill(0)
  for (let w = 0, f = 0; w < windows; w++) {
    if (w === first[f]) f++
    else if ((upper[w]! + bonusMax) * SLACK >= floor) scoreWindow(w)
  }
  return { total, top: collector.results() }
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

/** The first index from `from` on where ascending `a` is ≥ x; galloping, so long skips cost their logarithm. */
function seek(a: ArrayLike<number>, from: number, x: number): number {
  let lo = from
  let hi = from
  for (let step = 1; hi < a.length && a[hi]! < x; step *= 2) {
    lo = hi + 1
    hi += step
  }
  hi = Math.min(hi, a.length)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

function proximityInputs(query: CompiledQuery, index: InvertedIndex, weight: number, slotIdf: number[]): Proximity {
  const pairBonus = query.slots.map((a, s) => {
    const b = query.slots[s + 1]
    return b && a.clause === b.clause ? (weight * (slotIdf[s]! + slotIdf[s + 1]!)) / 2 : 0
  })
  const primary = query.slots.map((slot) => (slot.alternatives.length > 0 && !slot.alternatives[0]!.list ? index.postings.get(slot.alternatives[0]!.term) : undefined))
  return { pairBonus, primary }
}

/** The most proximity bonus a document can earn: pairs of adjacent slots it matched both of (`bits`). */
function bonusBound(bits: number, pairBonus: number[]): number {
  let upper = 0
  for (let s = 0; s + 1 < pairBonus.length; s++) {
    if (pairBonus[s]! > 0 && bits & (1 << (s & 31)) && bits & (1 << ((s + 1) & 31))) upper += pairBonus[s]!
  }
  return upper
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

function hasAdjacentPair(query: CompiledQuery): boolean {
  for (let s = 0; s + 1 < query.slots.length; s++) {
    const a = query.slots[s]!
    const b = query.slots[s + 1]!
    if (a.clause === b.clause && a.alternatives.length > 0 && b.alternatives.length > 0) return true
  }
  return false
}

/** Adjacent query words (same clause, in order) found next to each other in a field earn their mean idf. */
function proximityBonus(query: CompiledQuery, primary: (PostingList | undefined)[], F: number, doc: number, slotIdf: number[]): number {
  let bonus = 0
  for (let s = 0; s + 1 < query.slots.length; s++) {
    const a = query.slots[s]!
    const b = query.slots[s + 1]!
    const la = primary[s]
    const lb = primary[s + 1]
    if (a.clause !== b.clause || !la || !lb) continue
    // Pieces of one decomposed word sit at fractional positions: next to each other means 1.
    const raw = b.position - a.position
    const gap = raw > 0 && raw < 1 ? 1 : raw
    if (gap <= 0 || gap > 3) continue
    const ia = entryOf(la, doc)
    if (ia < 0) continue
    const ib = entryOf(lb, doc)
    if (ib < 0) continue
    for (const f of a.fields) {
      const [fromA, countA] = fieldRange(la, ia, f, F)
      const [fromB, countB] = fieldRange(lb, ib, f, F)
      if (countA && countB && followedBy(la.pos, fromA, countA, lb.pos, fromB, countB, gap)) {
        bonus += (slotIdf[s]! + slotIdf[s + 1]!) / 2
        break
      }
    }
  }
  return bonus
}

function entryOf(list: PostingList, doc: number): number {
  const i = lowerBound(list.docs, doc)
  return list.docs[i] === doc ? i : -1
}

/** Where entry's positions in `field` start in `pos`, and how many there are. */
function fieldRange(list: PostingList, entry: number, field: number, fieldCount: number): [number, number] {
  let start = list.posStart[entry]!
  for (let f = 0; f < field; f++) start += list.freqs[entry * fieldCount + f]!
  return [start, list.freqs[entry * fieldCount + field]!]
}

/** Is there x in a[fromA, fromA+countA) with x + gap in b[fromB, fromB+countB)? Both ascending. */
function followedBy(a: ArrayLike<number>, fromA: number, countA: number, b: ArrayLike<number>, fromB: number, countB: number, gap: number): boolean {
  let j = fromB
  const endB = fromB + countB
  for (let i = fromA; i < fromA + countA; i++) {
    const want = a[i]! + gap
    while (j < endB && b[j]! < want) j++
    if (j < endB && b[j] === want) return true
  }
  return false
}

/** Documents containing the phrase: every term at its offset from the first, within one field. */
/** Documents with `list`'s term in one of `fields`: a one-word phrase needs no positions. */
function termDocuments(list: PostingList, fields: readonly number[], F: number, limit: number): DocBits {
  const out = new DocBits(limit)
  for (let i = 0; i < list.length; i++) {
    for (const f of fields) {
      if (list.freqs[i * F + f]! > 0) {
        out.add(list.docs[i]!)
        break
      }
    }
  }
  return out
}

export function phraseDocuments(phrase: Phrase, index: InvertedIndex): DocBits {
  const out = new DocBits(index.docIdLimit)
  const lists: PostingList[] = []
  for (const term of phrase.terms) {
    const list = index.postings.get(term)
    if (!list) return out
    lists.push(list)
  }
  const F = index.fields.length
  if (lists.length === 1) return termDocuments(lists[0]!, phrase.fields, F, index.docIdLimit)
  // Drive from the rarest list.
  let driver = 0
  for (let t = 1; t < lists.length; t++) if (lists[t]!.length < lists[driver]!.length) driver = t
  const d = lists[driver]!
  const n = lists.length
  // Per term: its cursor (driver documents ascend, so each list is walked once, galloping), and
  // the entry and position range of the current document. No allocation per candidate.
  const cursor = new Int32Array(n)
  const from = new Int32Array(n)
  const count = new Int32Array(n)
  candidates: for (let i = 0; i < d.length; i++) {
    const doc = d.docs[i]!
    for (let t = 0; t < n; t++) {
      const list = lists[t]!
      const c = (cursor[t] = seek(list.docs, cursor[t]!, doc))
      if (c >= list.length || list.docs[c] !== doc) continue candidates
    }
    for (const f of phrase.fields) {
      let present = true
      for (let t = 0; t < n && present; t++) {
        const list = lists[t]!
        const entry = cursor[t]!
        let start = list.posStart[entry]!
        for (let g = 0; g < f; g++) start += list.freqs[entry * F + g]!
        from[t] = start
        count[t] = list.freqs[entry * F + f]!
        present = count[t]! > 0
      }
      if (!present) continue
      let found = false
      const first = lists[0]!.pos
      for (let p = from[0]!; p < from[0]! + count[0]! && !found; p++) {
        found = true
        for (let t = 1; t < n && found; t++) found = rangeIncludes(lists[t]!.pos, from[t]!, count[t]!, first[p]! + phrase.offsets[t]!)
      }
      if (found) {
        out.add(doc)
        break
      }
    }
  }
  return out
}

/** Does `a[from, from+count)` (ascending) contain x? */
function rangeIncludes(a: ArrayLike<number>, from: number, count: number, x: number): boolean {
  let lo = from
  let hi = from + count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo < from + count && a[lo] === x
}
