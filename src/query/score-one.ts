/**
 * What scoring a query reads (one unit per posting list, with its idf weight; the length norms;
 * the proximity inputs), and the score of one document computed directly — a binary search per
 * list instead of accumulating every posting. Sort (which scores only the documents that can
 * reach the page) and explain use it; its additions run in the executor's order, so the result
 * is the executor's score to the bit.
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import { lowerBound } from '../index/sorted-search.js'
import { idf, saturate, weightedTf } from './bm25.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import { bonusBound, hasAdjacentPair, proximityBonus, proximityInputs, type Proximity } from './proximity.js'

/** One list to score: an alternative of a slot, weighted by its idf. */
export interface Unit {
  term: string
  list: PostingList
  weight: number
  slot: number
  fields: number[]
}

/** What scoring a query reads: the length norms, one unit per list, per slot its best idf, the proximity inputs. */
export interface ScoringInputs {
  norms: Float64Array[]
  units: Unit[]
  slotIdf: number[]
  /** Postings over all the lists. */
  postings: number
  proximity?: Proximity
}

export function scoringInputs(query: CompiledQuery, index: InvertedIndex, params: RankingParams): ScoringInputs {
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
      units.push({ list, weight, slot: s, fields: slot.fields, term: alt.term })
      postings += list.length
    }
    slotIdf.push(bestIdf)
  })
  const proximity = params.proximity > 0 && hasAdjacentPair(query) ? proximityInputs(query, index, params.proximity, slotIdf) : undefined
  return { norms, units, slotIdf, postings, ...(proximity ? { proximity } : {}) }
}

/** One document's score and its two factors beyond the terms. */
export interface DocumentScore {
  score: number
  coordination: number
  proximity: number
}

/**
 * `doc`'s score as the executor computes it: Σ units (in order) of weight · saturate(weighted tf),
 * × coordination, + the proximity bonus × coordination when the document matched an adjacent pair.
 */
export function documentScore(
  query: CompiledQuery,
  inputs: ScoringInputs,
  fieldCount: number,
  params: RankingParams,
  doc: number,
  matched?: (unit: Unit, entry: number, weightedTf: number, value: number) => void,
): DocumentScore {
  const { norms, units, slotIdf, proximity } = inputs
  let base = 0
  let mask = 0
  let slots = 0
  let lastSlot = -1
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!
    const { list } = unit
    const i = lowerBound(list.docs, doc)
    if (i >= list.length || list.docs[i] !== doc) continue
    const wtf = weightedTf(list.docs, list.freqs, i, norms, unit.fields)
    if (wtf === 0) continue
    const value = unit.weight * saturate(wtf, params.k1)
    base += value
    // Units come grouped by slot, as the executor counts them.
    if (unit.slot !== lastSlot) {
      lastSlot = unit.slot
      slots++
      mask |= 1 << (unit.slot & 31)
    }
    matched?.(unit, i, wtf, value)
  }
  const coordination = params.coordination === 0 || query.slots.length === 0 ? 1 : (slots / query.slots.length) ** params.coordination
  const score = base * coordination
  if (!proximity || bonusBound(mask, proximity.pairBonus) === 0) return { score, coordination, proximity: 0 }
  const bonus = proximityBonus(query, proximity.primary, fieldCount, doc, slotIdf) * params.proximity * coordination
  return { score: score + bonus, coordination, proximity: bonus }
}

/** Does `doc` hold each of `slots` (some alternative of each, in the slot's fields)? */
export function matchesSlots(inputs: ScoringInputs, fieldCount: number, doc: number, slots: readonly number[]): boolean {
  const found = new Set<number>()
  for (const { slot, list, fields } of inputs.units) {
    if (found.has(slot) || !slots.includes(slot)) continue
    const i = lowerBound(list.docs, doc)
    if (i < list.length && list.docs[i] === doc && fields.some((f) => list.freqs[i * fieldCount + f]! > 0)) found.add(slot)
  }
  return found.size === slots.length
}
