import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { idf, saturate, fieldTf } from '../src/query/bm25.js'
import { TopK } from '../src/query/top-k.js'
import { parseQuery } from '../src/query/parser.js'
import { SearchEngine } from '../src/index.js'

describe('BM25F', () => {
  it('matches a hand-computed value', () => {
    // N=10, df=2 → idf = ln(1 + 8.5/2.5) = ln(4.4)
    expect(idf(10, 2)).toBeCloseTo(Math.log(4.4), 12)
    // tf 2, length 10, average 5, b 0.75 → 2 / (0.25 + 1.5) = 8/7
    expect(fieldTf(2, 10, 5, 0.75)).toBeCloseTo(8 / 7, 12)
    // saturate(8/7, 1.2) = (8/7 · 2.2) / (1.2 + 8/7)
    expect(saturate(8 / 7, 1.2)).toBeCloseTo(((8 / 7) * 2.2) / (1.2 + 8 / 7), 12)
  })

  it('an engine score equals the formula for a one-field, one-term query', () => {
    const e = new SearchEngine({ fields: { body: {} }, ranking: { coordination: 0, proximity: 0 } })
    e.add({ id: 'a', body: '雷锋 雷锋 精神' })
    e.add({ id: 'b', body: '精神 文明' })
    e.add({ id: 'c', body: '文明 城市 建设 工作' })
    // lengths: a=3, b=2, c=4 → avg 3; 雷锋: df 1, tf 2 in a
    const expected = idf(3, 1) * saturate(fieldTf(2, 3, 3, 0.75), 1.2)
    expect(e.search('雷锋').hits[0]!.score).toBeCloseTo(expected, 12)
  })
})

describe('TopK', () => {
  it('equals sort-and-slice with ties broken by ascending doc id (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (scores, k) => {
        const top = new TopK(k)
        scores.forEach((s, doc) => top.push(doc, s))
        const expected = scores
          .map((score, doc) => ({ doc, score }))
          .sort((a, b) => b.score - a.score || a.doc - b.doc)
          .slice(0, k)
        expect(top.results()).toEqual(expected)
      }),
      { numRuns: 300, seed: 7 },
    )
  })

  it('skipping documents below the floor changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (scores, k) => {
        const all = new TopK(k)
        const skipping = new TopK(k)
        scores.forEach((s, doc) => {
          all.push(doc, s)
          if (s >= skipping.floor) skipping.push(doc, s)
        })
        expect(skipping.results()).toEqual(all.results())
      }),
      { numRuns: 300, seed: 8 },
    )
  })
})

describe('query parser', () => {
  const fields = ['title', 'body']
  it.each([
    ['雷锋 志愿', { groups: [[{ text: '雷锋', phrase: false }], [{ text: '志愿', phrase: false }]], excluded: [], filters: [] }],
    ['"文明 行为"', { groups: [[{ text: '文明 行为', phrase: true }]], excluded: [], filters: [] }],
    ['“文明行为”', { groups: [[{ text: '文明行为', phrase: true }]], excluded: [], filters: [] }],
    ['-培训 雷锋', { groups: [[{ text: '雷锋', phrase: false }]], excluded: [{ text: '培训', phrase: false }], filters: [] }],
    ['雷锋 OR 志愿', { groups: [[{ text: '雷锋', phrase: false }, { text: '志愿', phrase: false }]], excluded: [], filters: [] }],
    ['title:雷锋', { groups: [[{ text: '雷锋', phrase: false, field: 'title' }]], excluded: [], filters: [] }],
  ])('%s', (query, expected) => {
    expect(parseQuery(query, fields)).toEqual(expected)
  })

  it.each(['"未闭合 引号', '-', 'OR OR', 'OR', 'nope:雷锋', '""', '-""'])('degrades %j to plain words without throwing', (q) => {
    expect(() => parseQuery(q, fields)).not.toThrow()
  })

  it('strict mode reports broken syntax', () => {
    expect(() => parseQuery('"未闭合', fields, true)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(() => parseQuery('nope:雷锋', fields, true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_FIELD' }))
    expect(() => parseQuery('雷锋"', fields, true)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(parseQuery('雷锋"', fields)).toEqual({ groups: [[{ text: '雷锋"', phrase: false }]], excluded: [], filters: [] })
  })
})
