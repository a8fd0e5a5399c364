/**
 * The pruned path of a score-ordered query: exact block-max over windows of consecutive ids,
 * and the union of the lists' matching documents (the exact `total`, and the match set that
 * filters and facets use).
 */
import { DocBits } from './bitset.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { CompiledQuery, RankingParams } from './compile.js'
import { seek } from './phrases.js'
import { bonusBound, proximityBonus, type Proximity } from './proximity.js'
import { TopK } from './top-k.js'
import type { Unit } from './score-one.js'
import { windowBounds, type WindowBounds } from './window-bounds.js'
import { accumulate, type Scratch } from './accumulate.js'
import type { Collect, ExecuteResult } from './execute.js'

/**
 * When and how executeQuery prunes (see `executePruned`); tests force either path with these.
 * Measured on 19.5k news documents (200 bench queries): 16-document windows beat 8 (more
 * per-window work) and 32–128 (looser bounds); pruning from 1024 postings on slowed no query.
 */
export const pruning = {
  /** Up to this many postings over all the query's lists, scoring every one is as fast. */
  minPostings: 1024,
  /** Windows hold 2^windowBits documents, or more where an index would have over maxWindows. */
  windowBits: 4,
  maxWindows: 4096,
}

/** Windows with the highest bounds, scored first so that the top-k floor rises early. */
const FIRST_WINDOWS = 8
/** Relative margin on window bounds: the proximity bonus is summed in another order than its bound. */
const SLACK = 1 + 1e-9

/**
 * Block-max pruning, for queries over long lists: documents are scored window by window (ranges of
 * ids, see window-bounds.ts), and a window is skipped when its bound — each list's best value
 * there, weighted and summed, plus every proximity bonus — is below the k-th best score so far
 * (equal may still enter, on the doc-id tie-break). The windows with the highest bounds go first,
 * so that floor rises early; the rest follow in id order. Lists are added slot by slot as in the
 * exhaustive path, so scores are bit-identical. Weights are ≥ 0 and coordination multiplies by at
 * most 1, so the bounds hold without it.
 */
export function executePruned(
  query: CompiledQuery,
  units: Unit[],
  proximity: Proximity | undefined,
  slotIdf: number[],
  index: InvertedIndex,
  params: RankingParams,
  norms: Float64Array[],
  scratch: Scratch,
  collect: Collect,
): ExecuteResult {
  const { k, filter } = collect
  const F = index.fields.length
  const docLimit = norms[0]!.length
  const shift = windowShift(docLimit)
  const windows = Math.ceil(docLimit / 2 ** shift)
  const bounds = units.map((u) => windowBounds(u.list, norms, u.fields, params.k1, shift))
  if (scratch.windowUpper.length < windows) scratch.windowUpper = new Float64Array(windows)
  const upper = scratch.windowUpper.fill(0, 0, windows)
  // Summed in scoring order: rounding is monotone, so no document's sum exceeds its window's.
  for (let u = 0; u < units.length; u++) {
    const weight = units[u]!.weight
    const { windows: listed, bound } = bounds[u]!
    for (let j = 0; j < listed.length; j++) upper[listed[j]!]! += weight * bound[j]!
  }
  const bonusMax = proximity ? proximity.pairBonus.reduce((a, b) => a + b, 0) : 0

  // A filter or a facet needs the matching documents as a set: the union of the lists, then ∩ filter.
  const needSet = filter !== undefined || collect.matches === true
  let total = bounds.length === 1 && !needSet ? bounds[0]!.matching.length : unionSize(bounds, scratch.seen)
  let matches: DocBits | undefined
  if (needSet) {
    matches = matchSet(scratch, index.docIdLimit)
    const words = matches.bits
    const seen = scratch.seen
    for (let w = 0; w < words.length; w++) words[w] = filter ? seen[w]! & filter.bits[w]! : seen[w]!
    matches.recount()
    total = matches.size
  }
  // A window holding no document of the filter is skipped whatever its bound.
  const filterWords = filter?.bits
  const windowWords = 2 ** Math.max(0, shift - 5)
  const inFilter = (w: number): boolean => {
    if (!filterWords) return true
    if (shift < 5) return ((filterWords[(w << shift) >>> 5]! >>> ((w << shift) & 31)) & ((1 << (1 << shift)) - 1)) !== 0
    for (let i = w * windowWords; i < (w + 1) * windowWords && i < filterWords.length; i++) if (filterWords[i] !== 0) return true
    return false
  }

  const gen = ++scratch.generation
  const { scores, matched, mask, touched } = scratch
  const totalSlots = query.slots.length
  const coordination = params.coordination
  const collector = new TopK(k)
  let floor = collector.floor
  // Per list, its first listed window not before the one being scored (both passes go in id order).
  const cursor = new Int32Array(units.length)
  const scoreWindow = (w: number) => {
    scratch.touchedCount = 0
    for (let u = 0; u < units.length; u++) {
      const { windows: listed, start } = bounds[u]!
      const c = (cursor[u] = seek(listed, cursor[u]!, w))
      if (c === listed.length || listed[c] !== w) continue
      const { list, weight, slot, fields } = units[u]!
      accumulate(list.docs, list.freqs, start[c]!, start[c + 1]!, fields, norms, weight, params.k1, slot, gen, scratch)
    }
    for (let i = 0; i < scratch.touchedCount; i++) {
      const doc = touched[i]!
      if (filter && !filter.has(doc)) continue
      // × 1 when coordination is off: the same bits as the exhaustive path's plain score.
      const coord = coordination === 0 ? 1 : (matched[doc]! / totalSlots) ** coordination
      let score = scores[doc]! * coord
      if (proximity) {
        const bonus = bonusBound(mask[doc]!, proximity.pairBonus)
        if (bonus > 0) {
          if ((score + bonus * coord) * SLACK < floor) continue
          score = score + proximityBonus(query, proximity.primary, F, doc, slotIdf) * params.proximity * coord
        }
      }
      if (score < floor) continue
      collector.push(doc, score)
      floor = collector.floor
    }
  }
  const first = largest(upper, windows, FIRST_WINDOWS)
  for (const w of first) if ((upper[w]! + bonusMax) * SLACK >= floor && inFilter(w)) scoreWindow(w)
  cursor.fill(0)
  for (let w = 0, f = 0; w < windows; w++) {
    if (w === first[f]) f++
    else if ((upper[w]! + bonusMax) * SLACK >= floor && inFilter(w)) scoreWindow(w)
  }
  return { total, top: collector.results(), ...(matches ? { matches } : {}) }
}

