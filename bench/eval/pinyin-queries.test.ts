import { describe, it, expect } from 'vitest'
import { STYLES, pickWords, spell, titleHolds, titleWords } from './pinyin-queries.js'

describe('titleWords', () => {
  it('keeps Han words of 2+ characters with a reading, once each, in title order', () => {
    const words = titleWords(['乡村', '振兴', '新', '2024', 'ai', '乡村', '长江'])
    expect(words.map((w) => w.word)).toEqual(['乡村', '振兴', '长江'])
    expect(words[2]!.syllables).toEqual(['chang', 'jiang'])
  })
  it('reads a word whole, toneless, ü as v (as the index keys do)', () => {
    expect(titleWords(['重庆', '绿色'])).toEqual([
      { word: '重庆', syllables: ['chong', 'qing'] },
      { word: '绿色', syllables: ['lv', 'se'] },
    ])
  })
})

describe('pickWords', () => {
  const words = titleWords(['全国', '乡村', '振兴', '会议'])
  const df = new Map([['全国', 500], ['乡村', 40], ['振兴', 60], ['会议', 40]])
  it('takes the rarest words and puts them back in title order', () => {
    expect(pickWords(words, (w) => df.get(w)!, 2)!.map((w) => w.word)).toEqual(['乡村', '会议'])
    expect(pickWords(words, (w) => df.get(w)!, 3)!.map((w) => w.word)).toEqual(['乡村', '振兴', '会议'])
  })
  it('breaks ties by title position and clamps the count to the candidates', () => {
    expect(pickWords(words.slice(0, 2), () => 1, 3)!.map((w) => w.word)).toEqual(['全国', '乡村'])
  })
  it('needs two candidates', () => {
    expect(pickWords(words.slice(0, 1), () => 1, 2)).toBeUndefined()
  })
})

describe('spell', () => {
  const words = titleWords(['乡村', '振兴'])
  it('writes every style', () => {
    expect(Object.fromEntries(STYLES.map((s) => [s, spell(words, s)]))).toEqual({
      han: '乡村 振兴',
      full: 'xiangcunzhenxing',
      syllables: 'xiang cun zhen xing',
      words: 'xiangcun zhenxing',
      initials: 'xc zx',
      mixed: '乡村zhenxing',
    })
  })
  it('runs the pinyin of every word after the first together in the mixed style', () => {
    expect(spell(titleWords(['乡村', '振兴', '发展']), 'mixed')).toBe('乡村zhenxingfazhan')
  })
})

describe('titleHolds', () => {
  it('is true when the title contains every word', () => {
    const words = titleWords(['乡村', '振兴'])
    expect(titleHolds('全面推进乡村振兴', words)).toBe(true)
    expect(titleHolds('振兴东北，乡村建设', words)).toBe(true)
    expect(titleHolds('乡村建设', words)).toBe(false)
  })
})
