import { describe, it, expect } from 'vitest'
import { ndcgAt, mrrAt, recallAt, percentile, mulberry32, sample, summarize, summarizeScored, groupByPrefix } from './metrics.js'

const rel = (...ids: string[]) => new Set(ids)

describe('ndcgAt', () => {
  it('is 1 for the single relevant doc at rank 1', () => {
    expect(ndcgAt(['a', 'x', 'y'], rel('a'), 10)).toBe(1)
  })
  it('discounts by 1/log2(rank + 1)', () => {
    expect(ndcgAt(['x', 'a'], rel('a'), 10)).toBeCloseTo(1 / Math.log2(3), 12) // 0.6309…
    expect(ndcgAt(['x', 'y', 'a'], rel('a'), 10)).toBeCloseTo(0.5, 12)
    expect(ndcgAt(['x', 'y', 'z', 'w', 'v', 'u', 'a'], rel('a'), 10)).toBeCloseTo(1 / 3, 12)
  })
  it('normalizes by the ideal ranking with several relevant docs', () => {
    // DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.6309298; 1.5 / 1.6309298 = 0.919721
    expect(ndcgAt(['a', 'x', 'b'], rel('a', 'b'), 10)).toBeCloseTo(0.919721, 5)
    // ideal is capped at k: with k = 1, one relevant doc on top is perfect
    expect(ndcgAt(['a', 'b'], rel('a', 'b', 'c'), 1)).toBe(1)
  })
  it('is 0 when the relevant doc is beyond k, missing, or the list is empty', () => {
    expect(ndcgAt(['x', 'y', 'a'], rel('a'), 2)).toBe(0)
    expect(ndcgAt(['x'], rel('a'), 10)).toBe(0)
    expect(ndcgAt([], rel('a'), 10)).toBe(0)
    expect(ndcgAt(['a'], rel(), 10)).toBe(0)
  })
  it('counts a repeated id once', () => {
    // ['a','a','b']: unique ranking is a, b → perfect for {a, b}
    expect(ndcgAt(['a', 'a', 'b'], rel('a', 'b'), 10)).toBeCloseTo(1, 12)
  })
})

describe('mrrAt', () => {
  it('is the reciprocal rank of the first relevant doc within k', () => {
    expect(mrrAt(['a'], rel('a'), 10)).toBe(1)
    expect(mrrAt(['x', 'y', 'a', 'b'], rel('a', 'b'), 10)).toBeCloseTo(1 / 3, 12)
    expect(mrrAt(['x', 'y', 'a'], rel('a'), 2)).toBe(0)
    expect(mrrAt([], rel('a'), 10)).toBe(0)
  })
  it('skips repeated ids when ranking', () => {
    expect(mrrAt(['x', 'x', 'a'], rel('a'), 10)).toBe(0.5)
  })
})

describe('recallAt', () => {
  it('is the found fraction of relevant docs within k', () => {
    expect(recallAt(['a', 'x', 'b'], rel('a', 'b'), 10)).toBe(1)
    expect(recallAt(['a', 'x', 'b'], rel('a', 'b'), 2)).toBe(0.5)
    expect(recallAt(['x'], rel('a', 'b', 'c', 'd'), 10)).toBe(0)
    expect(recallAt(['a', 'a'], rel('a', 'b'), 10)).toBe(0.5)
  })
})

describe('percentile', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3)
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5, 12)
    expect(percentile([7], 95)).toBe(7)
    // 1..100: position 99 · 0.95 = 94.05 → 95 + 0.05 · 1
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBeCloseTo(95.05, 12)
  })
  it('returns the extremes at 0 and 100 and NaN for no values', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1)
    expect(percentile([3, 1, 2], 100)).toBe(3)
    expect(percentile([], 50)).toBeNaN()
  })
  it('does not reorder its input', () => {
    const v = [3, 1, 2]
    percentile(v, 50)
    expect(v).toEqual([3, 1, 2])
  })
})

