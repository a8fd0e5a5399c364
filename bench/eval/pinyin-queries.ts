/**
 * The pure part of `bench/eval/pinyin-set.ts`: which title words make a query, and how each typing
 * style spells them. No I/O, no engine: the caller passes the analyzer's words and document
 * frequencies, so it is unit-tested (pinyin-queries.test.ts) on a few words.
 */
import { wordPinyin } from '../../src/analysis/pinyin.js'

/** The typing styles, each a query id prefix (`full-0001`); `han` is the Han ceiling. */
export const STYLES = ['han', 'full', 'syllables', 'words', 'initials', 'mixed'] as const
export type Style = (typeof STYLES)[number]

export const STYLE_HELP: Record<Style, string> = {
  han: 'the Han words, space-separated (ceiling): 乡村 振兴',
  full: 'full pinyin run on: xiangcunzhenxing',
  syllables: 'every syllable apart: xiang cun zhen xing',
  words: 'one pinyin word per Han word: xiangcun zhenxing',
  initials: 'initials per word: xc zx',
  mixed: 'first word in Han, the rest full pinyin run on: 乡村zhenxing',
}

const HAN_WORD = /^[\p{Script=Han}\u3007]+$/u

/** A title word a query may use: Han only, 2+ characters, with a pinyin reading. */
export interface TitleWord {
  word: string
  syllables: string[]
}

/**
 * The candidate words of a title from its query-mode terms (as `analyzer.analyze(title, 'query')`
 * gives them, already normalized): Han words of 2+ characters with a reading, each once, in order.
 */
export function titleWords(terms: readonly string[]): TitleWord[] {
  const seen = new Set<string>()
  const out: TitleWord[] = []
  for (const word of terms) {
    if (seen.has(word) || [...word].length < 2 || !HAN_WORD.test(word)) continue
    const syllables = wordPinyin(word)
    if (!syllables) continue
    seen.add(word)
    out.push({ word, syllables })
  }
  return out
}

/**
 * The `count` rarest candidates (fewest documents; ties: the earlier in the title), back in title
 * order, so the query names what sets its article apart. Undefined with fewer than 2 candidates.
 */
export function pickWords(candidates: readonly TitleWord[], df: (word: string) => number, count: number): TitleWord[] | undefined {
  if (candidates.length < 2) return undefined
  const n = Math.max(2, Math.min(count, candidates.length))
  const ranked = candidates.map((c, i) => ({ c, i, df: df(c.word) })).sort((a, b) => a.df - b.df || a.i - b.i)
  return ranked
    .slice(0, n)
    .sort((a, b) => a.i - b.i)
    .map((r) => r.c)
}

/** The query text of `words` in one style. */
export function spell(words: readonly TitleWord[], style: Style): string {
  switch (style) {
    case 'han':
      return words.map((w) => w.word).join(' ')
    case 'full':
      return words.map((w) => w.syllables.join('')).join('')
    case 'syllables':
      return words.flatMap((w) => w.syllables).join(' ')
    case 'words':
      return words.map((w) => w.syllables.join('')).join(' ')
    case 'initials':
      return words.map((w) => w.syllables.map((s) => s[0]).join('')).join(' ')
    case 'mixed':
      return words[0]!.word + words.slice(1).map((w) => w.syllables.join('')).join('')
  }
}

/** Does a (normalized) title hold every word? Relevance beyond the source article. */
export function titleHolds(title: string, words: readonly TitleWord[]): boolean {
  return words.every((w) => title.includes(w.word))
}
