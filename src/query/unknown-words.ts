/**
 * Query words the index never saw. Segmentation differs between a short query and a long
 * document (`效翼` may be cut inside 地效/翼船 in the text), and new words (义剪, 智能派单) may be
 * split differently, so a word missing from the term dictionary is not a word missing from the
 * documents.
 *
 * - Han words: candidates are the documents holding any term that contains the word's rarest
 *   character; each candidate's folded stored text is searched for the word, and the verified
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
  latinScans: number
}

export const QUERY_BUDGET: Readonly<UnknownWordBudget> = { candidates: 700, bytes: 1024 * 1024, postings: 500_000, latinScans: 8 }

/** Alternatives for `word`, or undefined when the budget ran out before it could be resolved. */
export function findUnknownWord(
  word: string,
  index: InvertedIndex,
  fields: readonly string[],
  norm: NormalizeOptions,
  weight: number,
  chars: CharIndex,
  budget: UnknownWordBudget,
): Alternative[] | undefined {
  if (HAN.test(word)) {
    const list = verifiedSubstring(word, index, fields, norm, chars, budget)
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
 * Han character → the index terms that contain it, and the terms with no Han character (the
 * Latin/digit vocabulary). Built once per frozen segment; terms written since are added as they
 * appear, so a single add() costs no rebuild. Terms whose documents were all removed stay listed
 * and are skipped by their document frequency.
 */
export class CharIndex {
  private frozen?: unknown
  private byChar = new Map<number, string[]>()
  /** Per character, the postings its frozen terms hold (a heuristic: removals are not subtracted). */
  private frozenCosts = new Map<number, number>()
  /** Per character, the terms holding it that were first written since the freeze. */
  private freshByChar = new Map<number, string[]>()
  private latin: string[] = []
  private newSeen = 0

  refresh(postings: PostingsStore): this {
    const frozen = postings.frozenPostings
    if (frozen !== this.frozen) {
      this.frozen = frozen
      this.byChar = new Map()
      this.frozenCosts = new Map()
      this.freshByChar = new Map()
      this.latin = []
      this.newSeen = 0
      // Costs summed here from the segment's own counts: no lookup per term later.
      frozen.terms.forEach((term, t) => this.addTerm(term, frozen.docCounts[t]!))
    }
    const fresh = postings.termsSinceFreeze
    for (; this.newSeen < fresh.length; this.newSeen++) this.addTerm(fresh[this.newSeen]!)
    return this
  }

  termsWith(char: number): readonly string[] {
    return this.byChar.get(char) ?? []
  }

  /** Postings of the terms holding `char`: the candidate documents it would bring, at most. */
  cost(char: number, postings: PostingsStore): number {
    let cost = this.frozenCosts.get(char) ?? 0
    for (const term of this.freshByChar.get(char) ?? []) cost += postings.docFreq(term)
    return cost
  }

  latinTerms(): readonly string[] {
    return this.latin
  }

  /** Index `term` under each of its Han characters; `frozenCount` is given for frozen terms. */
  private addTerm(term: string, frozenCount?: number): void {
    let han = false
    for (let i = 0; i < term.length; i++) {
      const c = term.codePointAt(i)!
      if (c > 0xffff) i++
      if (!isHan(c)) continue
      han = true
      // A character repeated in the term lists it once.
      if (term.indexOf(String.fromCodePoint(c)) < i - (c > 0xffff ? 1 : 0)) continue
      let list = this.byChar.get(c)
      if (!list) this.byChar.set(c, (list = []))
      list.push(term)
      if (frozenCount !== undefined) this.frozenCosts.set(c, (this.frozenCosts.get(c) ?? 0) + frozenCount)
      else {
        let freshList = this.freshByChar.get(c)
        if (!freshList) this.freshByChar.set(c, (freshList = []))
        freshList.push(term)
      }
    }
    if (!han) this.latin.push(term)
  }
}

/** CJK ideographs by code point (a range test: this runs over every character of the vocabulary). */
function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f) || c === 0x3007
}

function verifiedSubstring(
  word: string,
  index: InvertedIndex,
  fields: readonly string[],
  norm: NormalizeOptions,
  chars: CharIndex,
  budget: UnknownWordBudget,
): PostingList | undefined | 'over budget' {
  // The character whose terms cover the fewest postings drives the candidate set.
  let best: readonly string[] | undefined
  let bestCost = Infinity
  for (const ch of new Set(word)) {
    const c = ch.codePointAt(0)!
    if (!isHan(c)) continue
    const cost = chars.cost(c, index.postings)
    if (cost < bestCost) {
      bestCost = cost
      best = chars.termsWith(c)
    }
  }
  if (!best || bestCost === 0) return undefined
  const limit = Math.min(MAX_CANDIDATES, budget.candidates)
  const candidates = new Set<number>()
  for (const term of best) {
    if (budget.postings <= 0) return 'over budget'
    const list = index.postings.get(term)
    if (!list) continue
    budget.postings -= list.length
    for (let i = 0; i < list.length; i++) candidates.add(list.docs[i]!)
    if (candidates.size > MAX_CANDIDATES) return undefined
    if (candidates.size > limit) return 'over budget'
  }
  budget.candidates -= candidates.size
  let bytes = 0
  for (const doc of candidates) bytes += index.storedSize(doc)
  if (bytes > budget.bytes) return 'over budget'
  budget.bytes -= bytes
  const docs: number[] = []
  const freqs: number[] = []
  for (const doc of [...candidates].sort((a, b) => a - b)) {
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
    docs.push(doc)
    freqs.push(...counts)
  }
  return { length: docs.length, docs, freqs, posStart: new Array<number>(docs.length + 1).fill(0), pos: [] }
}
