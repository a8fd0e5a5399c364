/**
 * Query words the index never saw. Segmentation differs between a short query and a long
 * document (`效翼` may be cut inside 地效/翼船 in the text), and new words (义剪, 智能派单) may be
 * split differently, so a word missing from the term dictionary is not a word missing from the
 * documents.
 *
 * - Han words: candidates are the documents that, for every character of the word, hold a term
 *   containing it; each candidate's folded stored text is searched for the word, and the verified
 *   documents become a postings list (frequencies per field, no positions) scored by BM25F like
 *   any term, at `expansionWeight`.
 * - Latin/digit words: index terms that contain the word (`vid` → `covid-19`), at `expansionWeight`.
 * - When neither finds anything, the word is split into index terms (`decompose`): jieba's HMM
 *   glues a name to the next character in a question (黄华麒是, 魏舒史), which the text has apart.
 */
import { normalize, type NormalizeOptions } from '../analysis/normalize.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList, PostingsStore } from '../index/postings.js'
import type { Alternative } from './execute.js'

/**
 * Past this many candidate documents, verifying the text (one inflate per document) costs more
 * than one query may spend; the word is then decomposed instead.
 */
const MAX_CANDIDATES = 700
const MAX_EXPANSIONS = 32
const HAN = /\p{Script=Han}/u

/**
 * Split `word` into pieces that are index terms (or stopwords), preferring long pieces: the best
 * split maximizes the sum of squared piece lengths, characters no term covers are dropped.
 * Returns the index-term pieces in order, or [] when no piece longer than one character is known.
 */
export function decompose(word: string, isTerm: (piece: string) => boolean, isStopword: (piece: string) => boolean): string[] {
  const chars = [...word]
  const n = chars.length
  const best = new Array<number>(n + 1).fill(-1)
  const from = new Array<number>(n + 1).fill(-1)
  best[0] = 0
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - 8); start < end; start++) {
      if (best[start]! < 0) continue
      const piece = chars.slice(start, end).join('')
      const len = end - start
      const known = isTerm(piece) || isStopword(piece)
      // An unknown single character is allowed (and scores nothing) so the split always exists.
      const gain = known ? len * len : len === 1 ? 0 : -1
      if (gain < 0) continue
      if (best[start]! + gain > best[end]!) {
        best[end] = best[start]! + gain
        from[end] = start
      }
    }
  }
  const pieces: string[] = []
  for (let end = n; end > 0; end = from[end]!) pieces.unshift(chars.slice(from[end]!, end).join(''))
  const terms = pieces.filter((p) => isTerm(p) && !isStopword(p))
  return terms.some((p) => [...p].length > 1) ? terms : []
}

/**
 * What one query may spend on unknown words: candidate documents verified in stored text (one
 * inflate and a scan each, ~15 µs on news articles) and scans of the Latin vocabulary. A word
 * past the budget is decomposed instead, so no query costs more than a few tens of ms.
 */
export interface UnknownWordBudget {
  candidates: number
  /** Stored bytes inflated for verification (a huge document costs what its size says). */
  bytes: number
  /** Postings read while gathering candidates (decoding a list costs a few ns per posting). */
  postings: number
  /** Postings whose positions are read to rule candidates out (~50 ns each, frequencies and positions decoded). */
  positions: number
  latinScans: number
}

export const QUERY_BUDGET: Readonly<UnknownWordBudget> = { candidates: 700, bytes: 256 * 1024, postings: 500_000, positions: 100_000, latinScans: 8 }

/** What resolving unknown words reads: the index, its analysis settings, the character index. */
export interface UnknownWordContext {
  index: InvertedIndex
  /** The index's fields, in order. */
  fields: readonly string[]
  norm: NormalizeOptions
  /** Weight of an expansion relative to the word itself (`ranking.expansionWeight`). */
  weight: number
  chars: CharIndex
  /** Characters that occur in stopwords (see Analyzer.stopwordChars). */
  stopwordChars: ReadonlySet<number>
}

