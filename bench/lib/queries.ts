/**
 * Benchmark queries: either read from a JSONL file (`{id?, text}` per line) or generated from the
 * documents with a fixed seed, so every engine and every run sees exactly the same queries.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Doc } from './corpus.js'
import { DEFAULT_SEED, mulberry32 } from './random.js'

export interface Query {
  id: string
  text: string
}

export function readQueries(path: string): Query[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const o = JSON.parse(l) as { id?: unknown; text?: unknown; query?: unknown }
      const text = typeof o.text === 'string' ? o.text : typeof o.query === 'string' ? o.query : ''
      return { id: o.id === undefined ? `q${i + 1}` : String(o.id), text }
    })
    .filter((q) => q.text.length > 0)
}

/**
 * Function words a user would not type as a search term. A local copy on purpose: the benchmark
 * must not change when src/ edits its own stopword list. Words are 2–4 Han characters here, so
 * single-character particles are already excluded by the length rule.
 */
const QUERY_STOPWORDS = new Set([
  '我们', '你们', '他们', '她们', '它们', '自己', '一个', '一种', '一些', '这个', '那个', '这些', '那些',
  '这样', '那样', '这里', '那里', '什么', '怎么', '怎样', '怎么样', '为什么', '如何', '多少', '哪里',
  '因为', '所以', '但是', '而且', '并且', '或者', '还是', '如果', '虽然', '然而', '以及', '其中', '之一',
  '等等', '已经', '正在', '可以', '没有', '不是', '就是', '也是', '还是', '通过', '进行', '对于', '关于',
  '以来', '表示', '目前', '今天', '同时', '其他', '一起', '一下', '有关', '这种', '那种', '之后', '之前',
])

const HAN_WORD = /^\p{Script=Han}{2,4}$/u

/**
 * 200 (by default) queries from seed 20240601: pick a random document, segment its text with
 * nodejieba precise mode, take a random 2–4 character Han word that is not a stopword; about one
 * query in three gets a second word from the same document, separated by a space.
 */
export function generateQueries(docs: readonly Doc[], count = 200, seed = DEFAULT_SEED): Query[] {
  if (docs.length === 0) return []
  const require = createRequire(import.meta.url)
  const jieba = require('nodejieba') as { cut(text: string, hmm?: boolean): string[] }
  const rand = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const out: Query[] = []
  const seen = new Set<string>()
  for (let attempts = 0; out.length < count && attempts < count * 50; attempts++) {
    const doc = pick(docs)
    // Long articles: segment a random window only (the words are what matter, not the coverage).
    const start = doc.text.length > 2000 ? Math.floor(rand() * (doc.text.length - 2000)) : 0
    const words = jieba.cut(doc.text.slice(start, start + 2000), true).filter((w) => HAN_WORD.test(w) && !QUERY_STOPWORDS.has(w))
    if (words.length === 0) continue
    let text = pick(words)
    if (rand() < 1 / 3) {
      const second = pick(words)
      if (second !== text) text = `${text} ${second}`
    }
    if (seen.has(text)) continue
    seen.add(text)
    out.push({ id: `g${out.length + 1}`, text })
  }
  return out
}
