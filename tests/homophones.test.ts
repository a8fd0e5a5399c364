/**
 * "Did you mean" for homophone typos (`query.pinyin`, `query.didYouMean`) and the `relaxed` list:
 * corrections when the typed word is rare and its homophone frequent, results replaced only when
 * the query as typed matches no document with all its words, no correction for queries that match.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, type Document } from '../src/index.js'
import { sampleArticles, sampleEngine } from './helpers.js'
import { xwlbSample } from './helpers-search-box.js'

const PINYIN = { query: { pinyin: true } }
const ids = (r: { hits: { id: string }[] }) => r.hits.map((h) => h.id)

describe('a rare word with a frequent homophone', () => {
  const engine = sampleEngine(PINYIN)

  it('is corrected, and the corrected query searched when the typed one matches no document whole', () => {
    const r = engine.search('雷峰精神', { snippet: false })
    expect(r.didYouMean).toBe('雷锋精神')
    expect(r.relaxed).toEqual([{ kind: 'homophone', from: '雷峰', to: '雷锋' }])
    expect(ids(r)).toEqual(ids(engine.search('雷锋精神', { snippet: false })))
  })

  it('is corrected inside longer words and phrases the dictionary cut apart', () => {
    expect(engine.search('文明时践').didYouMean).toBe('文明实践')
    expect(engine.search('郑洲').didYouMean).toBe('郑州')
    const r = engine.search('志原者 活动', { snippet: false })
    expect(r.didYouMean).toBe('志愿者 活动')
    expect(r.hits.length).toBeGreaterThan(0)
  })

  it('keeps the results as typed when they match, offering the correction only', () => {
    const e = new SearchEngine(PINYIN)
    const articles = sampleArticles()
    // Ten more copies of the two 雷锋 articles make 雷锋 ten times as frequent as 雷峰 below.
    const copies = articles.filter((a) => a.id === 'a03' || a.id === 'a04').flatMap((a) => Array.from({ length: 5 }, (_, i) => ({ ...a, id: `${a.id}-${i}` })))
    const pagoda: Document = { id: 'pagoda', title: '雷峰塔景区志愿者', body: '雷峰塔景区的志愿者发扬奉献精神，为游客提供讲解服务。' }
    e.addAll([...articles, ...copies, pagoda])
    const r = e.search('雷峰 精神', { snippet: false })
    expect(r.didYouMean).toBe('雷锋 精神')
    expect(r.relaxed).toBeUndefined()
    expect(ids(r)[0]).toBe('pagoda')
  })

  it('in a query of more than three words, is only offered: partial matches are answers there', () => {
    const r = engine.search('雷峰 志愿服务 活动 社区', { snippet: false })
    expect(r.didYouMean).toBe('雷锋 志愿服务 活动 社区')
    expect(r.relaxed).toBeUndefined()
    expect(ids(r)).toEqual(ids(sampleEngine().search('雷峰 志愿服务 活动 社区', { snippet: false })))
  })

  it('is left alone with didYouMean off, or without pinyin', () => {
    for (const e of [sampleEngine({ query: { pinyin: true, didYouMean: false } }), sampleEngine()]) {
      const r = e.search('雷峰精神', { snippet: false })
      expect(r.didYouMean).toBeUndefined()
      expect(r.relaxed).toBeUndefined()
      expect(ids(r)).toEqual(ids(sampleEngine().search('雷峰精神', { snippet: false })))
    }
  })

  it('is not looked for in text longer than a search box query', () => {
    const long = `雷峰精神 ${'志愿服务活动 '.repeat(10)}`
    expect(long.length).toBeGreaterThan(64)
    expect(engine.search(long).didYouMean).toBeUndefined()
  })
})

describe('queries that match well', () => {
  it('are never corrected (新闻联播 articles)', () => {
    const e = new SearchEngine({ fields: { title: { boost: 2 }, text: {} }, query: { pinyin: true } })
    e.addAll(xwlbSample())
    for (const q of ['冬奥会', '乡村振兴', '雷锋精神', '长江经济带', '重庆 银行', '雷峰塔']) {
      const r = e.search(q, { snippet: false })
      expect(r.total, q).toBeGreaterThan(0)
      expect(r.didYouMean, q).toBeUndefined()
      expect(r.relaxed, q).toBeUndefined()
    }
  })
})

describe('relaxed', () => {
  const engine = sampleEngine()

  it('names a quoted phrase no document holds, searched as its words', () => {
    const r = engine.search('"雷锋 香蕉"', { snippet: false })
    expect(r.relaxed).toEqual([{ kind: 'phrase', from: '雷锋 香蕉', to: '雷锋 香蕉' }])
    expect(ids(r).slice(0, 2).sort()).toEqual(['a03', 'a04'])
    expect(engine.search('"雷锋精神"').relaxed).toBeUndefined()
  })

  it('names an unknown word split into index terms', () => {
    // 专利技术 is one dictionary word in no sample text (see levers.test.ts).
    const r = engine.search('专利技术', { snippet: false })
    expect(r.relaxed).toEqual([{ kind: 'decomposed', from: '专利技术', to: '专利 技术' }])
  })

  it('never splits letters into pieces: an unknown Latin word is not decomposed', () => {
    const e = new SearchEngine({ fields: { title: { boost: 2 }, text: {} } })
    e.addAll(xwlbSample())
    // Before: rudna was searched as r, u, dna (the sample has all three as terms).
    for (const q of ['rudna', 'dnau', 'xczx']) {
      const r = e.search(q, { snippet: false })
      expect(r.relaxed, q).toBeUndefined()
      expect(r.total, q).toBe(0)
    }
  })
})
