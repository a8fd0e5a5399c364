/**
 * BM25F: field frequencies are length-normalized per field, weighted by field boost, summed into
 * one pseudo-frequency, then saturated once — so a word in both title and body is not counted as
 * two independent matches, and a boost cannot push a single word past the `k1 + 1` ceiling.
 *
 *   idf(t)  = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   tf̃(t,d) = Σ_f boost_f · tf_f / (1 − b + b · len_f / avglen_f)
 *   score   = idf · tf̃ · (k1 + 1) / (k1 + tf̃)
 */
export function idf(documentCount: number, docFreq: number): number {
  return Math.log(1 + (documentCount - docFreq + 0.5) / (docFreq + 0.5))
}

export function saturate(weightedTf: number, k1: number): number {
  return (weightedTf * (k1 + 1)) / (k1 + weightedTf)
}

/** The BM25 length normalization of one field: 1 − b + b · length / averageLength. */
export function lengthNorm(length: number, averageLength: number, b: number): number {
  return averageLength > 0 ? 1 - b + (b * length) / averageLength : 1
}

/** Length-normalized frequency of one field. */
export function fieldTf(tf: number, length: number, averageLength: number, b: number): number {
  return tf === 0 ? 0 : tf / lengthNorm(length, averageLength, b)
}
