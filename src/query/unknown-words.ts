/**
 * Query words the index never saw. Segmentation differs between a short query and a long
 * document (`效翼` may be cut inside 地效/翼船 in the text), and new words (义剪, 智能派单) may be
 * split differently, so a word missing from the term dictionary is not a word missing from the
 * documents.
 *
 * - Han words: a word with an adjacent character pair no document holds is absent (the index's
 *   pair set, index/pair-set.ts: no postings read). Otherwise the candidates are the documents
 *   that, for every non-stopword character of the word, hold a term containing it. Postings then place the word (`matchByPostings`): inside a term
 *   (found and counted without reading text) or across a token boundary (verified in the folded
 *   stored text). The documents found become a postings list (frequencies per field, no
 *   positions) scored by BM25F like any term, at `expansionWeight`.
 * - Latin/digit words: index terms that contain the word (`vid` → `covid-19`), at `expansionWeight`.
 * - When neither finds anything, the word is split into index terms (`decompose`): jieba's HMM
 *   glues a name to the next character in a question (黄华麒是, 魏舒史), which the text has apart.
 */
import { normalize, type NormalizeOptions } from '../analysis/normalize.js'
import { bitsToIds, hasBit, popCount, setBit } from './bitset.js'
import { CharIndex, isHan, type TermList } from './char-index.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList, PostingsStore } from '../index/postings.js'
import type { Alternative } from './compile.js'

/**
 * A word found in more documents than this is common enough to be decomposed instead (its
 * pieces rank those documents about as well, at a fraction of the cost).
 */
const MAX_CANDIDATES = 350
const MAX_EXPANSIONS = 32
const HAN = /\p{Script=Han}/u

/**
 * Split `word` into pieces that are index terms (or stopwords), preferring long pieces: the best
 * split maximizes the sum of squared piece lengths, characters no term covers are dropped.
 * Returns the index-term pieces in order, or [] when no piece longer than one character is known
 * or the word has no Han character.
 */
