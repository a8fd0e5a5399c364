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
    // Without the budget this query reads ~25,000 stored documents; the README documents 350.
    expect(QUERY_BUDGET.candidates).toBe(350)
    expect(reads.mock.calls.length).toBeLessThanOrEqual(350)
    // One unknown word alone is still verified (the budget is per query, not a cut of recall).
    reads.mockClear()
    const one = engine.search(unknown[0]!, { snippet: false })
    expect(one.total).toBeGreaterThan(0)
    for (const hit of one.hits) expect(String(hit.doc.body)).toContain(unknown[0]!)
  })
})

/**
 * Documents are cut into single characters, a query run stays one token: every query of two
 * or more characters is an unknown word, so the unknown-word path is all these tests exercise.
 */
const charSegmenter: Segmenter = { name: 'chars', version: '1', dictionaryHash: 'x', cut: (t) => [t], cutForSearch: (t) => [...t] }

describe('unknown words are narrowed by the index before any text is read (row 3)', () => {
  it('documents holding the characters apart are ruled out by positions: stored text is read for the match only', () => {
    const engine = new SearchEngine({ analyzer: { segmenter: charSegmenter } })
    const apart = Array.from({ length: 30 }, (_, i) => ({ id: `apart-${i}`, body: `雷雨过后山峰青翠，第${i}天` }))
    engine.addAll([...apart, { id: 'match', body: '山雷峰塔下' }])
    const reads = vi.spyOn(DocumentStore.prototype, 'get')
    const result = engine.search('雷峰', { snippet: false })
    expect(result.hits.map((h) => h.id)).toEqual(['match'])
    // Without the positional test all 31 documents holding 雷 and 峰 are inflated and scanned.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2)
  })

  it('a word inside an index term is found from postings alone, counted once per occurrence', () => {
    // Documents cut into three-character terms: 山雷峰 holds the query word 雷峰 inside it.
    const chunks: Segmenter = { ...charSegmenter, name: 'chunks', cutForSearch: (t) => t.match(/.{1,3}/gu) ?? [] }
    const engine = new SearchEngine({ analyzer: { segmenter: chunks } })
    const apart = Array.from({ length: 20 }, (_, i) => ({ id: `apart-${i}`, body: `雷雨后山峰${i}` }))
    engine.addAll([...apart, { id: 'once', body: '山雷峰塔下' }, { id: 'twice', body: '山雷峰塔下，山雷峰' }])
    const reads = vi.spyOn(DocumentStore.prototype, 'get')
    const result = engine.search('雷峰', { snippet: false })
    expect(reads.mock.calls.length).toBe(0)
    expect(result.hits.map((h) => h.id)).toEqual(['twice', 'once'])
  })

  it('the order of the characters counts, whichever of them is rarer', () => {
    const engine = new SearchEngine({ analyzer: { segmenter: charSegmenter } })
    // 峰 is rarer than 雷 (the extra documents), so the test starts from the second character.
    const reversed = Array.from({ length: 20 }, (_, i) => ({ id: `rev-${i}`, body: `峰雷${i}` }))
    const thunder = Array.from({ length: 20 }, (_, i) => ({ id: `thunder-${i}`, body: `打雷${i}` }))
    engine.addAll([...reversed, ...thunder, { id: 'match', body: '雷峰' }])
    const reads = vi.spyOn(DocumentStore.prototype, 'get')
    expect(engine.search('雷峰', { snippet: false }).hits.map((h) => h.id)).toEqual(['match'])
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2)
    expect(engine.search('峰雷', { snippet: false }).total).toBe(20)
  })

  it('a character that stands alone as a stopword does not hide the documents holding the word', () => {
    const engine = new SearchEngine({ analyzer: { segmenter: charSegmenter } })
    // 的 is a stopword: in these texts it takes a position and leaves no term.
    engine.addAll([
      { id: 'good', body: '他是好的人' },
      { id: 'apart', body: '好人的书' },
      ...Array.from({ length: 10 }, (_, i) => ({ id: `other-${i}`, body: `好天气，人很多${i}` })),
    ])
    expect(engine.search('好的人', { snippet: false }).hits.map((h) => h.id)).toEqual(['good'])
  })

  it('a word ending in a stopword character is still narrowed by its other side, not verified everywhere', () => {
    // 地 is a stopword here: a text may hold it as a token of its own, with no term.
    const chunks: Segmenter = { ...charSegmenter, name: 'chunks', cutForSearch: (t) => t.match(/.{1,3}/gu) ?? [] }
    const engine = new SearchEngine({ analyzer: { segmenter: chunks, stopwords: ['地'] } })
    const others = Array.from({ length: 30 }, (_, i) => ({ id: `other-${i}`, body: `锦标赛在地球${i}` }))
    engine.addAll([...others, { id: 'inside', body: '锦地罗' }, { id: 'crossing', body: '织蜀锦地' }])
    const reads = vi.spyOn(DocumentStore.prototype, 'get')
    const result = engine.search('锦地', { snippet: false })
    expect(result.hits.map((h) => h.id).sort()).toEqual(['crossing', 'inside'])
    // Only 织蜀锦 (a term ending with 锦, then the lone 地) makes a document worth reading; 锦地罗 holds the word inside.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(1)
  })

  it('documents added after the freeze are found, and the answer after compaction is the same', () => {
    const engine = new SearchEngine({ analyzer: { segmenter: charSegmenter } })
    engine.addAll(Array.from({ length: 10 }, (_, i) => ({ id: `old-${i}`, body: i === 3 ? '雷峰夕照' : `雷声和山峰${i}` })))
    expect(engine.search('雷峰', { snippet: false }).hits.map((h) => h.id)).toEqual(['old-3'])
    engine.add({ id: 'new', body: '重建雷峰塔' })
    engine.add({ id: 'new-apart', body: '雷与峰' })
    expect(engine.search('雷峰', { snippet: false }).hits.map((h) => h.id).sort()).toEqual(['new', 'old-3'])
    engine.remove('old-3')
    expect(engine.search('雷峰', { snippet: false }).hits.map((h) => h.id)).toEqual(['new'])
    engine.compact()
    expect(engine.search('雷峰', { snippet: false }).hits.map((h) => h.id)).toEqual(['new'])
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
