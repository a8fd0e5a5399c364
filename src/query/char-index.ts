/**
 * The vocabulary by Han character, for query words the index never saw (unknown-words.ts): which
 * terms hold a character, which documents hold those terms (a bitset per character, read once),
 * and the terms with no Han character at all (the Latin/digit vocabulary).
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList, PostingsStore } from '../index/postings.js'
import { hasBit } from './bitset.js'
import { NumberSet } from './number-set.js'
import type { UnknownWordBudget } from './unknown-words.js'

/**
 * Han character → the index terms that contain it, the documents holding any of them, and the
 * terms with no Han character (the Latin/digit vocabulary). Built once per frozen segment; terms
 * written since are added as they appear, so a single add() costs no rebuild. A character's frozen
 * document set is read once (the doc-id streams of its terms, no frequencies) and kept as a bitset,
 * so a query word made of characters seen before costs a few ANDs, not a walk over postings.
 */
export class CharIndex {
  private frozen?: unknown
  /** Per character, the frozen term numbers holding it and the postings they hold. */
  private table = FrozenCharTable.EMPTY
  /** Per character, the terms holding it appended to since the freeze (new or frozen). */
  private freshByChar = new Map<number, string[]>()
  private freshSeen = 0
  private latin: string[] = []
  private newSeen = 0
  /** Per character, the frozen documents holding it, read on first use. */
  private docSets = new Map<number, Uint32Array>()
  private docSetBytes = 0
  private readonly buffers: Uint32Array[] = []
  private readonly keySets: NumberSet[] = []

  refresh(postings: PostingsStore): this {
    const frozen = postings.frozenPostings
    if (frozen !== this.frozen) {
      this.frozen = frozen
      this.table = new FrozenCharTable(frozen.terms, frozen.docCounts)
      this.latin = this.table.latin
      this.freshByChar = new Map()
      this.freshSeen = 0
      this.newSeen = 0
      this.docSets = new Map()
      this.docSetBytes = 0
    }
    const fresh = postings.termsSinceFreeze
    for (; this.newSeen < fresh.length; this.newSeen++) {
      const term = fresh[this.newSeen]!
      if (!eachHanChar(term, () => {})) this.latin.push(term)
    }
    const appended = postings.termsAppendedSinceFreeze
    for (; this.freshSeen < appended.length; this.freshSeen++) {
      const term = appended[this.freshSeen]!
      eachHanChar(term, (c) => push(this.freshByChar, c, term))
    }
    return this
  }

  /** Postings of all the terms holding `char`: the documents it brings, at most (removals not subtracted). */
  postingCount(char: number, postings: PostingsStore): number {
    let count = this.table.cost(char)
    for (const term of this.freshByChar.get(char) ?? []) count += postings.docFreq(term)
    return count
  }

  /**
   * The documents (bitset over internal ids below `docIdLimit`) holding a term that contains
   * `char`, removed ones possibly included; 'over budget' when reading them would pass the
   * query's postings budget. The result may be the cached set: callers must not write to it.
   */
  documentsWith(char: number, index: InvertedIndex, budget: UnknownWordBudget): Uint32Array | 'over budget' {
    const { postings } = index
    let frozenSet = this.docSets.get(char)
    if (!frozenSet) {
      const cost = this.table.cost(char)
      if (cost > budget.postings) return 'over budget'
      budget.postings -= cost
      frozenSet = new Uint32Array((index.docIdLimit + 31) >>> 5)
      for (const t of this.table.termsWith(char)) postings.markFrozenDocs(t, frozenSet)
      // Bounded memory: 32 MiB of sets (13k characters at 20k documents), then start over.
      if (this.docSetBytes + frozenSet.byteLength > DOC_SET_BYTES) {
        this.docSets.clear()
        this.docSetBytes = 0
      }
      this.docSets.set(char, frozenSet)
      this.docSetBytes += frozenSet.byteLength
    }
    const freshTerms = this.freshByChar.get(char)
    if (!freshTerms) return frozenSet
    const set = new Uint32Array((index.docIdLimit + 31) >>> 5)
    set.set(frozenSet.subarray(0, set.length))
    for (const term of freshTerms) {
      const list = postings.get(term)
      if (!list) continue
      // Appended documents come after every frozen one: read the list from its end.
      let spent = 0
      for (let i = list.length - 1; i >= 0; i--) {
        const doc = list.docs[i]!
        if (hasBit(frozenSet, doc)) break
        set[doc >>> 5]! |= 1 << (doc & 31)
        spent++
      }
      budget.postings -= spent
      if (budget.postings < 0) return 'over budget'
    }
    return set
  }

  /**
   * The lists of the terms holding `char` that pass `select`: frozen ones as term numbers (read in
   * place, removed entries included), those appended to since the freeze as they are now;
   * 'over budget' once the entries selected pass the query's positions budget.
   */
  listsWith(char: number, select: (term: string) => boolean, postings: PostingsStore, budget: UnknownWordBudget): TermList[] | 'over budget' {
    if (budget.positions <= 0) return 'over budget'
    const lists: TermList[] = []
    const { terms: frozenTerms, docCounts } = postings.frozenPostings
    const frozen = this.table.termsWith(char)
    // Choosing is a string test per term holding the character: charged as a posting per 16.
    budget.positions -= frozen.length >>> 4
    for (const t of frozen) {
      if (!select(frozenTerms[t]!)) continue
      budget.positions -= docCounts[t]!
      lists.push(t)
      if (budget.positions < 0) return 'over budget'
    }
    for (const term of this.freshByChar.get(char) ?? []) {
      const list = select(term) ? postings.get(term) : undefined
      if (!list) continue
      budget.positions -= list.length
      lists.push(list)
      if (budget.positions < 0) return 'over budget'
    }
    return budget.positions >= 0 ? lists : 'over budget'
  }

