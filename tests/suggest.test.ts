/**
 * Suggestions as you type (`engine.suggest`), on the sample newspaper and real 新闻联播 articles:
 * Han prefixes, pinyin prefixes and initials (with `query.pinyin`), ranking by title use, writes.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { sampleEngine } from './helpers.js'
import { xwlbSample } from './helpers-search-box.js'

const texts = (e: SearchEngine, prefix: string, limit = 10) => e.suggest(prefix, { limit }).map((s) => s.text)

describe('suggest on 新闻联播 articles', () => {
  const engine = new SearchEngine({ fields: { title: { boost: 2 }, text: {} }, query: { pinyin: true } })
  engine.addAll(xwlbSample())

  it('completes a Han prefix with the words and phrases of titles, most used first', () => {
    const got = engine.suggest('乡村')
    expect(got.map((s) => s.text)).toEqual(expect.arrayContaining(['乡村', '乡村振兴']))
    for (const s of got) expect(s.text.startsWith('乡村')).toBe(true)
    for (let i = 1; i < got.length; i++) expect(got[i - 1]!.titles).toBeGreaterThanOrEqual(got[i]!.titles)
    // Titles that use it, and documents that hold the word anywhere.
    const word = got.find((s) => s.text === '乡村')!
    expect(word.documents).toBeGreaterThan(word.titles)
  })

  it('completes pinyin and initials to the same words', () => {
    expect(texts(engine, 'xiangc').slice(0, 2)).toEqual(texts(engine, '乡村').slice(0, 2))
    expect(texts(engine, 'xiang cun')).toEqual(texts(engine, 'xiangcun'))
    expect(texts(engine, 'xczx')[0]).toBe('乡村振兴')
    expect(texts(engine, 'changj')).toContain('长江')
  })

  it('answers the first keystroke from the best entries of that character', () => {
    const one = engine.suggest('乡', { limit: 3 })
    expect(one.length).toBeGreaterThan(0)
    for (const s of one) expect(s.text.startsWith('乡')).toBe(true)
    expect(one[0]!.text).toBe(texts(engine, '乡村')[0])
    const letter = texts(engine, 'x', 20)
    expect(letter).toContain('乡村')
  })

  it('reads no pinyin without the option', () => {
    const plain = new SearchEngine({ fields: { title: { boost: 2 }, text: {} } })
    plain.addAll(xwlbSample())
    expect(texts(plain, 'xiangc')).toEqual([])
    expect(texts(plain, '乡村')).toEqual(texts(engine, '乡村'))
  })
})

describe('suggest on the sample newspaper', () => {
  it('completes 雷锋 to the phrase two titles use, from Han, pinyin and initials', () => {
    const e = sampleEngine({ query: { pinyin: true } })
    for (const prefix of ['雷锋', '雷', 'leif', 'lf', 'LeiFeng']) expect(texts(e, prefix)[0], prefix).toBe('雷锋精神')
    expect(e.suggest('雷锋')[0]).toEqual({ text: '雷锋精神', titles: 2, documents: 2 })
  })

  it('follows writes: a new title is suggested, a removed one no longer', () => {
    const e = sampleEngine()
    expect(texts(e, '昆曲')).toEqual([])
    e.add({ id: 'k1', title: '昆曲艺术进校园', body: '昆曲艺术家走进校园。' })
    e.add({ id: 'k2', title: '昆曲艺术节开幕', body: '昆曲艺术节今天开幕。' })
    expect(texts(e, '昆曲')[0]).toBe('昆曲')
    expect(e.suggest('昆曲')[0]!.titles).toBe(2)
    e.remove('k1')
    e.remove('k2')
    expect(texts(e, '昆曲')).toEqual([])
  })

  it('checks its arguments', () => {
    const e = sampleEngine()
    expect(() => e.suggest(5 as never)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    for (const limit of [0, 101, 1.5, '3']) expect(() => e.suggest('雷', { limit: limit as never }), String(limit)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => e.suggest('雷', { size: 3 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(e.suggest('雷锋', { limit: 1 })).toHaveLength(1)
    expect(e.suggest('')).toEqual([])
    expect(e.suggest('   ')).toEqual([])
  })
})
