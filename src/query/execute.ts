/**
 * Query execution: compile the parsed query into term slots, accumulate BM25F scores term at a
 * time, apply phrase and exclusion filters, the coordination factor and the proximity bonus, and
 * collect the top k.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import { lowerBound, type PostingList } from '../index/postings.js'
import { idf, saturate } from './bm25.js'
import type { ParsedQuery, Clause } from './parser.js'
import { TopK } from './top-k.js'

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
  return compiled
}

export interface ExecuteResult {
  total: number
  top: { doc: number; score: number }[]
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
  const gen = ++scratch.generation
  const { scores, matched, mask, touched } = scratch
  scratch.touchedCount = 0
  const slotIdf: number[] = []
  const k1 = params.k1

  for (let s = 0; s < query.slots.length; s++) {
    const slot = query.slots[s]!
    const fields = slot.fields
    let bestIdf = 0
    for (const alt of slot.alternatives) {
      const list = alt.list ?? index.postings.get(alt.term)
      if (!list || list.length === 0) continue
      const termIdf = idf(N, list.length)
      const weight = alt.weight * termIdf
      bestIdf = Math.max(bestIdf, weight)
      accumulate(list.docs, list.freqs, list.length, F, fields, norms, weight, k1, s, gen, scratch)
    }
    slotIdf.push(bestIdf)
  }
  const touchedCount = scratch.touchedCount

  const excluded = new Set<number>()
  for (const phrase of query.excluded) for (const doc of phraseDocuments(phrase, index)) excluded.add(doc)
  // A quoted phrase no document contains does not end the search: its words still rank documents
  // (quotes in pasted questions are often just punctuation).
  const required = query.requiredPhrases.map((p) => phraseDocuments(p, index)).filter((set) => set.size > 0)
  const filtered = excluded.size > 0 || required.length > 0
  const pass = (doc: number) => !excluded.has(doc) && required.every((set) => set.has(doc))

  const totalSlots = query.slots.length
  const coordination = params.coordination
  const coordOf = (doc: number) => (coordination === 0 ? 1 : (matched[doc]! / totalSlots) ** coordination)
  let total = 0
  let top: { doc: number; score: number }[]
  if (!(params.proximity > 0 && hasAdjacentPair(query))) {
    const collector = new TopK(k)
    // The collector's floor skips the call for the many documents that cannot enter the top k.
    let floor = -Infinity
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i]!
      if (filtered && !pass(doc)) continue
      total++
      const score = coordination === 0 ? scores[doc]! : scores[doc]! * coordOf(doc)
      if (score < floor) continue
      collector.push(doc, score)
      floor = collector.floor
    }
    top = collector.results()
  } else {
    // The proximity bonus can lift a document above others, so rescoring a fixed pool of the
    // best base scores would make pages disagree. Exact instead: the k-th best base score bounds
    // the k-th final score from below; only documents whose base plus the largest bonus they could
    // earn (pairs of slots they matched both of) reaches it are rescored.
    const pairBonus = query.slots.map((a, s) => {
      const b = query.slots[s + 1]
      return b && a.clause === b.clause ? (params.proximity * (slotIdf[s]! + slotIdf[s + 1]!)) / 2 : 0
    })
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
    const kth = base.results()[k - 1]?.score ?? -Infinity
    const primary = query.slots.map((slot) => (slot.alternatives.length > 0 && !slot.alternatives[0]!.list ? index.postings.get(slot.alternatives[0]!.term) : undefined))
    const collector = new TopK(k)
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i]!
      if (filtered && !pass(doc)) continue
      const coord = coordOf(doc)
      const score = scores[doc]! * coord
      let upper = 0
      const bits = mask[doc]!
      for (let s = 0; s + 1 < totalSlots; s++) {
        if (pairBonus[s]! > 0 && bits & (1 << (s & 31)) && bits & (1 << ((s + 1) & 31))) upper += pairBonus[s]!
      }
      if (upper === 0 || score + upper * coord < kth) {
        collector.push(doc, score)
        continue
      }
      collector.push(doc, score + proximityBonus(query, primary, F, doc, slotIdf) * params.proximity * coord)
    }
    top = collector.results()
  }
  return { total, top }
}

/**
 * Add one term's BM25F contribution to every document in its postings. Kept small and
 * monomorphic on purpose: it is the loop every query spends its time in.
 */
function accumulate(
  docs: ArrayLike<number>,
  freqs: ArrayLike<number>,
  n: number,
  F: number,
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
  for (let i = 0; i < n; i++) {
    const doc = docs[i]!
    let wtf = 0
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j]!
      const tf = freqs[i * F + f]!
      if (tf > 0) wtf += tf * norms[f]![doc]!
    }
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
export function phraseDocuments(phrase: Phrase, index: InvertedIndex): Set<number> {
  const out = new Set<number>()
  const lists: PostingList[] = []
  for (const term of phrase.terms) {
    const list = index.postings.get(term)
    if (!list) return out
    lists.push(list)
  }
  const F = index.fields.length
  // Drive from the rarest list.
  let driver = 0
  for (let t = 1; t < lists.length; t++) if (lists[t]!.length < lists[driver]!.length) driver = t
  const d = lists[driver]!
  for (let i = 0; i < d.length; i++) {
    const doc = d.docs[i]!
    const entries = lists.map((l) => entryOf(l, doc))
    if (entries.some((e) => e < 0)) continue
    for (const f of phrase.fields) {
      // Position ranges in each term's `pos`, no copies: this runs for every candidate document.
      const ranges = lists.map((l, t) => fieldRange(l, entries[t]!, f, F))
      const [from, count] = ranges[0]!
      if (count === 0) continue
      let found = false
      for (let p = from; p < from + count && !found; p++) {
        const base = lists[0]!.pos[p]!
        found = phrase.offsets.every((off, t) => t === 0 || rangeIncludes(lists[t]!.pos, ranges[t]![0], ranges[t]![1], base + off))
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
