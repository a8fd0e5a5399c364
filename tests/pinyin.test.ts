/**
 * Pinyin in the search box (`query.pinyin`), on the sample newspaper and real 新闻联播 articles
 * (tests/fixtures/xwlb-sample.jsonl): full pinyin, spaced, capitalised, initials, mixed, run-on;
 * polyphones read by word; Chinese queries untouched; literal letters before pinyin readings.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, type Document } from '../src/index.js'
import { pinyinKeys, wordPinyin } from '../src/analysis/pinyin.js'
import { sampleArticles, sampleEngine } from './helpers.js'
import { xwlbSample } from './helpers-search-box.js'

const PINYIN = { query: { pinyin: true } }
const ids = (engine: SearchEngine, q: string) => engine.search(q, { snippet: false }).hits.map((h) => h.id)

describe('pinyin of words', () => {
  it('reads polyphonic characters by the word they are in', () => {
    expect(wordPinyin('重庆')).toEqual(['chong', 'qing'])
    expect(wordPinyin('银行')).toEqual(['yin', 'hang'])
    expect(wordPinyin('行长')).toEqual(['hang', 'zhang'])
    expect(wordPinyin('长江')).toEqual(['chang', 'jiang'])
    expect(wordPinyin('重要')).toEqual(['zhong', 'yao'])
    expect(pinyinKeys('雷锋')).toEqual({ full: 'leifeng', initials: 'lf' })
    // ü as v, as input methods type it.
    expect(pinyinKeys('绿色')).toEqual({ full: 'lvse', initials: 'ls' })
  })

  it('has no pinyin for anything but Han words', () => {
    expect(wordPinyin('covid')).toBeUndefined()
    expect(wordPinyin('雷锋2')).toBeUndefined()
    expect(wordPinyin('')).toBeUndefined()
  })
})

describe('pinyin queries on the sample newspaper', () => {
  const engine = sampleEngine(PINYIN)
  const han = ids(engine, '雷锋')

  it('find the articles 雷锋 finds, typed in every way pinyin is typed', () => {
    expect(han.slice(0, 2).sort()).toEqual(['a03', 'a04'])
    for (const q of ['leifeng', 'lei feng', 'LeiFeng', 'LEI FENG', '雷feng', 'lf']) {
      const got = ids(engine, q)
      expect(got.slice(0, 2).sort(), q).toEqual(['a03', 'a04'])
    }
  })

  it('rank as the Han word does: same order and scores for leifeng as for 雷锋', () => {
    const a = engine.search('雷锋', { snippet: false })
    const b = engine.search('leifeng', { snippet: false })
    expect(b.hits.map((h) => [h.id, h.score])).toEqual(a.hits.map((h) => [h.id, h.score]))
  })

  it('highlight the Han word, and say how the pinyin was read', () => {
    const r = engine.search('leifeng')
    expect(r.hits[0]!.title!.html).toContain('<mark>雷锋</mark>')
    expect(r.relaxed).toEqual([{ kind: 'pinyin', from: 'leifeng', to: '雷锋' }])
    expect(engine.search('lei feng').relaxed).toEqual([{ kind: 'pinyin', from: 'lei feng', to: '雷锋' }])
  })

  it('cut run-on pinyin into words: leifengjingshen is 雷锋精神', () => {
    const r = engine.search('leifengjingshen', { snippet: false })
    expect(r.hits.slice(0, 2).map((h) => h.id).sort()).toEqual(['a03', 'a04'])
    expect(r.relaxed?.[0]).toMatchObject({ kind: 'pinyin', from: 'leifengjingshen' })
    expect(r.relaxed![0]!.to.replace(/ /g, '')).toBe('雷锋精神')
  })

  it('keep the typed Han characters: 雷feng is 雷锋, not another word read leifeng', () => {
    const e = sampleEngine(PINYIN)
    e.add({ id: 'x', title: '类风湿关节炎防治讲座', body: '类风湿关节炎讲座在社区举行，讲解类风湿关节炎的预防。' })
    expect(ids(e, '雷feng').slice(0, 2).sort()).toEqual(['a03', 'a04'])
    expect(ids(e, '雷feng')).not.toContain('x')
  })

  it('find nothing without the option', () => {
    const plain = sampleEngine()
    for (const q of ['leifeng', 'lei feng', 'lf']) expect(plain.search(q).total, q).toBe(0)
    expect(plain.search('leifeng').relaxed).toBeUndefined()
  })

  it('leave Chinese queries as they are: same hits and scores with the option on and off', () => {
    const plain = sampleEngine()
    for (const q of ['雷锋精神', '文明实践 志愿者', '郑州 网红']) {
      const on = engine.search(q, { snippet: false })
      const off = plain.search(q, { snippet: false })
      expect(on.hits.map((h) => [h.id, h.score]), q).toEqual(off.hits.map((h) => [h.id, h.score]))
      expect(on.relaxed, q).toBeUndefined()
    }
  })

  it('rank an article that holds the letters typed above one that holds their reading', () => {
    const e = new SearchEngine(PINYIN)
    e.addAll(sampleArticles())
    const lf: Document = { id: 'lf', title: '钢厂新上LF精炼炉', body: '这座LF钢包精炼炉投产后，钢水质量明显提高，每炉可节约电耗百分之五。' }
    e.add(lf)
    const got = ids(e, 'lf')
    expect(got[0]).toBe('lf')
    expect(got.slice(1, 3).sort()).toEqual(['a03', 'a04'])
  })

  it('follow writes: a word added later is found by its pinyin', () => {
    const e = sampleEngine(PINYIN)
    expect(e.search('kunqu').total).toBe(0)
    e.add({ id: 'k', title: '昆曲进校园', body: '昆曲艺术家走进校园，为学生演唱昆曲经典。' })
    expect(ids(e, 'kunqu')).toEqual(['k'])
  })
})

describe('pinyin queries on 新闻联播 articles', () => {
  const engine = new SearchEngine({ fields: { title: { boost: 2 }, text: {} }, query: { pinyin: true } })
  engine.addAll(xwlbSample())
  const holds = (q: string, word: string) => {
    const r = engine.search(q, { snippet: false, limit: 100 })
    expect(r.total, q).toBeGreaterThan(0)
    for (const hit of r.hits.slice(0, 5)) expect(`${hit.doc.title}${hit.doc.text}`, `${q} → ${hit.id}`).toContain(word)
    return r
  }

  it('read polyphones by word: chongqing finds 重庆, yinhang finds 银行, changjiang finds 长江', () => {
    holds('chongqing', '重庆')
    holds('yinhang', '银行')
    holds('changjiang', '长江')
    expect(engine.search('zhongqing', { snippet: false }).hits.slice(0, 5).every((h) => !`${h.doc.title}${h.doc.text}`.includes('重庆'))).toBe(true)
  })

  it('read initials typed word by word as a word each, not as the longer word they spell together', () => {
    // zy zs is 重要 指示 in the title of xwlb-20230223-01; together zyzs are also the initials of 专业知识.
    const r = engine.search('zy zs', { snippet: false, limit: 5 })
    expect(r.relaxed?.map((x) => x.from)).toEqual(['zy', 'zs'])
    expect(r.hits.map((h) => h.id)).toContain('xwlb-20230223-01')
    // jc tc: 坚持 突出 (and not 建成投产, whose initials they spell).
    const j = engine.search('jc tc', { snippet: false, limit: 5 })
    expect(j.relaxed?.map((x) => x.to)).toEqual(['坚持', '提出'])
    expect(j.hits[0]!.id).toBe('xwlb-20250426-01')
  })

  it('find the articles of the Han words for run-on and spaced pinyin', () => {
    const han = new Set(engine.search('乡村振兴', { snippet: false, limit: 100 }).hits.map((h) => h.id))
    for (const q of ['xiangcunzhenxing', 'xiang cun zhen xing']) {
      const got = engine.search(q, { snippet: false, limit: 100 }).hits.map((h) => h.id)
      expect(got.length, q).toBeGreaterThan(0)
      expect(got.slice(0, 5).every((id) => han.has(id)), q).toBe(true)
    }
  })
})
