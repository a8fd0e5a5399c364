/**
 * Builds the worst-case queries of bench/adversarial.ts from the corpus and the engine's own
 * analyzer. Every generator is seeded (mulberry32), so every machine measures the same queries.
 * Each call of a case's `make(rep)` returns a fresh query (new words, another article), so the
 * engine's per-word cache of unknown words cannot hide the cost of a repetition: an attacker
 * does not repeat themself either.
 */
import type { SearchEngine } from '../../src/index.js'
import type { Doc } from './corpus.js'
import { mulberry32, shuffle } from './random.js'

export const MAX_QUERY = 1_000
const HAN = /^\p{Script=Han}$/u

/**
 * Document frequency of an index term. There is no public accessor, so this reads the engine's
 * postings (`engine.index.postings.docFreq`); if the internals move, fix it here.
 */
export function termDocFreq(engine: SearchEngine): (term: string) => number {
  const postings = (engine as unknown as { index?: { postings?: { docFreq?: (t: string) => number } } }).index?.postings
  if (!postings || typeof postings.docFreq !== 'function') {
    throw new Error('bench/lib/adversarial-cases.ts reads engine.index.postings.docFreq to tell index terms from unknown words; update termDocFreq() for the new internals')
  }
  return (term) => postings.docFreq!(term)
}

/** Documents (title + text) containing each Han character. */
export function charDocFreq(docs: readonly Doc[]): Map<string, number> {
  const df = new Map<string, number>()
  for (const d of docs) for (const c of new Set(d.title + d.text)) if (HAN.test(c)) df.set(c, (df.get(c) ?? 0) + 1)
  return df
}

export interface UnknownPool {
  /** Two-character Han words: one query token each, not an index term. */
  words: string[]
  /** The characters they are made of, with their document counts. */
  band: { min: number; max: number; chars: number }
}

/**
 * Unknown two-character words whose characters are common: both characters occur in `min`–`max`
 * documents, so resolving the word verifies many candidate documents (today: inflate and scan
 * each, up to a cap of 1,500 candidates, beyond which the word is split instead — the band sits
 * just below it). A pair qualifies when the query analyzer keeps it as one token and the index
 * has no such term.
 */
export function unknownWords(engine: SearchEngine, charDf: Map<string, number>, count: number, seed: number, min = 700, max = 1_400): UnknownPool {
  const docFreq = termDocFreq(engine)
  const chars = [...charDf].filter(([, n]) => n >= min && n <= max).map(([c]) => c).sort()
  const rand = mulberry32(seed)
  const seen = new Set<string>()
  const words: string[] = []
  for (let tries = 0; words.length < count && tries < count * 200; tries++) {
    const a = chars[Math.floor(rand() * chars.length)]!
    const b = chars[Math.floor(rand() * chars.length)]!
    const word = a + b
    if (a === b || seen.has(word)) continue
    seen.add(word)
    const tokens = engine.analyzer.analyze(word, 'query')
    if (tokens.length !== 1 || tokens[0]!.term !== word || docFreq(word) > 0) continue
    words.push(word)
  }
  return { words, band: { min, max, chars: chars.length } }
}

/**
 * Unknown two-character words that are in the text: pieces of seeded random articles that the
 * query analyzer keeps as one token and the index has no term for (上调至 gives 调至, 新闻联播
 * gives 闻联). Unlike `unknownWords`, whose pairs are mostly in no document, each of these is
 * found in documents, so its matching reads postings and verifies stored text.
 */
export function textWords(engine: SearchEngine, docs: readonly Doc[], count: number, seed: number): string[] {
  const docFreq = termDocFreq(engine)
  const rand = mulberry32(seed)
  const seen = new Set<string>()
  const words: string[] = []
  for (let tries = 0; words.length < count && tries < count * 200; tries++) {
    const d = docs[Math.floor(rand() * docs.length)]!
    const at = Math.floor(rand() * Math.max(1, d.text.length - 1))
    const word = d.text.slice(at, at + 2)
    if (!HAN.test(word[0] ?? '') || !HAN.test(word[1] ?? '') || seen.has(word)) continue
    seen.add(word)
    const tokens = engine.analyzer.analyze(word, 'query')
    if (tokens.length !== 1 || tokens[0]!.term !== word || docFreq(word) > 0) continue
    words.push(word)
  }
  return words
}

/**
 * The `n` terms with the highest document frequency that a query can name: query tokens of a
 * seeded sample of documents, counted, then the 400 most frequent checked against the index.
 */
export function commonTerms(engine: SearchEngine, docs: readonly Doc[], n: number, seed: number, sample = 1_500): { term: string; df: number }[] {
  const docFreq = termDocFreq(engine)
  const rand = mulberry32(seed)
  const counts = new Map<string, number>()
  for (let i = 0; i < Math.min(sample, docs.length); i++) {
    const d = docs[Math.floor(rand() * docs.length)]!
    const terms = new Set(engine.analyzer.analyze(`${d.title}\n${d.text}`, 'query').map((t) => t.term))
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 400)
    .map(([term]) => ({ term, df: docFreq(term) }))
    .filter((t) => t.df > 0)
    .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1))
    .slice(0, n)
}

/** Words joined by `sep`, as many as fit in `limit` characters (cycling through the list). */
export function fill(words: readonly string[], sep: string, limit = MAX_QUERY, from = 0): { text: string; used: number } {
  let text = ''
  let used = 0
  for (let i = from; ; i++) {
    const w = words[i % words.length]!
    const next = text ? text + sep + w : w
    if (next.length > limit) break
    text = next
    used++
    if (used > 100_000) break
  }
  return { text, used }
}

