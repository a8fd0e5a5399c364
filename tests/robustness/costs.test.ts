/**
 * Bounded cost per query and per document (hardening issue rows 3, 10, 11), pinned by what the
 * engine does rather than by timing (the figures are in bench/adversarial.ts): removal never
 * re-analyzes text, unknown words verify a bounded number of stored documents per query, and
 * snippets of a huge field scan only its opening.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { SearchEngine, type Segmenter } from '../../src/index.js'
import { nodejiebaSegmenter } from '../../src/analysis/nodejieba.js'
import { DocumentStore } from '../../src/index/document-store.js'
import { QUERY_BUDGET } from '../../src/query/unknown-words.js'
import { MAX_QUERY_WORDS } from '../../src/query/execute.js'
import { PostingsStore } from '../../src/index/postings.js'
import { sampleArticles, sampleParagraphs, syntheticDocs } from './helpers/common.js'

afterEach(() => vi.restoreAllMocks())

/** nodejieba behind a counter of the text it is given. */
function countingSegmenter(): Segmenter & { chars: number } {
  const inner = nodejiebaSegmenter()
  const counting = {
    name: inner.name,
    version: inner.version,
    dictionaryHash: inner.dictionaryHash,
    chars: 0,
    cut: (text: string) => ((counting.chars += text.length), inner.cut(text)),
    cutForSearch: (text: string) => ((counting.chars += text.length), inner.cutForSearch(text)),
  }
  return counting
}

describe('removal reads the forward index, never the text (rows 8, 10, 11)', () => {
  it('remove and update of the sample segment nothing but the new text', () => {
    const segmenter = countingSegmenter()
    const engine = new SearchEngine({ analyzer: { segmenter } })
    engine.addAll(sampleArticles())
    segmenter.chars = 0
    for (const id of ['a01', 'a03', 'a05-2']) expect(engine.remove(id)).toBe(true)
    expect(segmenter.chars).toBe(0)
    engine.update({ id: 'a04', title: '新标题', body: '新的正文' })
    expect(segmenter.chars).toBe('新标题'.length + '新的正文'.length)
  })

  it('document frequencies stay exact: a removed document no longer counts for its terms', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    const before = engine.search('雷锋', { snippet: false })
    const gone = before.hits[0]!.id
    engine.remove(gone)
    const after = engine.search('雷锋', { snippet: false })
    expect(after.total).toBe(before.total - 1)
    expect(after.hits.map((h) => h.id)).not.toContain(gone)
    // Scores equal a fresh engine without the document (same df, same average lengths).
    const fresh = new SearchEngine()
    fresh.addAll(sampleArticles().filter((a) => a.id !== gone))
    expect(after.hits.map((h) => [h.id, h.score])).toEqual(fresh.search('雷锋', { snippet: false }).hits.map((h) => [h.id, h.score]))
    expect(engine.termCount).toBe(fresh.termCount)
  })

  it('after load, removal uses the frozen forward index and the file equals a rebuild', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    const loaded = SearchEngine.fromBytes(engine.toBytes())
    for (const id of ['a02', 'a07']) loaded.remove(id)
    const fresh = new SearchEngine()
    fresh.addAll(sampleArticles().filter((a) => a.id !== 'a02' && a.id !== 'a07'))
    expect(loaded.termCount).toBe(fresh.termCount)
    for (const q of ['雷锋', '专利', '志愿者 文明', '企业']) {
      const pairs = (e: SearchEngine) => e.search(q, { snippet: false }).hits.map((h) => [h.id, h.score])
      expect(pairs(loaded)).toEqual(pairs(fresh))
    }
  })
})

