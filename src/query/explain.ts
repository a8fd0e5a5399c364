/**
 * Why a hit has its score: the BM25F parts recomputed for one document (see score-one.ts), in
 * the executor's order, so the parts sum to the score it returned (`explain: true`).
 *
 *   score = (Σ over matched terms of idf · saturate(Σ over fields of tf · boost / lengthNorm)) · coordination
 *         + proximity bonus · coordination
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import { lengthNorm } from '../index/length-norm.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import { documentScore, type ScoringInputs } from './score-one.js'

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

/** The parts of `doc`'s score (no parts for a query without words). */
export function explainScore(query: CompiledQuery, inputs: ScoringInputs, index: InvertedIndex, params: RankingParams, doc: number): Explanation {
  const F = index.fields.length
  const terms: TermExplanation[] = []
  const { score, coordination, proximity } = documentScore(query, inputs, F, params, doc, (unit, entry, weightedTf, value) => {
    const freqs = unit.list.freqs
    const fields = unit.fields
      .filter((f) => freqs[entry * F + f]! > 0)
      .map((f) => ({
        field: index.fields[f]!,
        tf: freqs[entry * F + f]!,
        boost: params.boosts[f]!,
        lengthNorm: lengthNorm(index.fieldLength(f, doc), index.averageFieldLength(f), params.b),
      }))
    terms.push({ term: unit.term, idf: unit.weight, fields, weightedTf, value })
  })
  return { score: query.slots.length === 0 ? 0 : score, terms, coordination, proximity }
}
