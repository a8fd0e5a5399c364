/**
 * One test per ranking and highlighting lever, each written so that switching the lever off in
 * the code (boost ignored, k1 or b changed, proximity 0 or its gap limited to 1, decomposition
 * off, expansion weight ignored, phrase fallback removed, highlight filters off, snippet idf
 * ignored, user words shortest-first, auto-compaction off) makes it fail. Values are computed
 * by hand from the BM25F formula in src/query/bm25.ts, on the sample newspaper's text.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, parseNewspaper } from '../src/index.js'
import { findMatches } from '../src/highlight/matches.js'
import { makeSnippets } from '../src/highlight/snippets.js'
import { SAMPLE_TEXT } from './helpers.js'

const articles = parseNewspaper(SAMPLE_TEXT).articles
const article = (id: string) => articles.find((a) => a.id === id)!

interface Internals {
  index: { internalId(id: string): number; fieldLength(f: number, doc: number): number; averageFieldLength(f: number): number; removedCount: number; docIdLimit: number }
}
const internals = (e: SearchEngine) => e as unknown as Internals

const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5))
const saturate = (wtf: number, k1: number) => (wtf * (k1 + 1)) / (k1 + wtf)
const count = (text: string, word: string) => text.split(word).length - 1

describe('BM25F levers: field boost, k1, b', () => {
  it('a one-word score equals idf · saturate(Σ boost · tf / (1 − b + b · len / avg)) with the configured boost, k1 and b', () => {
    const fields = { title: { boost: 4 }, body: { boost: 1 } }
    const bm25 = { k1: 1.6, b: 0.6 }
    const e = new SearchEngine({ fields, bm25 })
    e.addAll(articles)
    const hits = e.search('雷锋', { snippet: false }).hits
    expect(hits.map((h) => h.id).sort()).toEqual(['a03', 'a04'])
    const { index } = internals(e)
    for (const hit of hits) {
      const doc = index.internalId(hit.id)
      const a = article(hit.id)
      let wtf = 0
      ;(['title', 'body'] as const).forEach((field, f) => {
        const tf = count(String(a[field]), '雷锋')
        wtf += (fields[field].boost * tf) / (1 - bm25.b + (bm25.b * index.fieldLength(f, doc)) / index.averageFieldLength(f))
      })
      expect(hit.score).toBeCloseTo(idf(articles.length, 2) * saturate(wtf, bm25.k1), 10)
    }
  })

  it('the title boost decides between a title match and an equal body match', () => {
    // a09's title has 奖励 once; a06 mentions 奖励 nowhere, so put it once in a body of a09's length.
    const e = new SearchEngine({ ranking: { proximity: 0 } })
    e.add({ id: 'title', title: String(article('a09').title), body: String(article('a03').body) })
    e.add({ id: 'body', title: String(article('a03').title), body: `${String(article('a03').body)}奖励` })
    expect(count(String(article('a03').body), '奖励')).toBe(0)
    const [first, second] = e.search('奖励', { snippet: false }).hits
    expect(first!.id).toBe('title')
    // With boost 3 against 1 the title's weighted frequency is ~3 × the body's (lengths differ).
    expect(first!.score / second!.score).toBeGreaterThan(1.5)
  })
})

describe('proximity', () => {
  const e = new SearchEngine()
  e.add({ id: 'adjacent', title: '志愿', body: '我们学习雷锋精神，传承优良传统。' })
  e.add({ id: 'apart', title: '志愿', body: '雷锋的事迹值得我们学习，传承精神。' })
  e.add({ id: 'gap2', title: '志愿', body: '我们学习雷锋的精神，传承优良传统。' })
  const flat = new SearchEngine({ ranking: { proximity: 0 } })
  flat.addAll(['adjacent', 'apart', 'gap2'].map((id) => e.get(id)!))
  const score = (engine: SearchEngine, q: string, id: string) => engine.search(q, { snippet: false }).hits.find((h) => h.id === id)!.score
  const n = 3

  it('adjacent words of one clause found adjacent earn proximity × their mean idf; apart earn nothing', () => {
    const bonus = 0.5 * ((idf(n, 3) + idf(n, 3)) / 2)
    // 学习 then 雷锋(精神) at the next position in 'adjacent'; in 'apart' 学习 comes after 雷锋.
    expect(score(e, '学习雷锋', 'adjacent') - score(flat, '学习雷锋', 'adjacent')).toBeCloseTo(bonus, 10)
    expect(score(e, '学习雷锋', 'apart')).toBeCloseTo(score(flat, '学习雷锋', 'apart'), 12)
  })

  it('a query gap of 2 (a stopword between) is matched at the same gap in the text', () => {
    const positions = e.analyzer.analyze('雷锋的精神', 'query').map((t) => t.position)
    expect(positions).toEqual([0, 2])
    expect(score(e, '雷锋的精神', 'gap2') - score(flat, '雷锋的精神', 'gap2')).toBeCloseTo(0.5 * idf(n, 3), 10)
    expect(score(e, '雷锋的精神', 'adjacent')).toBeCloseTo(score(flat, '雷锋的精神', 'adjacent'), 12)
  })
})

describe('coordination', () => {
  it('with coordination 1, a document matching one of two words scores half of its coordination-0 score', () => {
    const base = new SearchEngine({ ranking: { proximity: 0 } })
    const coord = new SearchEngine({ ranking: { proximity: 0, coordination: 1 } })
    base.addAll(articles)
    coord.addAll(articles)
    const one = (e: SearchEngine) => e.search('专利 雷锋', { snippet: false, limit: 20 }).hits.find((h) => h.id === 'a09')!.score
    expect(count(JSON.stringify(article('a09')), '雷锋')).toBe(0)
    expect(one(coord)).toBeCloseTo(one(base) / 2, 10)
  })
})

describe('words the dictionary does not hold', () => {
  it('an unknown Han word found in text scores at expansionWeight × its idf', () => {
    const at = (w: number) => {
      const e = new SearchEngine({ ranking: { expansionWeight: w } })
      e.addAll(articles)
      return e.search('锋精', { snippet: false }).hits
    }
    const [full, weighted] = [at(1), at(0.7)]
    expect(full.map((h) => h.id).sort()).toEqual(['a03', 'a04'])
    for (const hit of weighted) expect(hit.score / full.find((h) => h.id === hit.id)!.score).toBeCloseTo(0.7, 10)
  })

  it('an unknown word that is in no text is decomposed into index terms', () => {
    const e = new SearchEngine()
    e.addAll(articles)
    // 专利技术 is one dictionary word, absent from the sample: no term, no text to find it in.
    expect(e.analyzer.analyze('专利技术', 'query').map((t) => t.term)).toEqual(['专利技术'])
    expect(JSON.stringify(articles)).not.toContain('专利技术')
    const ids = e.search('专利技术', { snippet: false, limit: 20 }).hits.map((h) => h.id)
    expect(ids).toEqual(['a09', 'a10'])
  })

  it('a quoted phrase no document contains still ranks by its words', () => {
    const e = new SearchEngine()
    e.addAll(articles)
    expect(JSON.stringify(articles)).not.toContain('雷锋专利')
    const ids = e.search('"雷锋 专利"', { snippet: false, limit: 20 }).hits.map((h) => h.id)
    expect(ids).toEqual(expect.arrayContaining(['a03', 'a04', 'a09']))
  })
})

describe('highlight filters', () => {
  const norm = new SearchEngine().analyzer.config.normalize
  it('a lone Han character lights up only where it touches a longer match', () => {
    const text = '五一假期，学雷锋五人小组走进社区，共有五十人参加。'
    const marked = findMatches(text, ['雷锋', '五'], norm).map((m) => text.slice(m.start, m.end))
    expect(marked.filter((m) => m === '五')).toHaveLength(1) // 雷锋五…: touches 雷锋; 五一 and 五十 do not
    expect(marked).toContain('雷锋')
  })

  it('a Latin or digit term matches whole words only', () => {
    const text = '售价15g装，支持5g网络'
    const marked = findMatches(text, ['5g'], norm)
    expect(marked).toHaveLength(1)
    expect(text.slice(marked[0]!.start, marked[0]!.end)).toBe('5g')
    expect(marked[0]!.start).toBe(text.indexOf('支持') + 2)
  })
})

describe('snippet passage choice', () => {
  it('a sentence with a rarer query word beats an earlier one with a common word (idf weights)', () => {
    const norm = new SearchEngine().analyzer.config.normalize
    const text = '企业发展势头良好。区人社局组织志愿者学雷锋。'
    const weights = new Map([
      ['企业', 0.2],
      ['雷锋', 2.5],
    ])
    const [passage] = makeSnippets('body', text, ['企业', '雷锋'], weights, norm, { length: 12, count: 1, fallback: false }, { pre: '[', post: ']' })
    expect(passage!.text).toContain('雷锋')
    expect(passage!.text).not.toContain('企业')
  })
})

describe('user words', () => {
  it('the longest user word wins, whatever order they are listed in', () => {
    const analyzer = new SearchEngine({ analyzer: { userWords: ['万人', '万人助万企'] } }).analyzer
    const terms = analyzer.analyze('开展万人助万企活动', 'query').map((t) => t.term)
    expect(terms).toContain('万人助万企')
    expect(terms).not.toContain('万人')
  })
})

describe('auto-compaction', () => {
  it('past 25 % removed documents (of at least 1,000), the index compacts by itself', () => {
    const e = new SearchEngine()
    const body = String(article('a01').body).slice(0, 60)
    e.addAll(Array.from({ length: 1_200 }, (_, i) => ({ id: `d${i}`, title: `第${i}篇`, body })))
    for (let i = 0; i < 300; i++) e.remove(`d${i}`)
    expect(internals(e).index.removedCount).toBe(300)
    e.remove('d300')
    // 301 > 0.25 × 1,200: compacted, internal ids renumbered, nothing removed left behind.
    expect(internals(e).index.removedCount).toBe(0)
    expect(internals(e).index.docIdLimit).toBe(899)
    expect(e.size).toBe(899)
  })
})