export function decompose(word: string, isTerm: (piece: string) => boolean, isStopword: (piece: string) => boolean): string[] {
  // Letters split anywhere are no words (xczx → x, cz, x): only Han words are decomposed.
  if (!HAN.test(word)) return []
  const chars = [...word]
  const n = chars.length
  // Two characters: the only piece longer than one is the word itself (a long query brings hundreds).
  if (n < 2 || (n === 2 && !isTerm(word))) return []
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

export const QUERY_BUDGET: Readonly<UnknownWordBudget> = { candidates: 350, bytes: 128 * 1024, postings: 250_000, positions: 25_000, latinScans: 8 }

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

/** What the resolver is given per query: the context without the character index it owns. */
export type UnknownWordSource = Omit<UnknownWordContext, 'chars'>

/**
 * Unknown words of one engine: the character index, and the answers per word, cached until the
 * index changes (they hold internal ids: any write or compaction invalidates them). A word the
 * query's budget cannot pay for gets no alternatives (and is decomposed); that answer is not cached.
 */
export class UnknownWordResolver {
  private readonly chars = new CharIndex()
  private cache = new Map<string, Alternative[]>()
  private generation = -1
  private index?: InvertedIndex

  resolve(word: string, source: UnknownWordSource, budget: UnknownWordBudget): Alternative[] {
    if (this.index !== source.index || this.generation !== source.index.generation) {
      this.cache.clear()
      this.index = source.index
      this.generation = source.index.generation
    }
    const cached = this.cache.get(word)
    if (cached) return cached
    if (!source.index.pairsKnown) source.index.rebuildPairs((text) => normalize(text, source.norm).text)
    const found = findUnknownWord(word, { ...source, chars: this.chars.refresh(source.index.postings) }, budget)
    if (found === undefined) return []
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(word, found)
    return found
  }

  /** Build the character index (and a pair set the file lacked) now rather than on the first unknown word. */
  warm(index: InvertedIndex, norm: NormalizeOptions): void {
    this.chars.refresh(index.postings)
    if (!index.pairsKnown) index.rebuildPairs((text) => normalize(text, norm).text)
  }
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

function verifiedSubstring(word: string, context: UnknownWordContext, budget: UnknownWordBudget): PostingList | undefined | 'over budget' {
  const { index, chars } = context
  // Most words a long query brings that the dictionary lacks are in no text at all: one lookup per pair.
  if (!index.mayHold(word)) return undefined
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
  const all = candidates!
  if (popCount(all) <= FILTER_FROM) return verifyInText(word, all, new Map(), context, budget)
  const matched = matchByPostings(word, usable, all, context, budget)
  // Verifying every candidate's text is what the postings are read to avoid.
  if (matched === 'over budget') return 'over budget'
  if (matched === 'cannot tell') return verifyInText(word, all, new Map(), context, budget)
  return verifyInText(word, matched.crossing, matched.inside, context, budget)
}

/** Below this many candidates, reading their text costs less than reading postings. */
const FILTER_FROM = 4

/**
 * The documents in `toVerify` whose folded text holds the word (counted per field), together with
 * those in `known` (counted already); more than MAX_CANDIDATES documents: undefined (the word is
 * decomposed); past the budget: 'over budget'.
 */
function verifyInText(
  word: string,
  toVerify: Uint32Array,
  known: ReadonlyMap<number, ArrayLike<number>>,
  context: UnknownWordContext,
  budget: UnknownWordBudget,
): PostingList | undefined | 'over budget' {
  const { index, fields, norm } = context
  const docs = bitsToIds(toVerify)
  let unverified = 0
  for (const doc of known.keys()) if (!hasBit(toVerify, doc)) unverified++
  if (docs.length + unverified > MAX_CANDIDATES) return undefined
  if (docs.length > budget.candidates) return 'over budget'
  let bytes = 0
  for (const doc of docs) bytes += index.storedSize(doc)
  if (bytes > budget.bytes) return 'over budget'
  budget.candidates -= docs.length
  budget.bytes -= bytes
  const counted = new Map<number, ArrayLike<number>>()
  for (const [doc, freqs] of known) if (!hasBit(toVerify, doc)) counted.set(doc, freqs)
  for (const doc of docs) {
    const stored = index.storedDocument(doc)
    if (!stored) continue
    const freqs = fields.map((field) => {
      const value = stored[field]
      if (typeof value !== 'string' || !value) return 0
      const folded = normalize(value, norm).text
      let n = 0
      for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) n++
      return n
    })
    if (freqs.some((n) => n > 0)) counted.set(doc, freqs)
  }
  const found = [...counted.keys()].sort((a, b) => a - b)
  const freqs: number[] = []
  for (const doc of found) for (const n of Array.from(counted.get(doc)!)) freqs.push(n)
  return { length: found.length, docs: found, freqs, posStart: new Array<number>(found.length + 1).fill(0), pos: [] }
}

/**
 * Where the word can be, read from postings, so that stored text is read for (nearly) the
 * documents that hold it, not for every document holding its characters.
 *
 * Parent tokens tile a Han run at consecutive positions. An occurrence of the word either lies in
 * one token — then a term contains the whole word, and the document holds it: `inside`, counted
 * by distinct positions per field — or crosses from a token A at position p that ends with the
 * word's first `a` characters to the token B at p + 1 that starts with the rest (or is the start
 * of it): `crossing`, to verify in text, since that test is necessary, not sufficient (a sub-word
 * shares its parent's position; punctuation takes none). A and B are terms unless they are
 * stopwords, which only a word part made of stopword characters can be; when both sides of a
 * split can be, the postings cannot tell.
 */
function matchByPostings(
  word: string,
  usable: readonly number[],
  candidates: Uint32Array,
  context: UnknownWordContext,
  budget: UnknownWordBudget,
): { inside: Map<number, Uint32Array>; crossing: Uint32Array } | 'cannot tell' | 'over budget' {
  const { index, chars, stopwordChars } = context
  const { postings } = index
  const F = postings.fieldCount
  const cps = [...word]
  const isStop = (ch: string) => stopwordChars.has(ch.codePointAt(0)!) || !isHan(ch.codePointAt(0)!)
  // A split where neither side can be seen (both may be stopwords) leaves nothing to test.
  for (let a = 1; a < cps.length; a++) if (cps.slice(0, a).every(isStop) && isStop(cps[a]!)) return 'cannot tell'
  const crossing = chars.scratch(1, candidates.length)
  // Inside one token: the terms containing the word (found through its rarest character).
  const lists = chars.listsWith(usable[0]!, (term) => term.includes(word), postings, budget)
  if (lists === 'over budget') return 'over budget'
  const keys = chars.keySet(0)
  for (const list of lists) eachCandidatePosition(list, postings, candidates, undefined, (key) => keys.add(key), (doc) => setBit(crossing, doc))
  const inside = new Map<number, Uint32Array>()
  for (const key of keys.values()) {
    const slot = Math.floor(key / POSITION_KEYS)
    const doc = Math.floor(slot / F)
    // Removed documents keep their frozen entries until the next compaction.
    if (index.externalId(doc) === undefined) continue
    let freqs = inside.get(doc)
    if (!freqs) inside.set(doc, (freqs = new Uint32Array(F)))
    freqs[slot % F]!++
  }
  // Across a token boundary after `a` characters: an A at p and a B at p + 1 in one field. A side
  // that may be a stopword (all its characters are stopword characters) is not looked for: the
  // other side alone, at any position, makes the document a candidate.
  const unkeyable = (doc: number) => setBit(crossing, doc)
  for (let a = 1; a < cps.length; a++) {
    const head = cps.slice(0, a).join('')
    const tail = cps.slice(a).join('')
    const seeA = !cps.slice(0, a).every(isStop)
    const seeB = !isStop(cps[a]!)
    const ends = seeA ? chars.listsWith(cps[a - 1]!.codePointAt(0)!, (term) => term.endsWith(head), postings, budget) : []
    if (ends === 'over budget') return 'over budget'
    const starts = seeB ? chars.listsWith(cps[a]!.codePointAt(0)!, (term) => term.startsWith(tail) || tail.startsWith(term), postings, budget) : []
    if (starts === 'over budget') return 'over budget'
    if (!seeA || !seeB) {
      for (const item of [...ends, ...starts]) {
        const list = typeof item === 'number' ? postings.frozenList(item) : item
        for (let k = 0; k < list.length; k++) if (hasBit(candidates, list.docs[k]!)) setBit(crossing, list.docs[k]!)
      }
      continue
    }
    const endKeys = chars.keySet(1)
    for (const list of ends) eachCandidatePosition(list, postings, candidates, crossing, (key) => endKeys.add(key), unkeyable)
    if (endKeys.size === 0) continue
    for (const list of starts) eachCandidatePosition(list, postings, candidates, crossing, (key, doc) => endKeys.has(key - 1) && setBit(crossing, doc), unkeyable)
  }
  return { inside, crossing }
}

/**
 * Call `fn(key, doc)` for every position of `list` in a candidate document not in `skip`, keyed
 * (doc · fields + field) · 2²⁴ + position: one number, exact below 2⁵³, so a Set holds them. A
 * position past 2²⁴ (a field of millions of words) cannot be keyed: `unkeyable(doc)` instead.
 * A frozen term is read in place: a long query reads thousands of lists once each, and decoding
 * (and caching) them whole cost more than the few candidates they hold.
 */
function eachCandidatePosition(
  list: TermList,
  postings: PostingsStore,
  candidates: Uint32Array,
  skip: Uint32Array | undefined,
  fn: (key: number, doc: number) => unknown,
  unkeyable: (doc: number) => unknown,
): void {
  const fieldCount = postings.fieldCount
  if (typeof list === 'number') {
    postings.eachFrozenPosition(
      list,
      (doc) => hasBit(candidates, doc) && !(skip && hasBit(skip, doc)),
      (doc, field, position) => (position >= POSITION_KEYS - 1 ? unkeyable(doc) : fn((doc * fieldCount + field) * POSITION_KEYS + position, doc)),
    )
    return
  }
  let posStart: ArrayLike<number> | undefined
  for (let k = 0; k < list.length; k++) {
    const doc = list.docs[k]!
    if (!hasBit(candidates, doc) || (skip && hasBit(skip, doc))) continue
    posStart ??= list.posStart
    const pos = list.pos
    let p = posStart[k]!
    for (let f = 0; f < fieldCount; f++) {
      const base = (doc * fieldCount + f) * POSITION_KEYS
      for (let n = list.freqs[k * fieldCount + f]!; n > 0; n--) {
        const position = pos[p++]!
        if (position >= POSITION_KEYS - 1) unkeyable(doc)
        else fn(base + position, doc)
      }
    }
  }
}

const POSITION_KEYS = 2 ** 24