/** Alternatives for `word`, or undefined when the budget ran out before it could be resolved. */
export function findUnknownWord(word: string, context: UnknownWordContext, budget: UnknownWordBudget): Alternative[] | undefined {
  const { index, weight, chars } = context
  if (HAN.test(word)) {
    const list = verifiedSubstring(word, context, budget)
    if (list === 'over budget') return undefined
    return list && list.length > 0 ? [{ term: word, weight, list }] : []
  }
  if (word.length < 2) return []
  if (budget.latinScans <= 0) return undefined
  budget.latinScans--
  const found: { term: string; df: number }[] = []
  for (const term of chars.latinTerms()) {
    if (term.length > word.length && term.includes(word)) {
      const df = index.postings.docFreq(term)
      if (df > 0) found.push({ term, df })
    }
  }
  return found
    .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1))
    .slice(0, MAX_EXPANSIONS)
    .map((f) => ({ term: f.term, weight }))
}

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
   * The lists of the terms holding `char` that pass `select` (frozen ones as frozen, removed
   * entries included; those appended to since the freeze as they are now); 'over budget' once the
   * entries selected pass the query's positions budget.
   */
  listsWith(char: number, select: (term: string) => boolean, postings: PostingsStore, budget: UnknownWordBudget): PostingList[] | 'over budget' {
    if (budget.positions <= 0) return 'over budget'
    const lists: PostingList[] = []
    const frozenTerms = postings.frozenPostings.terms
    const take = (list: PostingList | undefined) => {
      if (!list) return true
      budget.positions -= list.length
      lists.push(list)
      return budget.positions >= 0
    }
    const frozen = this.table.termsWith(char)
    // Choosing is a string test per term holding the character: charged as a posting per 16.
    budget.positions -= frozen.length >>> 4
    for (const t of frozen) if (select(frozenTerms[t]!) && !take(postings.frozenList(t))) return 'over budget'
    for (const term of this.freshByChar.get(char) ?? []) if (select(term) && !take(postings.get(term))) return 'over budget'
    return budget.positions >= 0 ? lists : 'over budget'
  }

  latinTerms(): readonly string[] {
    return this.latin
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

const DOC_SET_BYTES = 32 * 1024 * 1024

/**
 * The frozen vocabulary by Han character, in compressed-row form: for character slot k, term
 * numbers `terms[start[k] .. start[k + 1])` and the postings they hold. Slots are the BMP code
 * point itself, astral characters numbered after it. Built in two passes over the terms without
 * a Map entry per (character, term): ~10 ms for 100k terms, against ~100 ms with Maps.
 */
class FrozenCharTable {
  static readonly EMPTY = new FrozenCharTable([], new Uint32Array(0))
  readonly latin: string[] = []
  private readonly start: Uint32Array
  private readonly terms: Uint32Array
  private readonly costs: Float64Array
  private readonly astral = new Map<number, number>()

  constructor(terms: readonly string[], docCounts: Uint32Array) {
    const astral = this.astral
    const slotOf = (c: number) => {
      if (c <= 0xffff) return c
      let slot = astral.get(c)
      if (slot === undefined) astral.set(c, (slot = 0x10000 + astral.size))
      return slot
    }
    // Pass 1: terms per slot (astral slots are numbered as they appear).
    let counts = new Uint32Array(0x10000 + 64)
    const count = (c: number) => {
      const slot = slotOf(c)
      if (slot >= counts.length) {
        const grown = new Uint32Array(counts.length * 2)
        grown.set(counts)
        counts = grown
      }
      counts[slot]!++
    }
    for (const term of terms) if (!eachHanChar(term, count)) this.latin.push(term)
    const size = 0x10000 + astral.size
    this.start = new Uint32Array(size + 1)
    for (let k = 0; k < size; k++) this.start[k + 1] = this.start[k]! + counts[k]!
    this.terms = new Uint32Array(this.start[size]!)
    this.costs = new Float64Array(size)
    // Pass 2: fill, in term order (so each slot's term numbers ascend).
    const cursor = this.start.slice(0, size)
    let t = 0
    const fill = (c: number) => {
      const slot = slotOf(c)
      this.terms[cursor[slot]!++] = t
      this.costs[slot]! += docCounts[t]!
    }
    for (; t < terms.length; t++) eachHanChar(terms[t]!, fill)
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

function hasBit(bits: Uint32Array, doc: number): boolean {
  return doc >>> 5 < bits.length && (bits[doc >>> 5]! & (1 << (doc & 31))) !== 0
}

function popCount(bits: Uint32Array): number {
  let n = 0
  for (let i = 0; i < bits.length; i++) {
    let v = bits[i]!
    v -= (v >>> 1) & 0x55555555
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
  }
  return n
}

/** CJK ideographs by code point (a range test: this runs over every character of the vocabulary). */
function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f) || c === 0x3007
}

function verifiedSubstring(word: string, context: UnknownWordContext, budget: UnknownWordBudget): PostingList | undefined | 'over budget' {
  const { index, fields, norm, chars } = context
  // Candidates hold every character of the word in some term, rarest characters first. A
  // character of a stopword may stand alone in the text, taking a position and leaving no term:
  // it cannot select documents.
  const usable = [...new Set(word)].map((ch) => ch.codePointAt(0)!).filter((c) => isHan(c) && !context.stopwordChars.has(c))
  const counts = new Map(usable.map((c) => [c, chars.postingCount(c, index.postings)]))
  usable.sort((a, b) => counts.get(a)! - counts.get(b)!)
  if (usable.length === 0 || counts.get(usable[0]!) === 0) return undefined
  if (budget.candidates <= 0) return 'over budget'
  let candidates: Uint32Array | undefined
  for (const c of usable) {
    const set = chars.documentsWith(c, index, budget)
    if (set === 'over budget') {
      if (!candidates) return 'over budget'
      break
    }
    if (!candidates) {
      candidates = chars.scratch(0, set.length)
      candidates.set(set)
    } else for (let i = 0; i < candidates.length; i++) candidates[i]! &= set[i] ?? 0
  }
  if (popCount(candidates!) > FILTER_FROM && !ruleOutByPostings(word, usable, candidates!, context, budget)) {
    // Verifying every candidate's text is what the postings test is there to avoid.
    if (budget.positions <= 0) return 'over budget'
  }
  const count = popCount(candidates!)
  if (count > MAX_CANDIDATES) return undefined
  if (count > budget.candidates) return 'over budget'
  budget.candidates -= count
  const docs: number[] = []
  for (let w = 0; w < candidates!.length; w++) {
    for (let v = candidates![w]!; v !== 0; v &= v - 1) docs.push(w * 32 + (31 - Math.clz32(v & -v)))
  }
  let bytes = 0
  for (const doc of docs) bytes += index.storedSize(doc)
  if (bytes > budget.bytes) return 'over budget'
  budget.bytes -= bytes
  const found: number[] = []
  const freqs: number[] = []
  for (const doc of docs) {
    const stored = index.storedDocument(doc)
    if (!stored) continue
    let any = false
    const counts = fields.map((field) => {
      const value = stored[field]
      if (typeof value !== 'string' || !value) return 0
      const folded = normalize(value, norm).text
      let n = 0
      for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) n++
      if (n > 0) any = true
      return n
    })
    if (!any) continue
    found.push(doc)
    freqs.push(...counts)
  }
  return { length: found.length, docs: found, freqs, posStart: new Array<number>(found.length + 1).fill(0), pos: [] }
}

