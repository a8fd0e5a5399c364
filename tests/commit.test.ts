/**
 * A batch commit appends to the frozen segment instead of re-encoding it (postings.ts, freeze):
 * untouched terms keep their bytes, appended terms keep theirs as a prefix. The segment must be
 * exactly the one a single build of all the documents writes, whatever the batches, single
 * adds and removals in between.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { SearchEngine, type Document } from '../src/index.js'
import { sampleArticles } from './helpers.js'

/** The paragraphs of the sample as documents: enough terms shared and unshared between batches. */
function paragraphs(): Document[] {
  return sampleArticles().flatMap((a) =>
    String(a.body)
      .split('\n')
      .filter((p) => p.trim())
      .map((body, i) => ({ id: `${a.id}-${i}`, title: String(a.title), body })),
  )
}

const postingsOf = (engine: SearchEngine) => (engine as unknown as { index: { snapshot(): { postings: unknown; lengths: unknown; ids: unknown } } }).index.snapshot()

describe('batch commits', () => {
  const docs = paragraphs()
  const whole = new SearchEngine()
  whole.addAll(docs)
  const expected = postingsOf(whole)

  it('in any split into batches, give the postings of one build', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: docs.length - 1 }), { maxLength: 6 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), docs.length]
        const engine = new SearchEngine()
        for (let i = 0; i + 1 < points.length; i++) engine.addAll(docs.slice(points[i], points[i + 1]))
        const got = postingsOf(engine)
        expect(got.ids).toEqual(expected.ids)
        expect(got.postings).toEqual(expected.postings)
      }),
      { numRuns: 40, seed: 3 },
    )
  })

  it('after single adds and removals between batches, equal a build of what is left', () => {
    const [a, b] = [Math.floor(docs.length / 3), Math.floor((2 * docs.length) / 3)]
    expect(a).toBeGreaterThan(5)
    const engine = new SearchEngine()
    engine.addAll(docs.slice(0, a))
    engine.add(docs[a]!)
    engine.remove(docs[3]!.id)
    engine.addAll(docs.slice(a + 1, b))
    engine.add(docs[b]!)
    engine.addAll(docs.slice(b + 1))
    const rebuilt = new SearchEngine()
    rebuilt.addAll(docs.filter((d) => d.id !== docs[3]!.id))
    expect(postingsOf(engine).postings).toEqual(postingsOf(rebuilt).postings)
    expect(engine.search('雷锋 精神', { limit: 50, snippet: false }).hits.map((h) => [h.id, h.score])).toEqual(rebuilt.search('雷锋 精神', { limit: 50, snippet: false }).hits.map((h) => [h.id, h.score]))
  })
})

describe('a parallel batch commits in steps', () => {
  const base = paragraphs()
  // Enough documents for the parallel path (256 at least): the paragraphs six times over.
  const docs = [0, 1, 2, 3, 4, 5].flatMap((copy) => base.map((d) => ({ ...d, id: `${d.id}#${copy}` })))
  const byId = new Map<string, Document>([...docs, ...base.map((d) => ({ ...d, id: `single-${d.id}` }))].map((d) => [d.id, d]))

  it('has enough documents for the parallel path', () => expect(docs.length).toBeGreaterThanOrEqual(256))

  it('searches between the steps see the index as it was; the end equals one build', async () => {
    const engine = new SearchEngine()
    engine.addAll(base.slice(0, 10).map((d) => ({ ...d, id: `old-${d.id}` })))
    const before = engine.search('雷锋', { limit: 100, snippet: false }).total
    const seen = new Set<number>()
    let running = true
    const poll = () => {
      seen.add(engine.search('雷锋', { limit: 100, snippet: false }).total)
      if (running) setImmediate(poll)
    }
    setImmediate(poll)
    await engine.addAllParallel(docs, { workers: 1 })
    running = false
    const after = engine.search('雷锋', { limit: 100, snippet: false }).total
    expect(after).toBeGreaterThan(before)
    // Never a state in between: the old total or the new one.
    expect([...seen].every((t) => t === before || t === after)).toBe(true)
    const rebuilt = new SearchEngine()
    rebuilt.addAll(engine.ids().map((id) => (id.startsWith('old-') ? { ...base.find((d) => `old-${d.id}` === id)!, id } : byId.get(id)!)))
    expect(postingsOf(engine).postings).toEqual(postingsOf(rebuilt).postings)
  })

  it('single adds while it runs are kept, and the result equals a build in the final order', async () => {
    const engine = new SearchEngine()
    engine.addAll(base.slice(0, 5))
    let n = 5
    let running = true
    const addOne = () => {
      if (!running || n >= base.length) return
      const d = base[n++]!
      engine.add({ ...d, id: `single-${d.id}` })
      setImmediate(addOne)
    }
    setImmediate(addOne)
    await engine.addAllParallel(docs, { workers: 1 })
    running = false
    expect(engine.size).toBe(5 + docs.length + (n - 5))
    expect(n).toBeGreaterThan(5)
    const rebuilt = new SearchEngine()
    rebuilt.addAll(engine.ids().map((id) => byId.get(id) ?? base.find((d) => d.id === id)!))
    expect(postingsOf(engine).postings).toEqual(postingsOf(rebuilt).postings)
  })
})