  latinTerms(): readonly string[] {
    return this.latin
  }

  /** An empty position-key set, reused between calls (slot 0: inside, 1: token ends). */
  keySet(slot: 0 | 1): NumberSet {
    const set = (this.keySets[slot] ??= new NumberSet())
    set.clear()
    return set
  }

  /** A zeroed bitset of `words` words, reused between calls (slot 0: candidates, 1: kept). */
  scratch(slot: 0 | 1, words: number): Uint32Array {
    let buffer = this.buffers[slot]
    if (!buffer || buffer.length < words) this.buffers[slot] = buffer = new Uint32Array(Math.max(words, 32))
    const view = buffer.subarray(0, words)
    view.fill(0)
    return view
  }

}

/** A term's postings: a frozen term number (read in place, see PostingsStore.eachFrozenPosition) or a list. */
export type TermList = number | PostingList

const DOC_SET_BYTES = 32 * 1024 * 1024

/**
 * The frozen vocabulary by Han character, in compressed-row form: for character slot k, term
 * numbers `terms[start[k] .. start[k + 1])` and the postings they hold. Slots are the BMP code
 * point itself, astral characters numbered after it. Built in two passes over the terms without
 * a Map entry per (character, term): ~12–20 ms for xwlb's 101k terms (the first build of a
 * process, still unoptimized code, ~20 ms), against ~100 ms with Maps.
 */
class FrozenCharTable {
  static readonly EMPTY = new FrozenCharTable([], new Uint32Array(0))
  readonly latin: string[] = []
  private readonly start: Uint32Array
  private readonly terms: Uint32Array
  private readonly costs: Float64Array
  private readonly astral = new Map<number, number>()

  constructor(terms: readonly string[], docCounts: Uint32Array) {
    // Pass 1: terms per slot (astral slots are numbered as they appear).
    let counts = new Uint32Array(0x10000 + 64)
    const count = (slot: number) => {
      if (slot >= counts.length) {
        const grown = new Uint32Array(counts.length * 2)
        grown.set(counts)
        counts = grown
      }
      counts[slot]!++
    }
    this.eachSlot(terms, count, (term) => this.latin.push(term))
    const size = 0x10000 + this.astral.size
    this.start = new Uint32Array(size + 1)
    for (let k = 0; k < size; k++) this.start[k + 1] = this.start[k]! + counts[k]!
    this.terms = new Uint32Array(this.start[size]!)
    this.costs = new Float64Array(size)
    // Pass 2: fill, in term order (so each slot's term numbers ascend).
    const cursor = this.start.slice(0, size)
    this.eachSlot(terms, (slot, t) => {
      this.terms[cursor[slot]!++] = t
      this.costs[slot]! += docCounts[t]!
    })
  }

  /**
   * Call `visit(slot, t)` once per distinct Han character of each term t, in term order, and
   * `latin(term)` for a term without one. A stamp per slot (the last term number + 1 that visited
   * it) keeps a repeated character to one visit without scanning the term back.
   */
  private eachSlot(terms: readonly string[], visit: (slot: number, t: number) => void, latin?: (term: string) => void): void {
    let stamps = new Uint32Array(0x10000 + 64)
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!
      let han = false
      for (let i = 0; i < term.length; i++) {
        let c = term.charCodeAt(i)
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < term.length) c = term.codePointAt(i++)!
        if (!isHan(c)) continue
        han = true
        const slot = this.slotOf(c)
        if (slot >= stamps.length) {
          const grown = new Uint32Array(stamps.length * 2)
          grown.set(stamps)
          stamps = grown
        }
        if (stamps[slot] === t + 1) continue
        stamps[slot] = t + 1
        visit(slot, t)
      }
      if (!han) latin?.(term)
    }
  }

  private slotOf(c: number): number {
    if (c <= 0xffff) return c
    let slot = this.astral.get(c)
    if (slot === undefined) this.astral.set(c, (slot = 0x10000 + this.astral.size))
    return slot
  }

  private slot(char: number): number {
    return char <= 0xffff ? char : (this.astral.get(char) ?? -1)
  }

  /** Frozen term numbers holding `char`, ascending. */
  termsWith(char: number): Uint32Array {
    const k = this.slot(char)
    return k < 0 || k >= this.costs.length ? this.terms.subarray(0, 0) : this.terms.subarray(this.start[k]!, this.start[k + 1]!)
  }

  /** Postings of the frozen terms holding `char`. */
  cost(char: number): number {
    const k = this.slot(char)
    return k < 0 || k >= this.costs.length ? 0 : this.costs[k]!
  }
}

/** Call `fn` once per distinct Han character of `term`; returns whether there was one. */
function eachHanChar(term: string, fn: (c: number) => unknown): boolean {
  let han = false
  for (let i = 0; i < term.length; i++) {
    const at = i
    let c = term.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < term.length) c = term.codePointAt(i++)!
    if (!isHan(c)) continue
    han = true
    // A character repeated in the term counts once (terms are short: a scan back, no allocation).
    if (!seenBefore(term, at, c)) fn(c)
  }
  return han
}

/** Does code point `c`, starting at index `at` of `term`, occur before it? */
function seenBefore(term: string, at: number, c: number): boolean {
  for (let j = 0; j < at; j++) if (term.codePointAt(j) === c) return true
  return false
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** CJK ideographs by code point (a range test: this runs over every character of the vocabulary). */
export function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f) || c === 0x3007
}

