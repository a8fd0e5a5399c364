/** Lists written since the last freeze: typed arrays grown by doubling, equal to plain appends. */
import { describe, it, expect } from 'vitest'
import { MutablePostingList } from '../src/index/mutable-postings.js'

describe('MutablePostingList', () => {
  it('thawed from a list and appended past every capacity, reads as the plain arrays would', () => {
    const base = { length: 2, docs: [3, 9], freqs: [1, 0, 2, 1], posStart: [0, 1, 4], pos: [5, 0, 7, 2] }
    const list = new MutablePostingList(base)
    const docs = [...base.docs]
    const freqs = [...base.freqs]
    const posStart = [...base.posStart]
    const pos = [...base.pos]
    for (let doc = 10; doc < 300; doc++) {
      const f = [doc % 3, doc % 2]
      const positions = Array.from({ length: f[0]! + f[1]! }, (_, k) => doc + k)
      list.append(doc, f, 2, positions)
      docs.push(doc)
      freqs.push(...f)
      pos.push(...positions)
      posStart.push(pos.length)
      // Read between appends: a view made before a push must not be served after it.
      expect(list.docs[list.length - 1]).toBe(doc)
    }
    expect(list.length).toBe(docs.length)
    expect([...list.docs]).toEqual(docs)
    expect([...list.freqs]).toEqual(freqs)
    expect([...list.posStart]).toEqual(posStart)
    expect([...list.pos]).toEqual(pos)
    for (const a of [list.docs, list.freqs, list.posStart, list.pos]) expect(a).toBeInstanceOf(Uint32Array)
    // The thaw copied: the base list is untouched.
    expect(base.docs).toEqual([3, 9])
  })

  it('starts empty with one position start', () => {
    const list = new MutablePostingList()
    expect(list.length).toBe(0)
    expect([...list.posStart]).toEqual([0])
    list.append(4, [2], 1, [1, 6])
    expect([...list.docs]).toEqual([4])
    expect([...list.posStart]).toEqual([0, 2])
  })
})
