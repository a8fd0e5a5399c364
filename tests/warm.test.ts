/**
 * warm(): what the first query would build lazily is built before it (service-in-a-box issue):
 * the segmenter's dictionary, the character index of unknown words, the field length norms.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { SearchEngine, type Segmenter } from '../src/index.js'
import { CharIndex } from '../src/query/char-index.js'
import { InvertedIndex } from '../src/index/inverted-index.js'
import { sampleArticles } from './robustness/helpers/common.js'
import { nodejiebaSegmenter } from '../src/analysis/nodejieba.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

afterEach(() => vi.restoreAllMocks())

function countingSegmenter(): Segmenter & { calls: number } {
  const inner = nodejiebaSegmenter()
  const s = { name: inner.name, version: inner.version, dictionaryHash: inner.dictionaryHash, calls: 0, cut: (t: string) => (s.calls++, inner.cut(t)), cutForSearch: (t: string) => (s.calls++, inner.cutForSearch(t)) }
  return s
}

describe('warm()', () => {
  it('uses the segmenter, builds the character index and the norms once; the first search builds neither', () => {
    const source = new SearchEngine()
    source.addAll(sampleArticles())
    const engine = SearchEngine.fromBytes(source.toBytes())
    const built = vi.spyOn(CharIndex.prototype, 'refresh')
    const norms = vi.spyOn(InvertedIndex.prototype, 'fieldNorms')
    expect(engine.warm()).toBe(engine)
    // Built once: every call (warm's own, its searches') returns the same norms and the same table.
    expect(norms).toHaveBeenCalled()
    expect(new Set(norms.mock.results.map((r) => r.value)).size).toBe(1)
    const tables = built.mock.results.map((r) => (r.value as { table: unknown }).table)
    expect(tables.length).toBeGreaterThan(0)
    expect(new Set(tables).size).toBe(1)
    // An unknown word (segmented apart in the text) uses the same table, not a rebuilt one.
    engine.search('效翼', { snippet: false })
    expect((built.mock.results.at(-1)!.value as { table: unknown }).table).toBe(tables[0])
  })

  it('calls the segmenter (so nodejieba loads its dictionary before the first query)', () => {
    const segmenter = countingSegmenter()
    const engine = new SearchEngine({ analyzer: { segmenter } })
    expect(segmenter.calls).toBe(0)
    engine.warm()
    expect(segmenter.calls).toBeGreaterThan(0)
  })

  it('load(path, { warm: true }) returns a warmed engine; without it nothing is built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiansuo-warm-'))
    try {
      const e = new SearchEngine()
      e.addAll(sampleArticles())
      const path = join(dir, 'i.jsz')
      await e.save(path)
      const built = vi.spyOn(CharIndex.prototype, 'refresh')
      await SearchEngine.load(path)
      expect(built).not.toHaveBeenCalled()
      const warmed = await SearchEngine.load(path, { warm: true })
      expect(built).toHaveBeenCalled()
      expect(warmed.search('雷锋').total).toBeGreaterThan(0)
      await expect(SearchEngine.load(path, { warm: 'yes' } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** The postings store's cache of decoded lists (private: what warm() fills). */
const cacheOf = (engine: SearchEngine) => (engine as unknown as { index: { postings: { cache: Map<number, unknown>; cachedEntries: number } } }).index.postings

describe('warm() decodes the most common terms ahead', () => {
  it('a first search of common words and phrases after warm() decodes no list', () => {
    const source = new SearchEngine()
    source.addAll(sampleArticles())
    const engine = SearchEngine.fromBytes(source.toBytes()).warm()
    const before = cacheOf(engine).cachedEntries
    expect(before).toBeGreaterThan(0)
    engine.search('"志愿者活动" 社区 OR 群众 -"文明实践"', { limit: 10 })
    expect(cacheOf(engine).cachedEntries).toBe(before)
  })

  it('takes the terms with the most entries first, up to the entries asked for', () => {
    const source = new SearchEngine()
    source.addAll(sampleArticles())
    const engine = SearchEngine.fromBytes(source.toBytes())
    const postings = (engine as unknown as { index: { postings: import('../src/index/postings.js').PostingsStore } }).index.postings
    const order = postings.frozenTermsByEntries()
    const counts = order.map((t) => postings.frozenPostings.docCounts[t]!)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
    const budget = counts[0]! + counts[1]! + counts[2]!
    postings.preload(order, budget)
    expect([...cacheOf(engine).cache.keys()].sort((a, b) => a - b)).toEqual(order.slice(0, 3).sort((a, b) => a - b))
    expect(cacheOf(engine).cachedEntries).toBe(budget)
  })
})

describe('warm() runs searches', () => {
  it('through snippets, for the most common term and every query form, so the first query compiles nothing', () => {
    const source = new SearchEngine()
    source.addAll(sampleArticles())
    const engine = SearchEngine.fromBytes(source.toBytes())
    const searched = vi.spyOn(engine, 'search')
    engine.warm()
    const [term, options] = searched.mock.calls[0]!
    expect(options).toEqual({ limit: 2 })
    // The other forms of a query, each through its own code path: OR, exclusion, phrase, field scope, unknown word.
    const forms = searched.mock.calls.slice(1).map(([q]) => q as string)
    expect(forms).toHaveLength(7)
    expect(forms[0]).toMatch(new RegExp(`^${term} OR \\S+$`))
    expect(forms[1]).toMatch(new RegExp(`^${term} -\\S+$`))
    expect(forms[2]).toMatch(/^"\S+"$/)
    expect(forms[3]).toMatch(/^title:\S+$/)
    expect(forms[4]!.startsWith(term as string) && forms[4]!.length > (term as string).length).toBe(true)
    expect(forms[5]).toMatch(new RegExp(`^${term} -"\\S+"$`))
    expect(forms[6]).toMatch(/^title:"\S+" \S+$/)
    const df = (word: string) => engine.search(word, { limit: 0 }).total
    expect(df(term as string)).toBeGreaterThan(1)
    for (const other of ['雷锋', '志愿者', '活动', '社区']) expect(df(term as string)).toBeGreaterThanOrEqual(df(other))
    expect(searched.mock.results[0]!.value.hits[0].snippets.length).toBeGreaterThan(0)
  })

  it('on an empty engine searches nothing and returns the engine', () => {
    const engine = new SearchEngine()
    const searched = vi.spyOn(engine, 'search')
    expect(engine.warm()).toBe(engine)
    expect(searched).not.toHaveBeenCalled()
  })
})
