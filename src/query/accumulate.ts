/**
 * Term-at-a-time score accumulation into per-document scratch buffers, reused between queries
 * (a generation stamp marks which entries belong to the current query, so nothing is cleared).
 */
import type { DocBits } from './bitset.js'
import { saturate, weightedTf } from './bm25.js'

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

/**
 * Add one term's BM25F contribution to every document in entries [from, to) of its postings.
 * Kept small and monomorphic on purpose: it is the loop every query spends its time in.
 */
export function accumulate(
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
