/**
 * The index's adjacent Han character pairs (analysis/char-pairs.ts, index/pair-set.ts): a query
 * word with a pair no document holds is answered without reading postings or stored text. The set
 * holds every pair of the folded text (inside words, across them, around stopwords), follows every
 * write, lives in the file, and is rebuilt from the stored documents when a file lacks it. Answers
 * are those of the matching before the set existed (recorded in tests/fixtures).
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SearchEngine } from '../src/index.js'
import { hanPairs, pairKey } from '../src/analysis/char-pairs.js'
import { PostingsStore } from '../src/index/postings.js'
import { DocumentStore } from '../src/index/document-store.js'
import { ROOT, sampleArticles, thrown } from './robustness/helpers/common.js'
import { assembleIndex, splitIndex } from './robustness/helpers/index-file.js'

afterEach(() => vi.restoreAllMocks())

const key = (pair: string) => pairKey(pair.charCodeAt(0), pair.charCodeAt(1))
const mayHold = (engine: SearchEngine, word: string) => (engine as unknown as { index: { mayHold(w: string): boolean } }).index.mayHold(word)

/** Reads of postings and stored text during `fn`. */
function reads(fn: () => void): number {
  const spies = [
    vi.spyOn(PostingsStore.prototype, 'markFrozenDocs'),
    vi.spyOn(PostingsStore.prototype, 'frozenList'),
    vi.spyOn(PostingsStore.prototype, 'get'),
    vi.spyOn(DocumentStore.prototype, 'get'),
  ]
  fn()
  const n = spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)
  for (const spy of spies) spy.mockRestore()
  return n
}

describe('hanPairs', () => {
  it('keeps every two adjacent Han characters once, in first-seen order; punctuation, Latin and spaces break pairs', () => {
    expect(Array.from(hanPairs(['雷锋精神，雷锋', 'ab中文 字']))).toEqual(['雷锋', '锋精', '精神', '中文'].map(key))
    expect(hanPairs(['', 'a', '中'])).toHaveLength(0)
  })

  it('are taken from the folded text: a traditional text gives the simplified pair', () => {
    const engine = new SearchEngine()
    expect(Array.from(engine.analyzer.analyzeTerms('雷鋒').pairs)).toEqual([key('雷锋')])
  })
})

const sample = new SearchEngine()
sample.addAll(sampleArticles())
/** Two characters of the sample, never adjacent in it, that a query keeps as one word the index lacks. */
const absent = (() => {
  const text = sampleArticles().map((a) => a.title + a.body).join('')
  const chars = [...new Set(text.match(/\p{Script=Han}/gu)!)].slice(0, 200)
  const docFreq = (sample as unknown as { index: { postings: PostingsStore } }).index.postings.docFreq.bind((sample as unknown as { index: { postings: PostingsStore } }).index.postings)
  for (const a of chars) {
    for (const b of chars) {
      const w = a + b
      if (a === b || text.includes(w) || docFreq(w) > 0) continue
      const tokens = sample.analyzer.analyze(w, 'query')
      if (tokens.length === 1 && tokens[0]!.term === w) return w
    }
  }
  throw new Error('no absent pair in the sample')
})()

