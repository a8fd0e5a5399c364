/**
 * Phrase matching on positions: the documents holding every word of a phrase at its offset
 * from the first, within one field (required phrases and exclusions).
 */
import { DocBits } from './bitset.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { Phrase } from './compile.js'

/** The first index from `from` on where ascending `a` is ≥ x; galloping, so long skips cost their logarithm. */
export function seek(a: ArrayLike<number>, from: number, x: number): number {
  let lo = from
  let hi = from
  for (let step = 1; hi < a.length && a[hi]! < x; step *= 2) {
    lo = hi + 1
    hi += step
  }
  hi = Math.min(hi, a.length)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Documents with `list`'s term in one of `fields`: a one-word phrase needs no positions. */
function termDocuments(list: PostingList, fields: readonly number[], F: number, limit: number): DocBits {
  const out = new DocBits(limit)
  for (let i = 0; i < list.length; i++) {
    for (const f of fields) {
      if (list.freqs[i * F + f]! > 0) {
        out.add(list.docs[i]!)
        break
      }
    }
  }
  return out
}

export function phraseDocuments(phrase: Phrase, index: InvertedIndex): DocBits {
  const out = new DocBits(index.docIdLimit)
  const lists: PostingList[] = []
  for (const term of phrase.terms) {
    const list = index.postings.get(term)
    if (!list) return out
    lists.push(list)
  }
  const F = index.fields.length
  if (lists.length === 1) return termDocuments(lists[0]!, phrase.fields, F, index.docIdLimit)
  // Drive from the rarest list.
  let driver = 0
  for (let t = 1; t < lists.length; t++) if (lists[t]!.length < lists[driver]!.length) driver = t
  const d = lists[driver]!
  const n = lists.length
  // Per term: its cursor (driver documents ascend, so each list is walked once, galloping), and
  // the entry and position range of the current document. No allocation per candidate.
  const cursor = new Int32Array(n)
  const from = new Int32Array(n)
  const count = new Int32Array(n)
  candidates: for (let i = 0; i < d.length; i++) {
    const doc = d.docs[i]!
    for (let t = 0; t < n; t++) {
      const list = lists[t]!
      const c = (cursor[t] = seek(list.docs, cursor[t]!, doc))
      if (c >= list.length || list.docs[c] !== doc) continue candidates
    }
    for (const f of phrase.fields) {
      let present = true
      for (let t = 0; t < n && present; t++) {
        const list = lists[t]!
        const entry = cursor[t]!
        let start = list.posStart[entry]!
        for (let g = 0; g < f; g++) start += list.freqs[entry * F + g]!
        from[t] = start
        count[t] = list.freqs[entry * F + f]!
        present = count[t]! > 0
      }
      if (!present) continue
      let found = false
      const first = lists[0]!.pos
      for (let p = from[0]!; p < from[0]! + count[0]! && !found; p++) {
        found = true
        for (let t = 1; t < n && found; t++) found = rangeIncludes(lists[t]!.pos, from[t]!, count[t]!, first[p]! + phrase.offsets[t]!)
      }
      if (found) {
        out.add(doc)
        break
      }
    }
  }
  return out
}

/** Does `a[from, from+count)` (ascending) contain x? */
function rangeIncludes(a: ArrayLike<number>, from: number, count: number, x: number): boolean {
  let lo = from
  let hi = from + count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo < from + count && a[lo] === x
}