/** The scratch match set, emptied, for ids below `limit` (a new one when the index grew). */
export function matchSet(scratch: Scratch, limit: number): DocBits {
  const words = (limit + 31) >>> 5
  if (!scratch.matches || scratch.matches.bits.length !== words) scratch.matches = new DocBits(limit)
  else {
    scratch.matches.bits.fill(0)
    scratch.matches.size = 0
  }
  return scratch.matches
}

/** Windows of 2^shift ids, the pruned path's (window bounds are cached per shift). */
export function windowShift(docLimit: number): number {
  let shift = pruning.windowBits
  while (docLimit / 2 ** shift > pruning.maxWindows) shift++
  return shift
}

/** Documents in at least one of the lists (matching postings only), without scoring them. */
export function unionSize(bounds: WindowBounds[], seen: Int32Array): number {
  seen.fill(0)
  let total = 0
  for (const { matching, matchingBits } of bounds) {
    if (matchingBits) {
      for (let w = 0; w < matchingBits.length; w++) {
        const added = matchingBits[w]! & ~seen[w]!
        if (added === 0) continue
        seen[w]! |= added
        total += bitCount(added)
      }
      continue
    }
    for (let i = 0; i < matching.length; i++) {
      const doc = matching[i]!
      const bit = 1 << (doc & 31)
      if (seen[doc >>> 5]! & bit) continue
      seen[doc >>> 5]! |= bit
      total++
    }
  }
  return total
}

/** Set bits in a 32-bit word. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** Where the n largest of `a[0 .. length]` are, ascending: one pass keeping the n largest in order. */
function largest(a: Float64Array, length: number, n: number): number[] {
  const value: number[] = []
  const at: number[] = []
  for (let i = 0; i < length; i++) {
    const v = a[i]!
    if (value.length === n && v <= value[n - 1]!) continue
    let j = Math.min(value.length, n - 1)
    for (; j > 0 && value[j - 1]! < v; j--) {
      value[j] = value[j - 1]!
      at[j] = at[j - 1]!
    }
    value[j] = v
    at[j] = i
  }
  return at.sort((x, y) => x - y)
}
