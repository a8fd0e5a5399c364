/**
 * Phrase matching on positions: the documents holding every word of a phrase at its offset
 * from the first, within one field (required phrases and exclusions). Positions are read for the
 * candidate documents only, those of frozen terms in place: no frozen list's positions are decoded.
 */
import { DocBits } from './bitset.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { FrozenPositions } from '../index/segment-scans.js'
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

/**
 * The documents holding the phrase. Candidates are the documents every term's list holds; only
 * their positions are read, a frozen term's in place: a phrase of common words would otherwise
 * decode (and cache) each list's positions whole to check a fraction of its entries.
 */
export function phraseDocuments(phrase: Phrase, index: InvertedIndex): DocBits {
  const out = new DocBits(index.docIdLimit)
  const { postings } = index
  const F = index.fields.length
  if (phrase.terms.length === 1) {
    const list = postings.get(phrase.terms[0]!)
    return list ? termDocuments(list, phrase.fields, F, index.docIdLimit) : out
  }
  const terms: PhraseTerm[] = []
  for (const term of phrase.terms) {
    // A frozen term's list as frozen, removed documents' entries included (the live test below
    // drops them), its positions left in the segment; a term written since, as it is now.
    const t = postings.frozenTermOf(term)
    const list = t >= 0 ? postings.frozenList(t) : postings.get(term)
    if (!list) return out
    terms.push(new PhraseTerm(list, t >= 0 ? postings.frozenPositions(t) : undefined, F))
  }
  addMatches(terms, phrase, index, out)
  return out
}

/**
 * Add to `out` the live documents whose entries hold the phrase, driven from the rarest list. Apart
 * from the setup: V8 compiles a long loop while it runs, and setup lines compiled with it before
 * they had feedback deoptimized it again in a first query.
 */
function addMatches(terms: readonly PhraseTerm[], phrase: Phrase, index: InvertedIndex, out: DocBits): void {
  const n = terms.length
  let driver = terms[0]!
  for (let t = 1; t < n; t++) {
    const term = terms[t]!
    if (term.list.length < driver.list.length) driver = term
  }
  const { docs, length } = driver.list
  candidates: for (let i = 0; i < length; i++) {
    const doc = docs[i]!
    for (let t = 0; t < n; t++) if (!terms[t]!.seek(doc)) continue candidates
    if (index.isLive(doc) && holdsPhrase(terms, phrase)) out.add(doc)
  }
}

/** Do the terms' current entries hold the phrase in one of its fields? */
function holdsPhrase(terms: readonly PhraseTerm[], phrase: Phrase): boolean {
  const n = terms.length
  const first = terms[0]!
  let read = false
  const { fields: scope, offsets } = phrase
  fields: for (let i = 0; i < scope.length; i++) {
    const f = scope[i]!
    for (let t = 0; t < n; t++) if (terms[t]!.count(f) === 0) continue fields
    // Positions are read once per candidate, and only for one with every term in a field.
    if (!read) {
      for (let t = 0; t < n; t++) terms[t]!.read()
      read = true
    }
    for (let t = 0; t < n; t++) terms[t]!.enterField(f)
    // The first term's positions ascend, so does each other term's wanted one: one walk each.
    const positions = first.positions
    for (let p = first.at; p < first.end; p++) {
      const x = positions[p]!
      let found = true
      for (let t = 1; t < n && found; t++) {
        const want = x + offsets[t]!
        const term = terms[t]!
        if (!term.advanceTo(want)) continue fields
        found = term.positions[term.at] === want
      }
      if (found) return true
    }
  }
  return false
}

/**
 * One term of a phrase: its list, the entry of the document looked at (documents ascend, so each
 * list is walked once, galloping) and, once read, that entry's positions field after field.
 */
class PhraseTerm {
  readonly list: PostingList
  positions: Uint32Array
  /** The field walked: the next position to look at, and the end of the field's. */
  at = 0
  end = 0
  private entry = 0
  private readonly inPlace: FrozenPositions | undefined
  private readonly F: number

  constructor(list: PostingList, inPlace: FrozenPositions | undefined, F: number) {
    this.list = list
    this.inPlace = inPlace
    this.F = F
    this.positions = new Uint32Array(16)
  }

  /** Move to `doc`'s entry; false when the list has none. */
  seek(doc: number): boolean {
    const at = (this.entry = seek(this.list.docs, this.entry, doc))
    return at < this.list.length && this.list.docs[at] === doc
  }

  count(field: number): number {
    return this.list.freqs[this.entry * this.F + field]!
  }

  /** Walk the entry's positions in `field`: from `at` to `end` in `positions`. */
  enterField(field: number): void {
    let at = 0
    for (let g = 0; g < field; g++) at += this.count(g)
    this.at = at
    this.end = at + this.count(field)
  }

  /** Move `at` to the field's first position ≥ x; false when there is none. */
  advanceTo(x: number): boolean {
    while (this.at < this.end && this.positions[this.at]! < x) this.at++
    return this.at < this.end
  }

  read(): void {
    if (this.inPlace) {
      this.positions = this.inPlace.read(this.entry)
      return
    }
    // In memory: copied, so that every term's positions are one kind of array.
    const { posStart, pos } = this.list
    const from = posStart[this.entry]!
    const n = posStart[this.entry + 1]! - from
    if (this.positions.length < n) this.positions = new Uint32Array(Math.max(n, this.positions.length * 2))
    for (let k = 0; k < n; k++) this.positions[k] = pos[from + k]!
  }
}
