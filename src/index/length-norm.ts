/**
 * The BM25 length normalization of one field, 1 − b + b · length / averageLength: here, below the
 * query folder, because the index caches per-document norms; query/bm25.ts builds the rest of the
 * formula on it.
 */
export function lengthNorm(length: number, averageLength: number, b: number): number {
  return averageLength > 0 ? 1 - b + (b * length) / averageLength : 1
}