describe('mulberry32', () => {
  // reference values from an independent arbitrary-precision implementation
  it('matches the standard sequence', () => {
    const r1 = mulberry32(1)
    expect(r1()).toBe(0.6270739405881613)
    expect(r1()).toBe(0.002735721180215478)
    expect(r1()).toBe(0.5274470399599522)
    const r0 = mulberry32(0)
    expect(r0()).toBe(0.26642920868471265)
    const r = mulberry32(20240601)
    expect([r(), r(), r()]).toEqual([0.35344086796976626, 0.02818377036601305, 0.6889668190851808])
  })
  it('stays in [0, 1)', () => {
    const r = mulberry32(42)
    for (let i = 0; i < 10000; i++) {
      const x = r()
      expect(x >= 0 && x < 1).toBe(true)
    }
  })
})

describe('sample', () => {
  it('runs Fisher–Yates from the last index down and takes the first n', () => {
    // rand() = 0 → j = 0 every step: [0,1,2,3,4] → swap(4,0) [4,1,2,3,0] → swap(3,0) [3,1,2,4,0]
    // → swap(2,0) [2,1,3,4,0] → swap(1,0) [1,2,3,4,0]
    expect(sample([0, 1, 2, 3, 4], 3, () => 0)).toEqual([1, 2, 3])
    // rand() → 1⁻ gives j = i every step: no swaps
    expect(sample([0, 1, 2, 3, 4], 5, () => 0.999999)).toEqual([0, 1, 2, 3, 4])
  })
  it('with a seed uses mulberry32', () => {
    // 10 items, seed 20240601, shuffled by an independent implementation: [7,4,8,9,6,2,1,5,0,3]
    const items = Array.from({ length: 10 }, (_, i) => i)
    expect(sample(items, 4, 20240601)).toEqual([7, 4, 8, 9])
    expect(sample(items, 100, 20240601)).toEqual([7, 4, 8, 9, 6, 2, 1, 5, 0, 3])
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})

describe('summarize', () => {
  it('averages over all judged queries, zero-hit queries scoring 0', () => {
    const qrels = new Map([
      ['q1', rel('a')],
      ['q2', rel('b')],
      ['q3', rel('c')],
      ['q4', rel('d')],
    ])
    const s = summarize(
      [
        { qid: 'q1', ranked: ['a'], micros: 10 }, // ndcg 1, rr 1
        { qid: 'q2', ranked: ['x', 'b'], micros: 20 }, // ndcg 0.6309, rr 0.5
        { qid: 'q3', ranked: [], micros: 30 }, // zero hits
        { qid: 'q4', ranked: ['x'], micros: 40 }, // miss
      ],
      qrels,
    )
    expect(s.queries).toBe(4)
    expect(s.ndcg10).toBeCloseTo((1 + 1 / Math.log2(3)) / 4, 12)
    expect(s.mrr10).toBeCloseTo(1.5 / 4, 12)
    expect(s.recall10).toBe(0.5)
    expect(s.recall100).toBe(0.5)
    expect(s.zeroHit).toBe(0.25)
    expect(s.p50us).toBe(25)
    expect(s.p95us).toBeCloseTo(38.5, 12)
    expect(s.perQuery.map((q) => q.firstRelevantRank)).toEqual([1, 2, 0, 0])
  })
  it('rejects a run for an unjudged query', () => {
    expect(() => summarize([{ qid: 'q9', ranked: [], micros: 1 }], new Map())).toThrow(/no relevance judgments/)
  })
})

describe('groupByPrefix', () => {
  it('groups scored queries by the id up to its first dash, in order of first appearance', () => {
    const qrels = new Map([['full-1', rel('a')], ['han-1', rel('a')], ['full-2', rel('b')], ['x', rel('b')]])
    const runs = [
      { qid: 'full-1', ranked: ['a'], micros: 10 },
      { qid: 'han-1', ranked: ['a'], micros: 20 },
      { qid: 'full-2', ranked: [], micros: 30 },
      { qid: 'x', ranked: ['b'], micros: 40 },
    ]
    const groups = groupByPrefix(summarize(runs, qrels).perQuery)
    expect([...groups.keys()]).toEqual(['full', 'han', 'x'])
    const full = summarizeScored(groups.get('full')!)
    expect(full.queries).toBe(2)
    expect(full.ndcg10).toBe(0.5)
    expect(full.zeroHit).toBe(0.5)
    expect(full.p50us).toBe(20)
    expect(summarizeScored(groups.get('han')!).ndcg10).toBe(1)
  })
})
