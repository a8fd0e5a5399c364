/** A parallel build must equal a single-threaded one, byte for byte. */
import { describe, it, expect } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { sampleArticles } from './helpers.js'

describe('addAllParallel', () => {
  it('builds the same index as addAll, and searches see nothing until it ends', async () => {
    // 300 documents: the sample articles repeated with new ids (the parallel path needs ≥ 256).
    const docs = Array.from({ length: 300 }, (_, i) => {
      const a = sampleArticles()[i % 12]!
      return { ...a, id: `${a.id}-${i}`, body: `${String(a.body)}${i}` }
    })
    const single = new SearchEngine()
    single.addAll(docs)
    const parallel = new SearchEngine()
    parallel.add({ id: 'first', title: '雷锋', body: '学雷锋' })
    const pending = parallel.addAllParallel(docs, { workers: 2 })
    // The batch is not visible while it is being analyzed.
    expect(parallel.search('雷锋').total).toBe(1)
    await pending
    expect(parallel.size).toBe(301)
    parallel.remove('first')
    expect(Buffer.from(parallel.toBytes().subarray(200)).equals(Buffer.from(single.toBytes().subarray(200)))).toBe(true)
    expect(parallel.search('雷锋精神', { limit: 20 })).toEqual({ ...single.search('雷锋精神', { limit: 20 }), took: expect.any(Number) })
  })
})