describe('unknown words verify a bounded number of documents per query (row 3)', () => {
  it('a query of many unknown words reads at most the budget of stored documents', () => {
    const paragraphs = sampleParagraphs()
    const engine = new SearchEngine()
    engine.addAll(syntheticDocs(2000))
    // Two-character strings of the corpus that are not index terms: each is verified in stored text.
    const text = paragraphs.join('')
    const postings = (engine as unknown as { index: { postings: { docFreq(t: string): number } } }).index.postings
    const words = new Set<string>()
    for (let i = 0; i + 2 <= text.length && words.size < 60; i += 3) {
      const w = text.slice(i, i + 2)
      if (/^\p{Script=Han}{2}$/u.test(w) && engine.analyzer.analyze(w, 'query').map((t) => t.term).join() === w && postings.docFreq(w) === 0) words.add(w)
    }
    const unknown = [...words]
    expect(unknown.length).toBeGreaterThan(20)
    const reads = vi.spyOn(DocumentStore.prototype, 'get')
    engine.search(unknown.join(' '), { snippet: false })
    expect(reads.mock.calls.length).toBeGreaterThan(0)
    // Without the budget this query reads ~25,000 stored documents; the README documents 700.
    expect(QUERY_BUDGET.candidates).toBe(700)
    expect(reads.mock.calls.length).toBeLessThanOrEqual(700)
    // One unknown word alone is still verified (the budget is per query, not a cut of recall).
    reads.mockClear()
    const one = engine.search(unknown[0]!, { snippet: false })
    expect(one.total).toBeGreaterThan(0)
    for (const hit of one.hits) expect(String(hit.doc.body)).toContain(unknown[0]!)
  })
})

describe('snippets of a huge field scan its opening only (row 10)', () => {
  it('a match past the first 100,000 characters is not highlighted; one before is', () => {
    const filler = '会议强调要坚持稳中求进工作总基调。'.repeat(12_000) // ~204k characters
    const engine = new SearchEngine()
    engine.add({ id: 'huge', title: '长文', body: `${filler.slice(0, 50_000)}雷锋精神代代传。${filler.slice(50_000)}志愿服务在最后。` })
    const early = engine.search('雷锋', { snippet: { count: 1 } }).hits[0]!
    expect(early.snippets[0]!.ranges.length).toBeGreaterThan(0)
    expect(early.snippets[0]!.start).toBeGreaterThan(49_000)
    const late = engine.search('志愿服务', { snippet: { count: 1 } }).hits[0]!
    expect(late.id).toBe('huge')
    expect(late.snippets).toEqual([])
    const opening = engine.search('志愿服务', { snippet: { count: 1, fallback: true } }).hits[0]!
    expect(opening.snippets[0]!.ranges).toEqual([])
    expect(opening.snippets[0]!.start).toBe(0)
  })
})

describe('a long query scores its rarest words only (the per-query cost bound)', () => {
  it('a pasted article reads the postings of at most 32 words, the rarest, and still finds the article', () => {
    const engine = new SearchEngine()
    engine.addAll(syntheticDocs(300))
    engine.addAll(sampleArticles())
    const article = sampleArticles().find((a) => a.id === 'a09')!
    const query = article.body.slice(0, 1000)
    const postings = (engine as unknown as { index: { postings: PostingsStore } }).index.postings
    const words = [...new Set(engine.analyzer.analyze(query, 'query').map((t) => t.term))].filter((t) => postings.docFreq(t) > 0)
    expect(words.length).toBeGreaterThan(100)
    const byRarity = [...words].sort((a, b) => postings.docFreq(a) - postings.docFreq(b))
    const reads = vi.spyOn(PostingsStore.prototype, 'get')
    const result = engine.search(query, { snippet: false })
    const read = new Set(reads.mock.calls.map(([term]) => term))
    expect(MAX_QUERY_WORDS).toBe(32)
    // Without the cap every one of the 100+ words is read and scored (hundreds of ms on 20k articles).
    expect(read.size).toBeLessThanOrEqual(MAX_QUERY_WORDS)
    expect(read.has(byRarity[0]!)).toBe(true)
    expect(read.has(byRarity[byRarity.length - 1]!)).toBe(false)
    expect(result.hits[0]?.id).toBe('a09')
  })

  it('a query of 32 words or fewer is scored whole', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    const reads = vi.spyOn(PostingsStore.prototype, 'get')
    engine.search('雷锋 精神 志愿者 文明 专利 企业', { snippet: false })
    expect(new Set(reads.mock.calls.map(([term]) => term))).toEqual(new Set(['雷锋', '精神', '志愿者', '文明', '专利', '企业']))
  })
})
