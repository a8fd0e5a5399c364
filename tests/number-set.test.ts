/** NumberSet (the position-key set of unknown-word matching) against a plain Set, as a model. */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { NumberSet } from '../src/query/number-set.js'

const key = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.constantFrom(2 ** 24, 2 ** 31, 2 ** 32 + 1))

describe('NumberSet', () => {
  it('has what a Set has after adds and clears, in first-added order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(key, { maxLength: 3000 }), { minLength: 1, maxLength: 4 }), fc.array(key, { maxLength: 200 }), (rounds, probes) => {
        const set = new NumberSet()
        for (const adds of rounds) {
          set.clear()
          const model = new Set<number>()
          for (const k of adds) {
            set.add(k)
            model.add(k)
          }
          expect(set.size).toBe(model.size)
          expect([...set.values()]).toEqual([...model])
          for (const p of [...probes, ...adds.slice(0, 50)]) expect(set.has(p)).toBe(model.has(p))
        }
      }),
      { numRuns: 60, seed: 11 },
    )
  })
})
