/**
 * "Did you mean" for the wrong character of the right sound (雷峰精神 for 雷锋精神), with the
 * `query.pinyin` option: a query word in at most one document, whose pinyin is that of an index
 * term at least `RATIO` times as frequent (and in `MIN_DOCUMENTS`), is corrected to that term. A word segmented apart
 * because the dictionary lacks it (雷/峰) is looked at whole: windows of adjacent Han tokens, one
 * of which is a single character. Only search-box queries are looked at (`MAX_QUERY`).
 */
import type { Token } from '../analysis/analyzer.js'
import type { PostingsStore } from '../index/postings.js'
import type { PinyinVocabulary } from './pinyin-vocabulary.js'

/** A homophone is offered when it is in this many times as many documents as the word typed… */
export const RATIO = 10
/** …and in at least this many. */
export const MIN_DOCUMENTS = 2
/** A word typed that this many documents hold is a word of the corpus: never corrected. */
const CORPUS_WORD = 2
/** Longer queries are not typed into a search box: no corrections (bounds the pinyin work). */
export const MAX_QUERY = 64
/** Tokens one corrected word may span. */
const MAX_WINDOW = 3
const HAN_WORD = /^[\p{Script=Han}\u3007]+$/u

export interface Correction {
  /** The word as typed (its original characters). */
  from: string
  /** The homophone (normalized). */
  to: string
}

/**
 * Corrections for the tokens of one clause (`text` its text), left to right, never overlapping.
 * `documentsWith(word)`: documents holding the normalized word (an index term's count, or the
 * unknown-word count from its text).
 */
export function homophoneCorrections(
  tokens: readonly Token[],
  text: string,
  vocabulary: PinyinVocabulary,
  postings: PostingsStore,
  documentsWith: (word: string) => number,
): Correction[] {
  const corrections: Correction[] = []
  for (let k = 0; k < tokens.length; ) {
    let taken = 0
    for (let end = Math.min(tokens.length, k + MAX_WINDOW); end > k && taken === 0; end--) {
      const window = tokens.slice(k, end)
      if (!window.every((t) => HAN_WORD.test(t.term))) continue
      // Tokens of one word: no gap between them, and the dictionary cut it (one piece is a single character).
      if (window.length > 1 && (!window.every((t, i) => i === 0 || window[i - 1]!.end === t.start) || !window.some((t) => t.term.length === 1))) continue
      const word = window.map((t) => t.term).join('')
      if (word.length < 2) continue
      const better = frequentHomophone(word, vocabulary, postings, documentsWith)
      if (!better) continue
      corrections.push({ from: text.slice(window[0]!.start, window.at(-1)!.end), to: better })
      taken = end - k
    }
    k += Math.max(1, taken)
  }
  return corrections
}

/** The most frequent index term read as `word` is, when it is far more frequent than `word`. */
function frequentHomophone(word: string, vocabulary: PinyinVocabulary, postings: PostingsStore, documentsWith: (word: string) => number): string | undefined {
  // Readings are cached per word: a search box query costs lookups, not conversions.
  const keys = vocabulary.keysOf(word)
  if (!keys) return undefined
  let best: string | undefined
  let bestDf = 0
  for (const term of vocabulary.termsOfFull(keys.full)) {
    if (term === word || term.length !== word.length) continue
    const df = postings.docFreq(term)
    if (df > bestDf || (df === bestDf && best !== undefined && term < best)) {
      best = term
      bestDf = df
    }
  }
  if (best === undefined || bestDf < MIN_DOCUMENTS) return undefined
  const typed = documentsWith(word)
  return typed < CORPUS_WORD && bestDf >= RATIO * typed ? best : undefined
}
