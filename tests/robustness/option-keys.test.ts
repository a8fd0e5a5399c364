/**
 * Unknown option keys are mistakes, not no-ops (structured-search issue): `search(q, { filter })`
 * used to return the unfiltered ranking without a word. Every options object of the public API
 * names the key it does not know, suggests the close one, and lists what it takes.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, JiansuoError, parseNewspaper } from '../../src/index.js'

const engine = new SearchEngine()
engine.add({ id: 'a', title: '弘扬雷锋精神', body: '学习雷锋好榜样' })
const bytes = engine.toBytes()

function error(fn: () => unknown): JiansuoError {
  try {
    fn()
  } catch (err) {
    if (err instanceof JiansuoError) return err
    throw err
  }
  throw new Error('expected an error')
}

describe('an unknown option key is INVALID_OPTION naming it', () => {
  const cases: [string, () => unknown, string, string | undefined][] = [
    // call, what it does, the key named, the suggestion
    ['search', () => engine.search('雷锋', { fuzzy: 1 } as never), 'fuzzy', undefined],
    ['search', () => engine.search('雷锋', { filters: { date: '2024' } } as never), 'filters', 'filter'],
    ['search', () => engine.search('雷锋', { facet: {} } as never), 'facet', 'facets'],
    ['search', () => engine.search('雷锋', { limt: 5 } as never), 'limt', 'limit'],
    ['search', () => engine.search('雷锋', { Offset: 5 } as never), 'Offset', 'offset'],
    ['search snippet', () => engine.search('雷锋', { snippet: { lenght: 40 } } as never), 'lenght', 'length'],
    ['search highlight', () => engine.search('雷锋', { highlight: { pre: '<b>', close: '</b>' } } as never), 'close', undefined],
    ['constructor', () => new SearchEngine({ feilds: { title: {} } } as never), 'feilds', 'fields'],
    ['constructor fields', () => new SearchEngine({ fields: { title: { bost: 2 } } } as never), 'bost', 'boost'],
    ['constructor bm25', () => new SearchEngine({ bm25: { k: 1 } } as never), 'k', 'k1'],
    ['constructor analyzer', () => new SearchEngine({ analyzer: { stopWords: [] } } as never), 'stopWords', 'stopwords'],
    ['constructor ranking', () => new SearchEngine({ ranking: { proximty: 0 } } as never), 'proximty', 'proximity'],
    ['add', () => new SearchEngine().add({ id: 'x' }, { upsrt: true } as never), 'upsrt', 'upsert'],
    ['addAll', () => new SearchEngine().addAll([], { workers: 2 } as never), 'workers', undefined],
    ['fromBytes', () => SearchEngine.fromBytes(bytes, { field: {} } as never), 'field', 'fields'],
    ['parseNewspaper', () => parseNewspaper('', { prefix: 'b' } as never), 'prefix', 'idPrefix'],
  ]
  it.each(cases)('%s: %s', (_call, fn, key, suggestion) => {
    const err = error(fn)
    expect(err.code).toBe('INVALID_OPTION')
    expect(err.message).toContain(`"${key}"`)
    if (suggestion) expect(err.message).toContain(`did you mean "${suggestion}"`)
    else expect(err.message).not.toContain('did you mean')
  })

  it('the message lists the options the call takes', () => {
    expect(error(() => engine.search('雷锋', { fuzzy: 1 } as never)).message).toMatch(/limit, offset, fields, snippet, highlight, strict, filter, sort, facets, explain/)
  })

  it('async calls reject the same way', async () => {
    await expect(new SearchEngine().addAllParallel([], { worker: 2 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('did you mean "workers"') })
    await expect(SearchEngine.load('/nonexistent.jsz', { bm25: { B: 1 } } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })

  it('every documented key is still accepted', () => {
    const e = new SearchEngine({ fields: { title: { boost: 2 }, body: {} }, store: true, bm25: { k1: 1.2, b: 0.75 }, analyzer: { traditionalToSimplified: true, userWords: [] }, ranking: { coordination: 0, proximity: 0.5, expansionWeight: 0.7 } })
    e.addAll([{ id: 'a', title: '雷锋', body: '学习' }], { upsert: false, progressEvery: 10, onProgress: () => {} })
    const r = e.search('雷锋', { limit: 5, offset: 0, fields: ['title'], snippet: { length: 40, count: 1, fallback: false }, highlight: { pre: '[', post: ']' }, strict: false })
    expect(r.hits.map((h) => h.id)).toEqual(['a'])
  })
})
