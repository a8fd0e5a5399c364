/** Chinese-specific matching: traditional ↔ simplified, unknown words, user dictionaries. */
import { describe, it, expect } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { sampleEngine, titleOf } from './helpers.js'

describe('traditional ↔ simplified folding', () => {
  it('雷鋒精神 returns the two 雷锋 articles of the sample newspaper', () => {
    const engine = sampleEngine()
    const top = engine.search('雷鋒精神').hits.slice(0, 2).map((h) => titleOf(engine, h.id))
    expect(top.every((t) => t.startsWith('弘扬雷锋精神'))).toBe(true)
  })

  it('a simplified query finds a traditional document with ranges on the original characters, and the reverse', () => {
    const engine = new SearchEngine()
    engine.add({ id: 'tw', title: '臺灣的學術研究', body: '陸特和漢斯雷頓開創了歐洲對梵語的學術研究。' })
    engine.add({ id: 'cn', title: '学术会议', body: '梵语的学术研究由德国学者开创。' })
    const res = engine.search('梵语 学术研究')
    expect(res.hits.map((h) => h.id).sort()).toEqual(['cn', 'tw'])
    const tw = res.hits.find((h) => h.id === 'tw')!
    const marked = tw.snippets[0]!.ranges.map((r) => tw.snippets[0]!.text.slice(r.start, r.end))
    expect(marked).toEqual(expect.arrayContaining(['梵語', '學術研究']))
    expect(tw.title!.ranges.map((r) => tw.title!.text.slice(r.start, r.end))).toContain('學術研究')
    const back = engine.search('梵語')
    expect(back.hits.map((h) => h.id).sort()).toEqual(['cn', 'tw'])
  })

  it('can be switched off', () => {
    const engine = new SearchEngine({ analyzer: { traditionalToSimplified: false } })
    engine.add({ id: 'tw', title: '雷鋒', body: '學習雷鋒' })
    expect(engine.search('雷锋').total).toBe(0)
    expect(engine.search('雷鋒').total).toBe(1)
  })
})

describe('words the index never saw', () => {
  const engine = sampleEngine()
  it('finds a character sequence cut across two indexed words (效翼 inside 地效/翼船)', () => {
    expect(engine.analyzer.analyze('地效翼船', 'index').map((t) => t.term)).not.toContain('效翼')
    const res = engine.search('效翼')
    expect(res.total).toBe(1)
    expect(res.hits[0]!.doc.body).toContain('地效翼船')
    const s = res.hits[0]!.snippets[0]!
    expect(s.ranges.map((r) => s.text.slice(r.start, r.end))).toContain('效翼')
  })

  it('finds a fragment of a quoted slogan (助万 in 万人助万企)', () => {
    const ids = engine.search('助万').hits.map((h) => h.id)
    expect(ids.length).toBe(2)
    for (const id of ids) expect(String(engine.get(id)!.body)).toContain('万人助万企')
  })

  it('ranks a whole-word match above a substring-only match', () => {
    const e = new SearchEngine({ fields: { body: {} } })
    e.add({ id: 'sub', body: '上街区的铝城公园。' })
    e.add({ id: 'word', body: '我们上街买菜。' })
    const ids = e.search('上街').hits.map((h) => h.id)
    expect(ids[0]).toBe('word')
  })

  it('expands an unknown Latin fragment to the words containing it', () => {
    const e = new SearchEngine()
    e.add({ id: 'c', title: 'COVID-19疫情通报', body: '' })
    expect(e.search('vid').hits.map((h) => h.id)).toEqual(['c'])
  })
})

describe('user dictionary', () => {
  const body = '深入推进“万人助万企”活动，组建专班为企业提供服务。'
  it('keeps user words whole, so the word is one term and a phrase', () => {
    const plain = new SearchEngine()
    const withWords = new SearchEngine({ analyzer: { userWords: ['万人助万企'] } })
    expect(plain.analyzer.analyze(body, 'index').map((t) => t.term)).not.toContain('万人助万企')
    expect(withWords.analyzer.analyze(body, 'index').map((t) => t.term)).toContain('万人助万企')
    withWords.add({ id: '1', title: '', body })
    expect(withWords.search('万人助万企').hits[0]!.id).toBe('1')
  })

  it('two engines with different word lists in one process do not affect each other', () => {
    const a = new SearchEngine({ analyzer: { userWords: ['地效翼船'] } })
    const b = new SearchEngine()
    const text = '海王年产20架地效翼船项目竣工验收'
    const before = b.analyzer.analyze(text, 'index').map((t) => t.term)
    a.add({ id: '1', title: '', body: text })
    expect(a.analyzer.analyze(text, 'query').map((t) => t.term)).toContain('地效翼船')
    expect(b.analyzer.analyze(text, 'index').map((t) => t.term)).toEqual(before)
    expect(before).not.toContain('地效翼船')
  })

  it('is part of the index fingerprint', async () => {
    const a = new SearchEngine({ analyzer: { userWords: ['地效翼船'] } })
    a.add({ id: '1', title: '', body: '地效翼船' })
    const bytes = a.toBytes()
    expect(SearchEngine.fromBytes(bytes).search('地效翼船').total).toBe(1)
    expect(() => SearchEngine.fromBytes(bytes, { analyzer: { userWords: [] } })).toThrow(expect.objectContaining({ code: 'ANALYZER_MISMATCH' }))
  })
})

describe('segmenter backends', () => {
  it('node-rs-jieba ranks the sample the same way and is recorded in the fingerprint', () => {
    const engine = sampleEngine({ analyzer: { segmenter: 'node-rs-jieba' } })
    expect(engine.search('雷锋').hits.slice(0, 2).map((h) => titleOf(engine, h.id)).every((t) => t.startsWith('弘扬雷锋精神'))).toBe(true)
    expect(engine.search('专利').hits[0]!.doc.title).toBe('我区这家公司获省政府奖励')
    const bytes = engine.toBytes()
    expect(SearchEngine.fromBytes(bytes).analyzer.fingerprint().segmenter).toBe('node-rs-jieba')
    expect(() => SearchEngine.fromBytes(bytes, { analyzer: { segmenter: 'nodejieba' } })).toThrow(expect.objectContaining({ code: 'ANALYZER_MISMATCH' }))
  })
})
