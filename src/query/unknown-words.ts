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
import type { PostingList } from '../index/postings.js'
import type { Alternative } from './execute.js'

/**
 * Past this many candidate documents, verifying the text (one inflate per document) costs more
 * than one query may spend; the word is then decomposed instead.
 */
const MAX_CANDIDATES = 1_500
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

export function findUnknownWord(
  word: string,
  index: InvertedIndex,
  fields: readonly string[],
  norm: NormalizeOptions,
  weight: number,
  chars: () => CharIndex,
): Alternative[] {
  if (HAN.test(word)) {
    const list = verifiedSubstring(word, index, fields, norm, chars())
    return list && list.length > 0 ? [{ term: word, weight, list }] : []
  }
  if (word.length < 2) return []
  const found: { term: string; df: number }[] = []
  for (const term of index.postings.terms()) {
    if (term.length > word.length && term.includes(word)) found.push({ term, df: index.postings.docFreq(term) })
  }
  return found
    .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1))
    .slice(0, MAX_EXPANSIONS)
    .map((f) => ({ term: f.term, weight }))
}

/** Han character → the index terms that contain it; built once per index state, on first need. */
export type CharIndex = Map<string, string[]>

export function buildCharIndex(index: InvertedIndex): CharIndex {
  const out: CharIndex = new Map()
  for (const term of index.postings.terms()) {
    for (const c of new Set(term)) {
      if (!HAN.test(c)) continue
      let list = out.get(c)
      if (!list) out.set(c, (list = []))
      list.push(term)
    }
  }
  return out
}

function verifiedSubstring(word: string, index: InvertedIndex, fields: readonly string[], norm: NormalizeOptions, chars: CharIndex): PostingList | undefined {
  // The character whose terms cover the fewest postings drives the candidate set.
  const termsByChar = new Map<string, string[]>([...new Set(word)].filter((c) => HAN.test(c)).map((c) => [c, chars.get(c) ?? []]))
  let best: string[] | undefined
  let bestCost = Infinity
  for (const terms of termsByChar.values()) {
    const cost = terms.reduce((sum, t) => sum + index.postings.docFreq(t), 0)
    if (cost < bestCost) {
      bestCost = cost
      best = terms
    }
  }
  if (!best || bestCost === 0) return undefined
  const candidates = new Set<number>()
  for (const term of best) {
    const list = index.postings.get(term)!
    for (let i = 0; i < list.length; i++) candidates.add(list.docs[i]!)
    if (candidates.size > MAX_CANDIDATES) return undefined
  }
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
