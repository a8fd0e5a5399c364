import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { Analyzer, DEFAULT_STOPWORDS, type Token } from '../src/index.js'
import { nodejiebaSegmenter } from '../src/analysis/nodejieba.js'
import { splitsPair } from './helpers.js'

const analyzer = new Analyzer({
  segmenter: nodejiebaSegmenter(),
  normalize: { traditionalToSimplified: true },
  stopwords: DEFAULT_STOPWORDS,
  userWords: [],
})

/** Lucene-style invariants every token stream must hold. */
function checkInvariants(text: string, tokens: Token[]): void {
  let lastPosition = 0
  for (const t of tokens) {
    expect(t.start).toBeGreaterThanOrEqual(0)
    expect(t.end).toBeGreaterThan(t.start)
    expect(t.end).toBeLessThanOrEqual(text.length)
    expect(t.position).toBeGreaterThanOrEqual(lastPosition)
    lastPosition = t.position
    // Never split a surrogate pair.
    expect(splitsPair(text, t.start)).toBe(false)
    expect(splitsPair(text, t.end)).toBe(false)
  }
}

type Row = [term: string, surface: string, start: number, end: number, position: number]

function table(text: string, mode: 'index' | 'query'): Row[] {
  const tokens = analyzer.analyze(text, mode)
  checkInvariants(text, tokens)
  return tokens.map((t) => [t.term, text.slice(t.start, t.end), t.start, t.end, t.position])
}

describe('analyzer golden tables', () => {
  it('segments a name and a compound word; search mode adds sub-words at the parent position', () => {
    expect(table('杜贤正在和企业负责人', 'query')).toEqual([
      ['杜贤', '杜贤', 0, 2, 0],
      ['正在', '正在', 2, 4, 1],
      // 和 is a stopword: it takes position 2 but is not a term
      ['企业', '企业', 5, 7, 3],
      ['负责人', '负责人', 7, 10, 4],
    ])
    expect(table('杜贤正在和企业负责人', 'index')).toEqual([
      ['杜贤', '杜贤', 0, 2, 0],
      ['正在', '正在', 2, 4, 1],
      ['企业', '企业', 5, 7, 3],
      ['负责', '负责', 7, 9, 4],
      ['责人', '责人', 8, 10, 4],
      ['负责人', '负责人', 7, 10, 4],
    ])
  })

  it('keeps Latin+digit product names whole and their parts searchable', () => {
    expect(table('iPhone15发布', 'index')).toEqual([
      ['iphone15', 'iPhone15', 0, 8, 0],
      ['iphone', 'iPhone', 0, 6, 0],
      ['15', '15', 6, 8, 0],
      ['发布', '发布', 8, 10, 1],
    ])
    expect(table('iPhone15发布', 'query')).toEqual([
      ['iphone15', 'iPhone15', 0, 8, 0],
      ['发布', '发布', 8, 10, 1],
    ])
  })

  it('keeps hyphenated codes whole', () => {
    expect(table('COVID-19疫情', 'index')).toEqual([
      ['covid-19', 'COVID-19', 0, 8, 0],
      ['covid', 'COVID', 0, 5, 0],
      ['19', '19', 6, 8, 0],
      ['疫情', '疫情', 8, 10, 1],
    ])
  })

  it('folds full-width digits and keeps offsets on the original characters', () => {
    expect(table('２０２４年', 'query')).toEqual([
      ['2024', '２０２４', 0, 4, 0],
      ['年', '年', 4, 5, 1],
    ])
    expect(table('ＡＢＣ公司', 'query')[0]).toEqual(['abc', 'ＡＢＣ', 0, 3, 0])
  })

  it('keeps a Greek letter as a term next to Chinese chemistry', () => {
    expect(table('α-氧化铝铝粉', 'query')).toEqual([
      ['α', 'α', 0, 1, 0],
      ['氧化铝', '氧化铝', 2, 5, 1],
      ['铝粉', '铝粉', 5, 7, 2],
    ])
    expect(table('α-氧化铝铝粉', 'index').map((r) => r[0])).toEqual(['α', '氧化', '化铝', '氧化铝', '铝粉'])
  })

  it('expands 中华人民共和国 into its sub-words at index time only', () => {
    expect(table('中华人民共和国', 'index').map((r) => r[0])).toEqual(['中华', '华人', '人民', '共和', '共和国', '中华人民共和国'])
    expect(table('中华人民共和国', 'query').map((r) => r[0])).toEqual(['中华人民共和国'])
  })

  it('emits nothing for stopwords and punctuation', () => {
    expect(table('的了吗？！，。', 'query')).toEqual([])
    expect(table('什么是哪一个', 'query')).toEqual([])
  })

  it('folds traditional characters and keeps offsets on them', () => {
    expect(table('雷鋒精神', 'query')).toEqual([['雷锋精神', '雷鋒精神', 0, 4, 0]])
  })

  it('keeps user words whole', () => {
    const withWords = new Analyzer({ ...analyzer.config, userWords: ['万人助万企'] })
    const terms = withWords.analyze('深入推进“万人助万企”活动', 'index').map((t) => t.term)
    expect(terms).toContain('万人助万企')
  })
})

describe('analyzer offsets (property)', () => {
  const pieces = fc.constantFrom(
    '雷锋', '精神', '志愿服务', '上街区', '中华人民共和国', '２０２４', 'ＡＢＣ', 'iPhone15', 'COVID-19', ' ', '，', '。',
    '😀', '👍🏽', '𠮷', '雷鋒', '臺灣', 'α', 'Hello', 'ß', 'İ', '\u0301', '\ud800', '\udc00', '\u0000', '\t', 'ﬁ', '㎡', '①',
  )
  const text = fc.oneof(
    fc.array(pieces, { maxLength: 20 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  )

  it('every token slices the original text to its surface and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('index' as const, 'query' as const), (s, mode) => {
        const tokens = analyzer.analyze(s, mode)
        checkInvariants(s, tokens)
        for (const t of tokens) {
          // The surface form normalizes to a string containing the term.
          expect(analyzer.normalizeTerm(s.slice(t.start, t.end))).toContain(t.term)
        }
      }),
      { numRuns: 300, seed: 20240305 },
    )
  })
})
