/**
 * Per-window score bounds of a posting list, for block-max pruning in executeQuery.
 *
 * Internal document ids are cut into windows of 2^shift consecutive ids. For one posting list
 * scored one way (field norms, searched fields, k1), the bound of a window is the largest
 * saturated BM25F frequency among the list's postings in it. It is computed with the very
 * floating-point operations of the scoring loop, so no posting can score above it; a query sums
 * its words' bounds, weighted, to skip the windows that cannot reach its top k.
 *
 * Only windows holding postings are listed, so the arrays are never longer than the list (at most
 * 16 bytes per posting, and a bitset for lists in over 1/32 of the documents). That lets every
 * list's bounds be cached, short ones too: allocating their typed arrays per query would cost
 * microseconds, as much as scanning them. The cache is keyed by the norms array (the index hands
 * out a new one after any write, which is also when lists change), then by the list object (a
 * WeakMap: the entry goes with the list), then by shift, k1 and fields.
 */
import type { PostingList } from '../index/postings.js'
import { saturate, weightedTf } from './bm25.js'

export interface WindowBounds {
  /** The windows holding at least one posting, ascending. */
  windows: Uint32Array
  /** Per listed window, the largest saturated weighted frequency (0 when none of its postings matches). */
  bound: Float64Array
  /** Listed window j holds entries `start[j] .. start[j + 1]` of the list. */
  start: Uint32Array
  /** Documents with a non-zero weighted frequency (what `total` counts): the list's own when all are. */
  matching: ArrayLike<number>
  /** The same as a bitset (bit d of word d >>> 5), when at least one document in 32 matches: cheaper to merge. */
  matchingBits?: Int32Array
}

const cache = new WeakMap<readonly Float64Array[], WeakMap<PostingList, Map<string, WindowBounds>>>()

export function windowBounds(list: PostingList, norms: readonly Float64Array[], fields: readonly number[], k1: number, shift: number): WindowBounds {
  let byList = cache.get(norms)
  if (!byList) cache.set(norms, (byList = new WeakMap()))
  let byParams = byList.get(list)
  if (!byParams) byList.set(list, (byParams = new Map()))
  const key = `${shift}|${k1}|${fields.join(',')}`
  let bounds = byParams.get(key)
  if (!bounds) byParams.set(key, (bounds = compute(list, norms, fields, k1, shift)))
  return bounds
}

function compute(list: PostingList, norms: readonly Float64Array[], fields: readonly number[], k1: number, shift: number): WindowBounds {
  const { docs, freqs } = list
  const n = list.length
  let count = 0
  for (let i = 0, last = -1; i < n; i++) {
    const w = docs[i]! >>> shift
    if (w !== last) count++
    last = w
  }
  const windows = new Uint32Array(count)
  const bound = new Float64Array(count)
  const start = new Uint32Array(count + 1)
  let matches = 0
  for (let i = 0, j = -1, last = -1; i < n; i++) {
    const w = docs[i]! >>> shift
    if (w !== last) {
      windows[++j] = last = w
      start[j] = i
    }
    const wtf = weightedTf(docs, freqs, i, norms, fields)
    if (wtf === 0) continue
    matches++
    const s = saturate(wtf, k1)
    if (s > bound[j]!) bound[j] = s
  }
  start[count] = n
  let matching = docs
  if (matches < n) {
    // Some postings have no frequency in the searched fields (or only zero-boost ones): rarer.
    const some = new Uint32Array(matches)
    for (let i = 0, m = 0; i < n; i++) if (weightedTf(docs, freqs, i, norms, fields) !== 0) some[m++] = docs[i]!
    matching = some
  }
  const docLimit = norms[0]!.length
  if (matches * 32 < docLimit) return { windows, bound, start, matching }
  const matchingBits = new Int32Array(Math.ceil(docLimit / 32))
  for (let i = 0; i < matches; i++) matchingBits[matching[i]! >>> 5]! |= 1 << (matching[i]! & 31)
  return { windows, bound, start, matching, matchingBits }
}
