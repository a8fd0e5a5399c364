/**
 * Pinyin in a query, read as the Han words it spells (the `query.pinyin` option): `leifeng`,
 * `lei feng`, `LeiFeng` (the analyzer lowercases), initials `lf`, mixed `雷feng`, and run-on
 * `leifengjingshen` (cut into the vocabulary's keys). Each such span of tokens becomes one slot per
 * word whose alternatives are the index's Han terms with that pinyin, so they score, match phrases
 * of proximity and highlight as the Han words do.
 *
 * Weights: the most frequent reading gets the full weight, rarer homophones a share by document
 * frequency (at least `MIN_SHARE`), so 雷峰 (1 document) does not outrank 雷锋 (7) on its idf.
 * When the letters are also an index term themselves (`lf` in a text that says "LF"), that literal
 * match keeps weight 1 and the pinyin readings get `BESIDE_LITERAL` of theirs: what was typed
 * ranks first, the reading after it.
 */
import type { Token } from '../analysis/analyzer.js'
import { isPinyinInput, wordPinyin } from '../analysis/pinyin.js'
import type { PostingsStore } from '../index/postings.js'
import type { Alternative, Span } from './compile.js'
import type { ParsedQuery } from './parser.js'
import type { PinyinMatch, PinyinVocabulary } from './pinyin-vocabulary.js'

/** Han words one pinyin key stands for, at most (the most frequent). */
export const MAX_READINGS = 8
/**
 * …and one key that is only initials (`zs`: 77 two-character words in xwlb, median): the query's
 * other words pick among them as they score together. On the pinyin eval set's initials queries,
 * 8 / 16 / 32 / 48 readings gave nDCG@10 0.497 / 0.530 / 0.565 / 0.579 (with `initialsShare`),
 * p50 2.2 / 3.2 / 3.3 / 4.1 ms.
 */
export const MAX_INITIALS_READINGS = 32
/** A rarer homophone's weight is its share of the most frequent one's documents, but at least this. */
const MIN_SHARE = 0.2
/**
 * An initials reading's weight is the square root of its document share (at least `MIN_SHARE`):
 * initials say less about which word was meant than full pinyin does (0.565 against 0.551 with the
 * plain share, 0.508 with every reading at weight 1).
 */
function initialsShare(share: number): number {
  return Math.max(MIN_SHARE, Math.sqrt(share))
}
/** Weight of a pinyin reading next to a literal match of the same letters. */
export const BESIDE_LITERAL = 0.25
/** A run-on pinyin word cut into more keys than this is not read as pinyin. */
const MAX_PIECES = 8
const HAN_WORD = /^[\p{Script=Han}\u3007]+$/u
const SPACES = /^\s*$/u

/**
 * The parser makes each space-separated word its own clause; pinyin typed syllable by syllable
 * (`lei feng`, `xiang cun zhen xing`) is one word. Consecutive plain clauses of letters whose
 * concatenation is a key become one clause (`lei feng`, spaces kept), which `pinyinSpans` reads;
 * clauses that are each a word's initials stay apart.
 */
export function joinPinyinClauses(parsed: ParsedQuery, vocabulary: PinyinVocabulary, normalizeTerm: (text: string) => string): ParsedQuery {
  const groups = parsed.groups
  const plain = groups.map((g) => (g.length === 1 && !g[0]!.phrase && isPinyinInput(normalizeTerm(g[0]!.text)) ? normalizeTerm(g[0]!.text) : undefined))
  if (plain.filter((p) => p !== undefined).length < 2) return parsed
  const out: ParsedQuery['groups'] = []
  for (let i = 0; i < groups.length; ) {
    let joined = 0
    for (let end = Math.min(groups.length, i + MAX_PIECES); end >= i + 2 && joined === 0; end--) {
      const run = plain.slice(i, end)
      const field = groups[i]![0]!.field
      if (run.some((p) => p === undefined) || groups.slice(i, end).some((g) => g[0]!.field !== field)) continue
      // Initials typed word by word (`sy gd`: 输油 管道) stand for a word each, not for one word
      // whose initials they spell together (输油管道).
      if (run.every((p) => vocabulary.isInitialsOnly(p!))) continue
      if (vocabulary.has(run.join(''))) joined = end - i
    }
    if (joined === 0) {
      out.push(groups[i]!)
      i++
      continue
    }
    const clauses = groups.slice(i, i + joined).map((g) => g[0]!)
    out.push([{ ...clauses[0]!, text: clauses.map((c) => c.text).join(' ') }])
    i += joined
  }
  return { ...parsed, groups: out }
}

