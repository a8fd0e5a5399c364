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
 */
import { normalize, type NormalizeOptions } from '../analysis/normalize.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { Alternative } from './execute.js'

/** Past this many candidate documents verification costs more than it can be worth for one word. */
const MAX_CANDIDATES = 20_000
const MAX_EXPANSIONS = 32
const HAN = /\p{Script=Han}/u

export function findUnknownWord(
  word: string,
  index: InvertedIndex,
  fields: readonly string[],
  norm: NormalizeOptions,
  weight: number,
): Alternative[] {
  if (HAN.test(word)) {
    const list = verifiedSubstring(word, index, fields, norm)
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

function verifiedSubstring(word: string, index: InvertedIndex, fields: readonly string[], norm: NormalizeOptions): PostingList | undefined {
  // Terms containing each character; the character whose terms cover the fewest postings drives.
  const chars = [...new Set(word)].filter((c) => HAN.test(c))
  const termsByChar = new Map<string, string[]>(chars.map((c) => [c, []]))
  for (const term of index.postings.terms()) {
    for (const c of chars) if (term.includes(c)) termsByChar.get(c)!.push(term)
  }
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
