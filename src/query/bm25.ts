/**
 * BM25F: field frequencies are length-normalized per field, weighted by field boost, summed into
 * one pseudo-frequency, then saturated once — so a word in both title and body is not counted as
 * two independent matches, and a boost cannot push a single word past the `k1 + 1` ceiling.
 *
 *   idf(t)  = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   tf̃(t,d) = Σ_f boost_f · tf_f / (1 − b + b · len_f / avglen_f)
 *   score   = idf · tf̃ · (k1 + 1) / (k1 + tf̃)
 */
import { lengthNorm } from '../index/length-norm.js'

export { lengthNorm }

export function idf(documentCount: number, docFreq: number): number {
  return Math.log(1 + (documentCount - docFreq + 0.5) / (docFreq + 0.5))
}

export function saturate(weightedTf: number, k1: number): number {
  return (weightedTf * (k1 + 1)) / (k1 + weightedTf)
}


/** Length-normalized frequency of one field. */
export function fieldTf(tf: number, length: number, averageLength: number, b: number): number {
  return tf === 0 ? 0 : tf / lengthNorm(length, averageLength, b)
}

/**
 * Σ_f tf_f · norm_f[doc] of posting entry i over the searched `fields` (norms already hold
 * boost / length norm). One function for the scoring loop and the pruning bounds, so both do the
 * same floating-point operations in the same order and a bound is never below a score.
 */
export function weightedTf(docs: ArrayLike<number>, freqs: ArrayLike<number>, i: number, norms: readonly Float64Array[], fields: readonly number[]): number {
  const F = norms.length
  const doc = docs[i]!
  let wtf = 0
  for (let j = 0; j < fields.length; j++) {
    const f = fields[j]!
    const tf = freqs[i * F + f]!
    if (tf > 0) wtf += tf * norms[f]![doc]!
  }
  return wtf
}