/** Spans of `tokens` (of the clause `text`) that are pinyin of index words, in token order. */
export function pinyinSpans(tokens: readonly Token[], text: string, vocabulary: PinyinVocabulary, postings: PostingsStore): Span[] {
  const spans: Span[] = []
  const letters = tokens.map((t) => isPinyinInput(t.term))
  const han = tokens.map((t) => HAN_WORD.test(t.term))
  // May tokens k and k + 1 be read as one pinyin word? Letters with letters across spaces; a Han
  // word only glued to letters (雷feng), never two Han words (they are no pinyin input).
  const joins = (k: number): boolean => {
    const gap = text.slice(tokens[k]!.end, tokens[k + 1]!.start)
    if (letters[k] && letters[k + 1]) return SPACES.test(gap)
    return gap === '' && ((letters[k]! && han[k + 1]!) || (han[k]! && letters[k + 1]!))
  }
  for (let k = 0; k < tokens.length; ) {
    if (!letters[k] && !(han[k] && k + 1 < tokens.length && letters[k + 1] && joins(k))) {
      k++
      continue
    }
    let runEnd = k + 1
    while (runEnd < tokens.length && joins(runEnd - 1)) runEnd++
    const span = longestKeySpan(tokens, text, k, runEnd, letters, vocabulary, postings)
    if (span) {
      spans.push(span)
      k = span.end
      continue
    }
    const runOn = letters[k] ? runOnSpan(tokens, text, k, vocabulary, postings) : undefined
    if (runOn) spans.push(runOn)
    k++
  }
  return spans
}

/** The longest span from `first` within the run whose pinyin is a key (with a letters token in it). */
function longestKeySpan(
  tokens: readonly Token[],
  text: string,
  first: number,
  runEnd: number,
  letters: boolean[],
  vocabulary: PinyinVocabulary,
  postings: PostingsStore,
): Span | undefined {
  for (let end = runEnd; end > first; end--) {
    if (!letters.slice(first, end).some(Boolean)) continue
    const parts = tokens.slice(first, end).map((t, i) => (letters[first + i] ? t.term : wordPinyin(t.term)?.join('')))
    if (parts.some((p) => p === undefined)) continue
    const key = parts.join('')
    if (!vocabulary.has(key)) continue
    // Han characters typed among the letters must be in the word: 雷feng is 雷锋, not 类风.
    const typedHan = tokens.slice(first, end).filter((_, i) => !letters[first + i]).map((t) => t.term)
    const initials = vocabulary.isInitialsOnly(key)
    const most = initials ? MAX_INITIALS_READINGS : MAX_READINGS
    const matches = vocabulary.lookup(key, postings, most * 4).filter((m) => typedHan.every((h) => m.term.includes(h))).slice(0, most)
    if (matches.length === 0) continue
    const literal = end === first + 1 && postings.docFreq(tokens[first]!.term) > 0 ? tokens[first]!.term : undefined
    return span(first, end, [readings(matches, literal, initials)], matches, text.slice(tokens[first]!.start, tokens[end - 1]!.end))
  }
  return undefined
}

/** One letters token that is several keys run together (`leifengjingshen`): one slot per key. */
function runOnSpan(tokens: readonly Token[], text: string, k: number, vocabulary: PinyinVocabulary, postings: PostingsStore): Span | undefined {
  const token = tokens[k]!
  // A word the index holds as it is was meant as typed.
  if (postings.docFreq(token.term) > 0) return undefined
  const keys = vocabulary.split(token.term)
  if (!keys || keys.length > MAX_PIECES) return undefined
  const slots: Alternative[][] = []
  const all: PinyinMatch[] = []
  const firsts: string[] = []
  for (const key of keys) {
    const matches = vocabulary.lookup(key, postings, MAX_READINGS)
    if (matches.length === 0) return undefined
    slots.push(readings(matches, undefined))
    all.push(...matches)
    firsts.push(matches[0]!.term)
  }
  return { first: k, end: k + 1, slots, highlight: all.map((m) => m.term), relaxed: { kind: 'pinyin', from: text.slice(token.start, token.end), to: firsts.join(' ') } }
}

function span(first: number, end: number, slots: Alternative[][], matches: PinyinMatch[], from: string): Span {
  return { first, end, slots, highlight: matches.map((m) => m.term), relaxed: { kind: 'pinyin', from, to: matches[0]!.term } }
}

/** The alternatives of one pinyin word: its readings by share of documents, after the literal letters. */
function readings(matches: readonly PinyinMatch[], literal: string | undefined, initials = false): Alternative[] {
  const top = matches[0]!.df
  const base = literal === undefined ? 1 : BESIDE_LITERAL
  const out: Alternative[] = literal === undefined ? [] : [{ term: literal, weight: 1 }]
  for (const m of matches) out.push({ term: m.term, weight: base * (initials ? initialsShare(m.df / top) : Math.max(MIN_SHARE, m.df / top)) })
  return out
}
