/**
 * Sorting hits by typed fields: `sort: [{ date: 'desc' }, '_score']`. Each level is a column
 * (ascending or descending) or the score (best first); ties after every level break by
 * ascending internal id (insertion order), so pages always agree. Documents without a value sort
 * last, whichever the direction; a keyword field sorts by its smallest value ascending and by its
 * largest descending (several values per document), in code-unit order.
 */
import { JiansuoError, describeValue } from '../errors.js'
import { compareStrings, type Column } from '../index/columns.js'

/** One level: a typed field name with its direction, as `{ date: 'desc' }` or `'date:desc'`, or `'_score'`. */
export type SortSpec = string | Readonly<Record<string, 'asc' | 'desc'>>

interface Level {
  /** undefined: the score. */
  key?: (doc: number) => number
  desc: boolean
}

const MAX_LEVELS = 8

/**
 * A sort option as levels, or undefined when it is the plain score order (`'_score'` alone, or
 * nothing): that keeps the pruned path.
 */
export function sortOrder(spec: unknown, columns: readonly Column[]): DocOrder | undefined {
  if (spec === undefined) return undefined
  const items = Array.isArray(spec) ? spec : [spec]
  if (items.length === 0 || items.length > MAX_LEVELS) invalid(spec, `1 to ${MAX_LEVELS} levels`)
  const levels = items.map((item) => level(item, columns))
  if (levels.length === 1 && !levels[0]!.key) return undefined
  return new DocOrder(levels)
}

function invalid(value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `Search option sort is ${describeValue(value)}; expected ${expected}, e.g. [{ date: 'desc' }, '_score'].`)
}

function level(item: unknown, columns: readonly Column[]): Level {
  let name: string
  let direction: unknown
  if (typeof item === 'string') [name, direction] = item.includes(':') ? [item.slice(0, item.indexOf(':')), item.slice(item.indexOf(':') + 1)] : [item, undefined]
  else if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) [name, direction] = Object.entries(item)[0]!
  else invalid(item, "levels as '_score', 'field:desc' or { field: 'asc' | 'desc' }")
  if (name === '_score') {
    if (direction !== undefined && direction !== 'desc') invalid(item, "'_score' (best first; it has no other direction)")
    return { desc: true }
  }
  if (direction !== undefined && direction !== 'asc' && direction !== 'desc') invalid(item, `'asc' or 'desc' for ${name}`)
  const desc = direction === 'desc'
  const column = columns.find((c) => c.name === name)
  if (!column) {
    const typed = columns.map((c) => c.name)
    throw new JiansuoError('UNKNOWN_FIELD', `Search option sort names ${describeValue(name)}, which is not a typed field; sort takes '_score'${typed.length ? ` or ${typed.join(', ')}` : ' (declare a typed field, e.g. fields: { date: { type: "date" } })'}.`)
  }
  return { key: columnKey(column, desc), desc }
}

/** Per document a number where smaller sorts first in this direction; no value: +Infinity (last). */
function columnKey(column: Column, desc: boolean): (doc: number) => number {
  if (column.kind === 'numeric') {
    const values = column.values()
    return (doc) => {
      const v = values[doc]!
      return Number.isNaN(v) ? Infinity : desc ? -v : v
    }
  }
  // Rank of each ordinal in string order (the dictionary is only sorted up to the last freeze).
  const order = column.dictionary.map((_, ord) => ord).sort((a, b) => compareStrings(column.dictionary[a]!, column.dictionary[b]!))
  const rank = new Float64Array(order.length)
  order.forEach((ord, r) => (rank[ord] = r))
  const { start, ords } = column.table()
  return (doc) => {
    let best = Infinity
    for (let k = start[doc]!; k < start[doc + 1]!; k++) {
      const r = desc ? -rank[ords[k]!]! : rank[ords[k]!]!
      if (r < best) best = r
    }
    return best
  }
}

export interface Ranked {
  doc: number
  score: number
}

/** An order over documents by sort levels (typed fields and the score). */
export class DocOrder {
  constructor(private readonly levels: readonly Level[]) {}

  /** The first level's key when it is a typed field (it orders documents before any score is known): smaller sorts first. */
  get firstKey(): ((doc: number) => number) | undefined {
    return this.levels[0]!.key
  }

  /** The full order: every level, then ascending internal id. */
  compare(a: Ranked, b: Ranked): number {
    for (const { key } of this.levels) {
      const d = key ? key(a.doc) - key(b.doc) : b.score - a.score
      if (d < 0) return -1
      if (d > 0) return 1
    }
    return a.doc - b.doc
  }
}

/**
 * The first k of `docs` in `order`, given a scorer that is only called for documents that can
 * still be among them: the k-th smallest first-level key bounds the page, so only documents tied
 * with or ahead of it by that key are scored (and all of them, so ties order exactly).
 */
export function topByOrder(docs: ArrayLike<number>, count: number, k: number, order: DocOrder, score: (doc: number) => number): Ranked[] {
  if (k <= 0 || count === 0) return []
  let candidates: number[] = []
  for (let i = 0; i < count; i++) candidates.push(docs[i]!)
  const key = order.firstKey
  if (key && candidates.length > k) {
    // Every document of the page has a first key ≤ the k-th smallest.
    const keys = new Float64Array(candidates.length)
    for (let i = 0; i < candidates.length; i++) keys[i] = key(candidates[i]!)
    const bound = kthSmallest(keys, k)
    candidates = candidates.filter((_, i) => keys[i]! <= bound)
  }
  const ranked = candidates.map((doc) => ({ doc, score: score(doc) }))
  ranked.sort((a, b) => order.compare(a, b))
  return ranked.slice(0, k)
}

/** The k-th smallest of `values` (1-based k ≤ length): a bounded max-heap of k, O(n log k). */
function kthSmallest(values: Float64Array, k: number): number {
  const heap = new Float64Array(k)
  let size = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (size < k) {
      let j = size++
      while (j > 0) {
        const parent = (j - 1) >> 1
        if (heap[parent]! >= v) break
        heap[j] = heap[parent]!
        j = parent
      }
      heap[j] = v
    } else if (v < heap[0]!) {
      let j = 0
      for (;;) {
        const l = 2 * j + 1
        if (l >= k) break
        const c = l + 1 < k && heap[l + 1]! > heap[l]! ? l + 1 : l
        if (heap[c]! <= v) break
        heap[j] = heap[c]!
        j = c
      }
      heap[j] = v
    }
  }
  return heap[0]!
}
