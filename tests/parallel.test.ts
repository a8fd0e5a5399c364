/** A parallel build must equal a single-threaded one, byte for byte. */
import { describe, it, expect } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { sampleArticles } from './helpers.js'

// 300 documents: the sample articles repeated with new ids (the parallel path needs ≥ 256).
const docs = Array.from({ length: 300 }, (_, i) => {
  const a = sampleArticles()[i % 12]!
  return { ...a, id: `${a.id}-${i}`, body: `${String(a.body)}${i}` }
})

describe('addAllParallel', () => {
  it('builds the same index file as addAll', async () => {
    const single = new SearchEngine()
    single.addAll(docs)
    const parallel = new SearchEngine()
    expect(await parallel.addAllParallel(docs, { workers: 2 })).toBe(300)
    expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
    expect(parallel.search('雷锋精神', { limit: 20 })).toEqual({ ...single.search('雷锋精神', { limit: 20 }), took: expect.any(Number) })
  })

  it('is invisible to searches until it ends, then complete', async () => {
    const engine = new SearchEngine()
    engine.add({ id: 'first', title: '雷锋', body: '学雷锋' })
    const pending = engine.addAllParallel(docs, { workers: 2 })
    expect(engine.search('雷锋').total).toBe(1)
    await pending
    expect(engine.size).toBe(301)
    expect(engine.search('雷锋').total).toBe(1 + docs.filter((d) => String(d.body).includes('雷锋')).length)
  })
})
