/**
 * The analyzer chain's extension point (`analyzer.filters`): filters that drop, rewrite and add
 * terms at the same position, with the original offsets; in the fingerprint; on the calling thread.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, type TokenFilter } from '../src/index.js'
import { sampleArticles } from './helpers.js'

/** 弘扬 is indexed as 发扬 too (a synonym at index time), 的确 never, 郑州 as 郑州市. */
const ADD: TokenFilter = { name: 'add-发扬@1', filter: (t) => (t === '弘扬' ? [t, '发扬'] : t) }
const DROP: TokenFilter = { name: 'drop-活动@1', filter: (t) => (t === '活动' ? null : t) }
const REWRITE: TokenFilter = { name: 'rewrite-郑州@1', filter: (t) => (t === '郑州' ? '郑州市' : t) }

const table = (e: SearchEngine, text: string) => e.analyzer.analyze(text, 'query').map((t) => [t.term, text.slice(t.start, t.end), t.position])

describe('token filters', () => {
  const engine = new SearchEngine({ analyzer: { filters: [ADD, DROP, REWRITE] } })
  engine.addAll(sampleArticles())
  const plain = new SearchEngine()
  plain.addAll(sampleArticles())

  it('add terms at the token\'s position and offsets, drop terms keeping the position, rewrite terms', () => {
    expect(table(engine, '弘扬雷锋精神活动在郑州')).toEqual([
      ['弘扬', '弘扬', 0],
      ['发扬', '弘扬', 0],
      ['雷锋精神', '雷锋精神', 1],
      ['郑州市', '郑州', 4],
    ])
    expect(table(plain, '弘扬雷锋精神活动在郑州').map((r) => r[0])).toEqual(['弘扬', '雷锋精神', '活动', '郑州'])
    expect(engine.analyzer.chain.at(-3)).toBe('add-发扬@1')
  })

  it('apply to documents and queries alike: an added term finds the document, a dropped one nothing', () => {
    const ids = (e: SearchEngine, q: string) => e.search(q, { snippet: false, limit: 50 }).hits.map((h) => h.id).sort()
    // 发扬 as a query is 发扬 (and nothing else); the index holds it wherever the text says 弘扬.
    expect(ids(engine, '发扬')).toEqual(ids(plain, '弘扬 发扬'))
    expect(ids(plain, '发扬')).not.toEqual(ids(plain, '弘扬 发扬'))
    expect(engine.search('活动').total).toBe(0)
    expect(plain.search('活动').total).toBeGreaterThan(0)
    expect(ids(engine, '郑州')).toEqual(ids(plain, '郑州'))
  })

  it('highlight the characters of the original token', () => {
    const hit = engine.search('"弘扬 雷锋精神"').hits[0]!
    expect(hit.title!.html).toContain('<mark>弘扬雷锋精神</mark>')
  })

  it('are in the fingerprint: a file built with them loads only with the same filters', () => {
    const bytes = engine.toBytes()
    expect(() => SearchEngine.fromBytes(bytes)).toThrow(expect.objectContaining({ code: 'ANALYZER_MISMATCH' }))
    expect(() => SearchEngine.fromBytes(bytes, { analyzer: { filters: [ADD, DROP] } })).toThrow(/filters/)
    const loaded = SearchEngine.fromBytes(bytes, { analyzer: { filters: [ADD, DROP, REWRITE] } })
    expect(loaded.search('发扬').total).toBe(engine.search('发扬').total)
    // A file without filters loads without them, and not with them.
    expect(SearchEngine.fromBytes(plain.toBytes()).size).toBe(plain.size)
    expect(() => SearchEngine.fromBytes(plain.toBytes(), { analyzer: { filters: [ADD] } })).toThrow(expect.objectContaining({ code: 'ANALYZER_MISMATCH' }))
  })

  it('run on the calling thread in addAllParallel, with the same index as addAll', async () => {
    const parallel = new SearchEngine({ analyzer: { filters: [ADD, DROP, REWRITE] } })
    await parallel.addAllParallel(sampleArticles(), { workers: 2 })
    expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(engine.toBytes()))).toBe(true)
  })

  it('that are not filters are INVALID_OPTION', () => {
    for (const filters of [5, [{ name: 'x' }], [{ filter: (t: string) => t }], [{ name: '', filter: (t: string) => t }], [ADD, ADD]]) {
      expect(() => new SearchEngine({ analyzer: { filters: filters as never } }), JSON.stringify(filters)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    }
  })
})
