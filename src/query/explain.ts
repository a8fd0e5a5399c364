/**
 * Why a hit has its score: the BM25F parts recomputed for one document, in the executor's
 * order, so the parts sum to the score it returned (`explain: true`).
 *
 *   score = (Σ over matched terms of idf · saturate(Σ over fields of tf · boost / lengthNorm)) · coordination
 *         + proximity bonus · coordination
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import { lowerBound } from '../index/postings.js'
import { lengthNorm } from '../index/length-norm.js'
import { saturate, weightedTf } from './bm25.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import type { ScoringInputs } from './execute.js'
import { bonusBound, proximityBonus } from './proximity.js'

export interface FieldExplanation {
  field: string
  /** Occurrences of the term in the field. */
  tf: number
  boost: number
  /** `1 − b + b · length / averageLength`: above 1 for fields longer than average. */
  lengthNorm: number
}

export interface TermExplanation {
  /** The index term scored (the query word, or what stands for it when the index lacks the word). */
  term: string
  /** idf × the term's weight (1 for the word itself, `expansionWeight` for an expansion). */
  idf: number
  fields: FieldExplanation[]
  /** Σ tf · boost / lengthNorm over the fields. */
  weightedTf: number
  /** idf · saturate(weightedTf): this term's part of the score. */
  value: number
}

export interface Explanation {
  /** Σ of the terms' values, times `coordination`, plus `proximity`: the hit's score. */
  score: number
  terms: TermExplanation[]
  /** `(matched words / query words) ** ranking.coordination` (1 when off). */
  coordination: number
  /** Bonus for query words found next to each other, coordination included. */
  proximity: number
}

/** The parts of `doc`'s score (0 parts for a query without words). */
export function explainScore(query: CompiledQuery, inputs: ScoringInputs, index: InvertedIndex, params: RankingParams, doc: number): Explanation {
  const { norms, units, slotIdf, proximity } = inputs
  const terms: TermExplanation[] = []
  let base = 0
  let mask = 0
  const matchedSlots = new Set<number>()
  for (const unit of units) {
    const { list } = unit
    const i = lowerBound(list.docs, doc)
    if (list.docs[i] !== doc) continue
    const wtf = weightedTf(list.docs, list.freqs, i, norms, unit.fields)
    if (wtf === 0) continue
    const value = unit.weight * saturate(wtf, params.k1)
    // The same additions in the same order as the executor: the sum is its score to the bit.
    base += value
    matchedSlots.add(unit.slot)
    mask |= 1 << (unit.slot & 31)
    const F = index.fields.length
    const fields = unit.fields
      .filter((f) => list.freqs[i * F + f]! > 0)
      .map((f) => ({
        field: index.fields[f]!,
        tf: list.freqs[i * F + f]!,
        boost: params.boosts[f]!,
        lengthNorm: lengthNorm(index.fieldLength(f, doc), index.averageFieldLength(f), params.b),
      }))
    terms.push({ term: unit.term, idf: unit.weight, fields, weightedTf: wtf, value })
  }
  const coordination = params.coordination === 0 || query.slots.length === 0 ? 1 : (matchedSlots.size / query.slots.length) ** params.coordination
  const scored = base * coordination
  let bonus = 0
  if (proximity && bonusBound(mask, proximity.pairBonus) > 0) bonus = proximityBonus(query, proximity.primary, index.fields.length, doc, slotIdf) * params.proximity * coordination
  return { score: bonus === 0 ? scored : scored + bonus, terms, coordination, proximity: bonus }
}
