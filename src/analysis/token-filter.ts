/**
 * Token filters: the extension point of the analyzer chain, after segmentation (Lucene's
 * TokenFilter, MiniSearch's processTerm). A filter sees each term the chain still holds and may
 * keep it, rewrite it, drop it or add terms beside it; added terms share the token's position and
 * offsets, so phrases, proximity and highlights still point at the original characters. The
 * built-in stopword filter runs first; the `analyzer.filters` option appends the caller's.
 */

export interface TokenFilter {
  /**
   * Recorded in the analyzer fingerprint (an index built with other filters is ANALYZER_MISMATCH):
   * change it, e.g. `my-filter@2`, whenever the filter's output changes.
   */
  readonly name: string
  /**
   * The terms for one normalized term: itself or a rewrite (a string), several (the first replaces
   * it, the rest are added at the same position), or none (`null` or `[]`: dropped, its position stays).
   */
  filter(term: string): string | readonly string[] | null
}

/** `emit` each term the filters make of `term`, in order; the filters run in sequence, each on every term the previous one gave. */
export function applyFilters(filters: readonly TokenFilter[], term: string, emit: (term: string) => void, from = 0): void {
  if (from === filters.length) {
    emit(term)
    return
  }
  const out = filters[from]!.filter(term)
  if (out === null) return
  if (typeof out === 'string') {
    if (out !== '') applyFilters(filters, out, emit, from + 1)
    return
  }
  for (const t of out) if (typeof t === 'string' && t !== '') applyFilters(filters, t, emit, from + 1)
}