/** Below this many candidates, reading their text costs less than reading positions. */
const FILTER_FROM = 4

/**
 * Clear the candidates whose postings rule the word out, so that stored text is read for (nearly)
 * the documents that hold it, not for every document holding its characters.
 *
 * Parent tokens tile a Han run at consecutive positions. An occurrence of the word either lies in
 * one token — then a term contains the whole word — or crosses from a token A at position p that
 * ends with the word's first `a` characters to the token B at p + 1 that starts with the rest (or
 * is the start of it). A and B are terms unless they are stopwords, which only a word part made
 * of stopword characters can be; for such a word nothing is ruled out. The test is necessary, not
 * sufficient (a sub-word shares its parent's position; punctuation takes none): survivors are
 * verified in their text. Returns false, having ruled out nothing, when it cannot tell (stopword
 * parts) or the budget runs out.
 */
function ruleOutByPostings(word: string, usable: readonly number[], candidates: Uint32Array, context: UnknownWordContext, budget: UnknownWordBudget): boolean {
  const { index, chars, stopwordChars } = context
  const { postings } = index
  const F = postings.fieldCount
  const cps = [...word]
  const isStop = (ch: string) => stopwordChars.has(ch.codePointAt(0)!) || !isHan(ch.codePointAt(0)!)
  for (let a = 1; a < cps.length; a++) if (cps.slice(0, a).every(isStop) || isStop(cps[a]!)) return false
  const keep = chars.scratch(1, candidates.length)
  // Inside one token: the documents of the terms containing the word (through its rarest character).
  const inside = chars.listsWith(usable[0]!, (term) => term.includes(word), postings, budget)
  if (inside === 'over budget') return false
  for (const list of inside) for (let k = 0; k < list.length; k++) setBit(keep, list.docs[k]!)
  // Across a token boundary after `a` characters: an A at p and a B at p + 1 in the same field.
  for (let a = 1; a < cps.length; a++) {
    const head = cps.slice(0, a).join('')
    const tail = cps.slice(a).join('')
    const ends = chars.listsWith(cps[a - 1]!.codePointAt(0)!, (term) => term.endsWith(head), postings, budget)
    if (ends === 'over budget') return false
    const starts = chars.listsWith(cps[a]!.codePointAt(0)!, (term) => term.startsWith(tail) || tail.startsWith(term), postings, budget)
    if (starts === 'over budget') return false
    const endKeys = new Set<number>()
    for (const list of ends) eachCandidatePosition(list, candidates, keep, F, (key) => endKeys.add(key))
    if (endKeys.size === 0) continue
    for (const list of starts) eachCandidatePosition(list, candidates, keep, F, (key, doc) => endKeys.has(key - 1) && setBit(keep, doc))
  }
  for (let w = 0; w < candidates.length; w++) candidates[w]! &= keep[w]!
  return true
}