export interface QueryCase {
  name: string
  /** How the query is built, for the README. */
  how: string
  make(rep: number): string
}

export interface CaseInputs {
  engine: SearchEngine
  docs: readonly Doc[]
  unknown: string[]
  /** Unknown words that are in the text (`textWords`). */
  inText: string[]
  common: string[]
  seed: number
}

/** Hands out fresh unknown words, in pool order, wrapping around (reshuffled) when used up. */
function wordDealer(pool: string[], seed: number): (n: number) => string[] {
  const list = [...pool]
  const rand = mulberry32(seed)
  let next = 0
  return (n) => {
    const out: string[] = []
    while (out.length < n) {
      if (next === list.length) {
        shuffle(list, rand)
        next = 0
      }
      out.push(list[next++]!)
    }
    return out
  }
}

/** Consecutive documents' text from a random start, cut to `length` characters. */
function pasted(docs: readonly Doc[], rand: () => number, length: number): string {
  const long = docs.filter((d) => d.text.length >= length)
  if (long.length > 0 && length <= 1_000) {
    const d = long[Math.floor(rand() * long.length)]!
    const start = Math.floor(rand() * (d.text.length - length + 1))
    return d.text.slice(start, start + length)
  }
  let text = ''
  for (let i = Math.floor(rand() * docs.length); text.length < length; i = (i + 1) % docs.length) text += (text ? '\n' : '') + docs[i]!.text
  return text.slice(0, length)
}

export function queryCases({ engine, docs, unknown, inText, common, seed }: CaseInputs): QueryCase[] {
  const deal = wordDealer(unknown, seed)
  const dealInText = wordDealer(inText, seed + 1)
  const rand = mulberry32(seed + 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  /** Ordinary words of a random document (query tokens of 2+ characters). */
  const docWords = (): string[] => {
    for (;;) {
      const d = pick(docs)
      const words = engine.analyzer.analyze(d.text.slice(0, 600), 'query').map((t) => t.term).filter((t) => t.length >= 2 && HAN.test(t[0]!))
      if (words.length >= 10) return words
    }
  }
  const syntax = (): string => {
    const words = docWords()
    const w = () => pick(words)
    const c = () => pick(common)
    const u = () => deal(1)[0]!
    const forms = [
      () => `${c()} OR ${w()}`,
      () => `${w()} OR ${u()} OR ${c()}`,
      () => `-${c()}`,
      () => `-"${w()}${w()}"`,
      () => `"${c()} ${w()}"`,
      () => `"${w()}${c()}"`,
      () => `title:${c()}`,
      () => `title:"${w()} ${c()}"`,
      () => `text:${u()}`,
      () => `${u()}`,
      () => `“${w()}${w()}”`,
      () => `title:${w()} OR -${w()}`,
    ]
    let text = ''
    for (let misses = 0; misses < 20; ) {
      const part = pick(forms)()
      const next = text ? `${text} ${part}` : part
      if (next.length > MAX_QUERY) misses++
      else text = next
    }
    return text
  }
  return [
    {
      name: 'unknown words, spaced',
      how: 'distinct unknown two-character words (see above) joined by spaces, 1,000 characters (333 words), fresh words every run',
      make: () => fill(deal(333), ' ').text,
    },
    {
      name: 'unknown words, no spaces',
      how: 'the same kind of words without spaces (one 1,000-character Han run that the query segmenter cuts itself), fresh words every run',
      make: () => deal(500).join(''),
    },
    {
      name: 'unknown words in the text, spaced',
      how: 'distinct unknown two-character words taken from the articles (see above: each is in some documents), joined by spaces, 1,000 characters (333 words), fresh words every run',
      make: () => fill(dealInText(333), ' ').text,
    },
    {
      name: 'one unknown word repeated',
      how: 'one unknown word repeated with spaces to 1,000 characters (333 times), another word every run',
      make: () => fill([deal(1)[0]!], ' ').text,
    },
    {
      name: '50 most common terms',
      how: 'the 50 highest-df terms once, spaced',
      make: () => common.join(' '),
    },
    {
      name: '50 most common terms, 1,000 chars',
      how: 'the 50 highest-df terms cycled, spaced, to 1,000 characters',
      make: () => fill(common, ' ').text,
    },
    {
      name: 'pasted article, 1,000 chars',
      how: 'a 1,000-character slice of a random article at least that long, another article every run',
      make: () => pasted(docs, rand, 1_000),
    },
    {
      name: 'pasted text, 10,000 chars',
      how: '10,000 characters of consecutive articles from a random start (the engine reads the first 1,000)',
      make: () => pasted(docs, rand, 10_000),
    },
    {
      name: 'syntax-heavy',
      how: 'random mix of `a OR b`, `-common`, `-"phrase"`, quoted phrases, `title:`/`text:` scopes and unknown words, from common terms and a random article\'s words, to 1,000 characters',
      make: () => syntax(),
    },
  ]
}

/** 10–20 character pieces of corpus sentences, as tiny documents. */
export function tinyDocs(docs: readonly Doc[], count: number, seed: number): Doc[] {
  const rand = mulberry32(seed)
  const out: Doc[] = []
  while (out.length < count) {
    const d = docs[Math.floor(rand() * docs.length)]!
    const sentences = d.text.split(/[。！？；\n]/).filter((s) => s.length >= 10)
    if (sentences.length === 0) continue
    const s = sentences[Math.floor(rand() * sentences.length)]!
    const len = 10 + Math.floor(rand() * 11)
    const start = Math.floor(rand() * Math.max(1, s.length - len + 1))
    out.push({ id: `tiny-${out.length}`, title: '', text: s.slice(start, start + len) })
  }
  return out
}