describe('an unknown word with a pair no document holds', () => {
  const engine = sample

  it('is answered without reading postings or stored text', () => {
    expect(mayHold(engine, absent)).toBe(false)
    const fresh = new SearchEngine()
    fresh.addAll(sampleArticles())
    expect(reads(() => fresh.search(absent, { snippet: false }))).toBe(0)
  })

  it('is found once a document holding it is added (single add, then compaction, save and load)', () => {
    const e = new SearchEngine()
    e.addAll(sampleArticles())
    e.add({ id: 'new', title: '', body: `前文${absent}后文` })
    expect(mayHold(e, absent)).toBe(true)
    expect(e.search(absent, { snippet: false }).hits.map((h) => h.id)).toEqual(['new'])
    e.compact()
    expect(e.search(absent, { snippet: false }).hits.map((h) => h.id)).toEqual(['new'])
    const loaded = SearchEngine.fromBytes(e.toBytes())
    expect(mayHold(loaded, absent)).toBe(true)
    expect(loaded.search(absent, { snippet: false }).hits.map((h) => h.id)).toEqual(['new'])
    // Removal keeps the pair (a superset is only a lookup that falls through): still no wrong hit.
    loaded.remove('new')
    expect(loaded.search(absent, { snippet: false }).total).toBe(0)
  })

  it('is found in a batch as soon as the batch is visible (addAll, update)', async () => {
    const e = new SearchEngine()
    e.addAll(sampleArticles())
    e.addAll([{ id: 'batch', title: absent, body: '' }])
    expect(e.search(absent, { snippet: false }).hits.map((h) => h.id)).toEqual(['batch'])
    e.update({ id: 'a01', title: '', body: `${absent}。` })
    expect(e.search(absent, { snippet: false }).hits.map((h) => h.id).sort()).toEqual(['a01', 'batch'])
    await e.addAllParallel([{ id: 'parallel', title: '', body: `（${absent}）` }], { workers: 0 })
    expect(e.search(absent, { snippet: false }).hits.map((h) => h.id).sort()).toEqual(['a01', 'batch', 'parallel'])
  })
})

describe('the pair set in the file', () => {
  const engine = sample
  const file = engine.toBytes()

  it('is written with the index and read back', () => {
    const parts = splitIndex(file) as unknown as { body: { pairs?: Uint8Array } }
    expect(parts.body.pairs).toBeInstanceOf(Uint8Array)
    const loaded = SearchEngine.fromBytes(file)
    expect(reads(() => loaded.search(absent, { snippet: false }))).toBe(0)
  })

  it('missing (format 1, or a file without it) is rebuilt from the stored documents on first use, with the same answers', () => {
    const parts = splitIndex(file)
    delete (parts.body as { pairs?: unknown }).pairs
    const without = SearchEngine.fromBytes(assembleIndex(parts.prefix, parts.header, parts.body))
    const v1 = SearchEngine.fromBytes(new Uint8Array(readFileSync(join(ROOT, 'tests/fixtures/index-v1.jsz'))))
    for (const e of [without, v1]) {
      expect(mayHold(e, absent)).toBe(true)
      e.search(absent, { snippet: false })
      expect(mayHold(e, absent)).toBe(false)
      expect(mayHold(e, '雷锋')).toBe(true)
    }
    for (const q of ['雷锋', '效翼', `${absent} 专利`]) {
      const answer = (e: SearchEngine) => e.search(q, { snippet: false }).hits.map((h) => [h.id, h.score])
      expect(answer(without)).toEqual(answer(engine))
    }
  })

  it('out of order is INDEX_CORRUPT at load', () => {
    const parts = splitIndex(file)
    const body = parts.body as unknown as { pairs: Uint8Array }
    body.pairs = Uint8Array.from([...body.pairs.subarray(0, 5), 0])
    expect(thrown(() => SearchEngine.fromBytes(assembleIndex(parts.prefix, parts.header, parts.body)))).toBe('INDEX_CORRUPT')
  })
})

describe('answers are those of the matching before the pair set', () => {
  it('784 unknown words of the sample (parts of its text and pairs of its characters): same hits, same scores', () => {
    // Recorded with the code before the pair set (tests/fixtures/README.md): [word, total, [[id, score]…]].
    const recorded = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/unknown-words-before-pairs.json'), 'utf8')) as [string, number, [string, number][]][]
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    expect(recorded.length).toBe(784)
    expect(recorded.filter(([, total]) => total > 0).length).toBe(243)
    const now = recorded.map(([word]) => {
      const r = engine.search(word, { snippet: false, limit: 100 })
      return [word, r.total, r.hits.map((h) => [h.id, h.score])]
    })
    expect(now).toEqual(recorded)
  })
})
