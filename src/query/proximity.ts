/**
 * The proximity bonus: adjacent query words (same clause, in query order) found next to each
 * other in a field earn their mean idf, times `ranking.proximity`. Bounds per document (which
 * slot pairs it matched) let the executor skip the position reads for documents that cannot
 * reach the top k.
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import { lowerBound } from '../index/sorted-search.js'
import type { CompiledQuery } from './compile.js'

/** Proximity bonus inputs: per adjacent slot pair the most it adds, and the lists holding positions. */
export interface Proximity {
  pairBonus: number[]
  primary: (PostingList | undefined)[]
}

export function proximityInputs(query: CompiledQuery, index: InvertedIndex, weight: number, slotIdf: number[]): Proximity {
  const pairBonus = query.slots.map((a, s) => {
    const b = query.slots[s + 1]
    return b && a.clause === b.clause ? (weight * (slotIdf[s]! + slotIdf[s + 1]!)) / 2 : 0
  })
  const primary = query.slots.map((slot) => (slot.alternatives.length > 0 && !slot.alternatives[0]!.list ? index.postings.get(slot.alternatives[0]!.term) : undefined))
  return { pairBonus, primary }
}

/** The most proximity bonus a document can earn: pairs of adjacent slots it matched both of (`bits`). */
export function bonusBound(bits: number, pairBonus: number[]): number {
  let upper = 0
  for (let s = 0; s + 1 < pairBonus.length; s++) {
    if (pairBonus[s]! > 0 && bits & (1 << (s & 31)) && bits & (1 << ((s + 1) & 31))) upper += pairBonus[s]!
  }
  return upper
}

export function hasAdjacentPair(query: CompiledQuery): boolean {
  for (let s = 0; s + 1 < query.slots.length; s++) {
    const a = query.slots[s]!
    const b = query.slots[s + 1]!
    if (a.clause === b.clause && a.alternatives.length > 0 && b.alternatives.length > 0) return true
  }
  return false
}

/** Adjacent query words (same clause, in order) found next to each other in a field earn their mean idf. */
export function proximityBonus(query: CompiledQuery, primary: (PostingList | undefined)[], F: number, doc: number, slotIdf: number[]): number {
  let bonus = 0
  for (let s = 0; s + 1 < query.slots.length; s++) {
    const a = query.slots[s]!
    const b = query.slots[s + 1]!
    const la = primary[s]
    const lb = primary[s + 1]
    if (a.clause !== b.clause || !la || !lb) continue
    // Pieces of one decomposed word sit at fractional positions: next to each other means 1.
    const raw = b.position - a.position
    const gap = raw > 0 && raw < 1 ? 1 : raw
    if (gap <= 0 || gap > 3) continue
    const ia = entryOf(la, doc)
    if (ia < 0) continue
    const ib = entryOf(lb, doc)
    if (ib < 0) continue
    for (const f of a.fields) {
      const [fromA, countA] = fieldRange(la, ia, f, F)
      const [fromB, countB] = fieldRange(lb, ib, f, F)
      if (countA && countB && followedBy(la.pos, fromA, countA, lb.pos, fromB, countB, gap)) {
        bonus += (slotIdf[s]! + slotIdf[s + 1]!) / 2
        break
      }
    }
  }
  return bonus
}

export function entryOf(list: PostingList, doc: number): number {
  const i = lowerBound(list.docs, doc)
  return list.docs[i] === doc ? i : -1
}

/** Where entry's positions in `field` start in `pos`, and how many there are. */
export function fieldRange(list: PostingList, entry: number, field: number, fieldCount: number): [number, number] {
  let start = list.posStart[entry]!
  for (let f = 0; f < field; f++) start += list.freqs[entry * fieldCount + f]!
  return [start, list.freqs[entry * fieldCount + field]!]
}

/** Is there x in a[fromA, fromA+countA) with x + gap in b[fromB, fromB+countB)? Both ascending. */
function followedBy(a: ArrayLike<number>, fromA: number, countA: number, b: ArrayLike<number>, fromB: number, countB: number, gap: number): boolean {
  let j = fromB
  const endB = fromB + countB
  for (let i = fromA; i < fromA + countA; i++) {
    const want = a[i]! + gap
    while (j < endB && b[j]! < want) j++
    if (j < endB && b[j] === want) return true
  }
  return false
}