/**
 * Call `fn(key, doc)` for every position of `list` in a candidate document not yet kept, keyed
 * (doc · fields + field) · 2²⁴ + position: one number, exact below 2⁵³, so a Set holds them. A
 * position past 2²⁴ (a field of millions of words) cannot be keyed: its document is kept.
 */
function eachCandidatePosition(list: PostingList, candidates: Uint32Array, keep: Uint32Array, fieldCount: number, fn: (key: number, doc: number) => unknown): void {
  let posStart: ArrayLike<number> | undefined
  for (let k = 0; k < list.length; k++) {
    const doc = list.docs[k]!
    if (!hasBit(candidates, doc) || hasBit(keep, doc)) continue
    posStart ??= list.posStart
    const pos = list.pos
    let p = posStart[k]!
    for (let f = 0; f < fieldCount; f++) {
      const base = (doc * fieldCount + f) * POSITION_KEYS
      for (let n = list.freqs[k * fieldCount + f]!; n > 0; n--) {
        const position = pos[p++]!
        if (position >= POSITION_KEYS - 1) setBit(keep, doc)
        else fn(base + position, doc)
      }
    }
  }
}

const POSITION_KEYS = 2 ** 24

function setBit(bits: Uint32Array, doc: number): true {
  if (doc >>> 5 < bits.length) bits[doc >>> 5]! |= 1 << (doc & 31)
  return true
}
