/** Ranking on the user's sample newspaper: what a reader searching this paper relies on. */
import { describe, it, expect } from 'vitest'
import { sampleEngine, titleOf } from './helpers.js'

const engine = sampleEngine()
const titles = (query: string, limit = 10) => engine.search(query, { limit, snippet: false }).hits.map((h) => titleOf(engine, h.id))

describe('ranking on the sample newspaper', () => {
  it('雷锋 ranks both 弘扬雷锋精神 articles first and second', () => {
    const top = titles('雷锋').slice(0, 2)
    expect(top).toHaveLength(2)
    for (const t of top) expect(t).toMatch(/^弘扬雷锋精神/)
  })

  it('网红新地标 and 五云山 rank the 区委宣传部 article first', () => {
    expect(titles('网红新地标')[0]).toMatch(/^区委宣传部/)
    expect(titles('五云山')[0]).toMatch(/^区委宣传部/)
  })

  it('公文处理 ranks the training article first', () => {
    expect(titles('公文处理')[0]).toContain('公文处理工作培训')
  })

  it('专利 ranks the 天马 patent article first', () => {
    const [first] = engine.search('专利', { limit: 1 }).hits
    expect(first!.doc.body).toContain('天马')
    expect(first!.doc.title).toBe('我区这家公司获省政府奖励')
  })

  it('the phrase "文明行为促进条例" returns exactly the two 雷锋 articles', () => {
    const res = engine.search('"文明行为促进条例"')
    expect(res.total).toBe(2)
    expect(res.hits.map((h) => titleOf(engine, h.id)).every((t) => t.startsWith('弘扬雷锋精神'))).toBe(true)
  })

  it('量子计算 returns zero hits without error', () => {
    const res = engine.search('量子计算')
    expect(res.total).toBe(0)
    expect(res.hits).toEqual([])
  })

  it.each([
    ['义剪', '弘扬雷锋精神 争当时代新人'],
    ['智能派单', '数智赋能 跑出基层治理新年加速度'],
    ['地效翼船', '全区各单位学习贯彻区委十一届六次全会精神'],
  ])('%s finds the article containing it', (query, title) => {
    expect(titles(query)[0]).toBe(title)
  })

  it('finds words broken across a layout line break (重新规 / 划和调整空间)', () => {
    expect(titles('重新规划')[0]).toMatch(/^区委宣传部/)
    expect(titles('"工作方案"').length).toBeGreaterThan(0)
  })

  it('a query of only stopwords returns no hits, not an error', () => {
    expect(engine.search('的 了 是').total).toBe(0)
    expect(engine.search('什么').total).toBe(0)
  })

  it('finds a traditional-character query in simplified text', () => {
    const top = titles('雷鋒精神').slice(0, 2)
    expect(top.every((t) => t.startsWith('弘扬雷锋精神'))).toBe(true)
  })

  it('excludes with -word and scopes with title:', () => {
    const all = engine.search('志愿者').hits.map((h) => h.id)
    const without = engine.search('志愿者 -雷锋').hits.map((h) => h.id)
    expect(without.length).toBeLessThan(all.length)
    for (const id of without) expect(String(engine.get(id)!.body)).not.toContain('雷锋')
    const inTitle = engine.search('title:雷锋').hits
    expect(inTitle.length).toBe(2)
    // 专利 is only in bodies
    expect(engine.search('title:专利').total).toBe(0)
  })

  it('A OR B returns the union', () => {
    const a = new Set(engine.search('专利').hits.map((h) => h.id))
    const b = new Set(engine.search('五云山').hits.map((h) => h.id))
    const both = new Set(engine.search('专利 OR 五云山').hits.map((h) => h.id))
    expect(both).toEqual(new Set([...a, ...b]))
  })

  it('a title match outranks a body-only mention', () => {
    // 公文 is in the title of the training article and nowhere else prominent
    expect(titles('培训')[0]).toContain('培训')
  })

  it.each([
    ['雷锋 志愿服务', /^弘扬雷锋精神/],
    ['五云山 铝城公园', /^区委宣传部/],
    ['招商引资 万人助万企', /^(走访企业|全区各单位)/],
    ['助听 耳聋', /^科技助听/],
  ])('multi-word keyword query %s ranks the article with all its words first', (query, title) => {
    expect(titles(query)[0]).toMatch(title)
  })

  it('paginates without overlap and keeps the total', () => {
    const all = engine.search('企业', { limit: 50 }).hits.map((h) => h.id)
    const p1 = engine.search('企业', { limit: 2, offset: 0 })
    const p2 = engine.search('企业', { limit: 2, offset: 2 })
    expect(p1.total).toBe(p2.total)
    expect([...p1.hits, ...p2.hits].map((h) => h.id)).toEqual(all.slice(0, 4))
  })
})
