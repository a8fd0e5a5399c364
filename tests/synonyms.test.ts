/**
 * Synonyms (`query.synonyms`, Solr's format) on real 新闻联播 articles: two-way and one-way rules,
 * multi-word entries as phrases, weights below the word as typed, rule errors, not in the file.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, type Document } from '../src/index.js'
import { xwlbSample } from './helpers-search-box.js'

const FIELDS = { title: { boost: 2 }, text: {} }
const RULES = ['# sports', '冬奥会, 冬季奥运会', '', '新冠, 新型冠状病毒', '扶贫 => 脱贫攻坚']

function engine(synonyms: string | readonly string[] = RULES, extra: Document[] = []): SearchEngine {
  const e = new SearchEngine({ fields: FIELDS, query: { synonyms } })
  e.addAll([...xwlbSample(), ...extra])
  return e
}
const idSet = (e: SearchEngine, q: string) => new Set(e.search(q, { snippet: false, limit: 1000 }).hits.map((h) => h.id))

// Two articles alike but for the name of the games (the corpus never writes 冬季奥运会 out).
const LONG: Document = { id: 'long', title: '北京冬季奥运会志愿者总结表彰', text: '北京冬季奥运会志愿者总结表彰大会今天举行，志愿者代表分享服务经历。' }
const SHORT: Document = { id: 'short', title: '北京冬奥会志愿者总结表彰', text: '北京冬奥会志愿者总结表彰大会今天举行，志愿者代表分享服务经历。' }
const APART: Document = { id: 'apart', title: '冬季运动进校园', text: '冬季运动走进校园，学生们观看了奥运会比赛录像。' }

describe('two-way rules', () => {
  it('find the same articles for either entry, and for 冬季奥运会 the phrase, not its words apart', () => {
    const e = engine(RULES, [LONG, SHORT, APART])
    const short = idSet(e, '冬奥会')
    const long = idSet(e, '冬季奥运会')
    expect(short.size).toBeGreaterThan(8)
    expect([...long].sort()).toEqual([...short].sort())
    expect(short.has('long') && short.has('short')).toBe(true)
    expect(short.has('apart')).toBe(false)
    // Without the rule, 冬季奥运会 is two words that find other articles.
    const plain = engine([], [LONG, SHORT, APART])
    expect(idSet(plain, '冬季奥运会').has('apart')).toBe(true)
    expect(idSet(plain, '冬奥会').has('long')).toBe(false)
  })

  it('rank the word as typed above its synonym', () => {
    const e = engine(RULES, [LONG, SHORT])
    const order = (q: string) => e.search(q, { snippet: false, limit: 1000 }).hits.map((h) => h.id).filter((id) => id === 'long' || id === 'short')
    expect(order('冬奥会')).toEqual(['short', 'long'])
    expect(order('冬季奥运会')).toEqual(['long', 'short'])
  })

  it('rank a rarer synonym no higher than the word as typed would be', () => {
    const e = engine(RULES)
    const r = e.search('新冠', { snippet: false, limit: 1000 })
    const only = (id: string) => {
      const d = e.get(id)!
      return `${d.title}${d.text}`
    }
    // Articles with 新型冠状病毒 but not 新冠 come after every article with 新冠 of the same or better score.
    const scores = r.hits.map((h) => ({ id: h.id, score: h.score, typed: only(h.id).includes('新冠') }))
    expect(scores.some((s) => !s.typed)).toBe(true)
    const bestSynonymOnly = Math.max(...scores.filter((s) => !s.typed).map((s) => s.score))
    const plain = engine([]).search('新型冠状病毒', { snippet: false, limit: 1000 })
    expect(bestSynonymOnly).toBeLessThan(plain.hits[0]!.score)
  })

  it('highlight the synonym found', () => {
    const e = engine(RULES, [LONG])
    const hit = e.search('冬奥会').hits.find((h) => h.id === 'long')!
    expect(hit.title!.html).toMatch(/<mark>冬季(<\/mark><mark>)?奥运会<\/mark>/)
  })
})

describe('one-way rules', () => {
  it('search the left entry as the right one instead, and say so', () => {
    const e = engine()
    const r = e.search('扶贫', { snippet: false, limit: 1000 })
    expect(r.total).toBeGreaterThan(0)
    for (const hit of r.hits) expect(`${hit.doc.title}${hit.doc.text}`).toContain('脱贫攻坚')
    expect(r.relaxed).toEqual([{ kind: 'synonym', from: '扶贫', to: '脱贫攻坚' }])
    // Exactly the articles of 脱贫攻坚, which are not those 扶贫 finds without the rule.
    const plain = engine([])
    expect(idSet(e, '扶贫')).toEqual(idSet(plain, '"脱贫攻坚"'))
    expect(idSet(plain, '扶贫')).not.toEqual(idSet(plain, '"脱贫攻坚"'))
  })

  it('do not map back', () => {
    const e = engine()
    expect(e.search('脱贫攻坚', { snippet: false }).relaxed).toBeUndefined()
    expect(idSet(e, '脱贫攻坚')).toEqual(idSet(engine([]), '脱贫攻坚'))
  })
})

describe('rules', () => {
  it('come as one text with a rule per line, or as an array', () => {
    const fromText = engine(RULES.join('\n'))
    expect(idSet(fromText, '冬季奥运会')).toEqual(idSet(engine(), '冬季奥运会'))
  })

  it('that are malformed are INVALID_OPTION naming the rule', () => {
    for (const bad of ['a => b => c', '冬奥会', '冬奥会 =>', ', =>', '的, 了']) {
      let error: unknown
      try {
        new SearchEngine({ query: { synonyms: ['冬奥会, 冬季奥运会', bad] } })
      } catch (err) {
        error = err
      }
      expect(error, bad).toMatchObject({ code: 'INVALID_OPTION' })
      expect((error as Error).message, bad).toContain('rule 2')
    }
    expect(() => new SearchEngine({ query: { synonyms: 5 as never } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })

  it('are not in the index file: a file built without them is searched with them', () => {
    const bytes = engine([]).toBytes()
    const loaded = SearchEngine.fromBytes(bytes, { query: { synonyms: RULES } })
    expect(idSet(loaded, '冬季奥运会')).toEqual(idSet(engine(), '冬季奥运会'))
    expect(idSet(SearchEngine.fromBytes(bytes), '冬季奥运会')).toEqual(idSet(engine([]), '冬季奥运会'))
  })
})
