/** Doc-id bitsets (query/bitset.ts) against a sorted array of ids, as a model. */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { DocBits, bitsToIds, hasBit, popCount, setBit } from '../src/query/bitset.js'

const LIMIT = 200
const ids = fc.array(fc.integer({ min: 0, max: LIMIT - 1 }), { maxLength: 120 })
const model = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b)

describe('bitset functions', () => {
  it('setBit, hasBit, popCount and bitsToIds agree with a set of ids', () => {
    fc.assert(
      fc.property(ids, fc.array(fc.integer({ min: 0, max: LIMIT + 64 }), { maxLength: 40 }), (xs, probes) => {
        const bits = new Uint32Array((LIMIT + 31) >>> 5)
        for (const x of xs) expect(setBit(bits, x)).toBe(true)
        expect(bitsToIds(bits)).toEqual(model(xs))
        expect(popCount(bits)).toBe(model(xs).length)
        for (const p of [...probes, ...xs]) expect(hasBit(bits, p)).toBe(xs.includes(p))
      }),
      { numRuns: 200, seed: 5 },
    )
  })

  it('ids at word edges (0, 31, 32, the last) and past the end', () => {
    const bits = new Uint32Array(2)
    for (const x of [0, 31, 32, 63]) setBit(bits, x)
    setBit(bits, 64) // past the end: ignored, never written
    expect(bitsToIds(bits)).toEqual([0, 31, 32, 63])
    expect([hasBit(bits, 30), hasBit(bits, 64), hasBit(bits, 1000)]).toEqual([false, false, false])
    expect(popCount(Uint32Array.of(0xffffffff, 0x80000001))).toBe(34)
  })
})

describe('DocBits', () => {
  it('add, has, size and addAll agree with a set of ids', () => {
    fc.assert(
      fc.property(ids, ids, (xs, ys) => {
        const a = new DocBits(LIMIT)
        const b = new DocBits(LIMIT)
        for (const x of xs) a.add(x)
        for (const y of ys) b.add(y)
        expect(a.size).toBe(model(xs).length)
        for (let d = 0; d < LIMIT; d++) expect(a.has(d)).toBe(xs.includes(d))
        a.addAll(b)
        expect(a.size).toBe(model([...xs, ...ys]).length)
        expect(bitsToIds(a.bits)).toEqual(model([...xs, ...ys]))
      }),
      { numRuns: 200, seed: 6 },
    )
  })

  it('an id past the limit is not added and does not count', () => {
    const set = new DocBits(40)
    set.add(39)
    set.add(64)
    set.add(39)
    expect(set.size).toBe(1)
    expect(set.has(64)).toBe(false)
    const small = new DocBits(32)
    small.add(5)
    const big = new DocBits(100)
    big.add(99)
    small.addAll(big)
    expect(bitsToIds(small.bits)).toEqual([5])
    expect(small.size).toBe(1)
  })
})
