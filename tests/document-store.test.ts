/** Stored documents: the recent-text cache in front of inflate, and freezing that keeps or renumbers documents. */
import { describe, it, expect, vi, beforeEach } from 'vitest'

const zlib = vi.hoisted(() => ({ inflates: 0 }))
vi.mock('node:zlib', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:zlib')>()
  return {
    ...original,
    inflateRawSync: (...args: Parameters<typeof original.inflateRawSync>) => {
      zlib.inflates++
      return original.inflateRawSync(...args)
    },
  }
})

const { DocumentStore } = await import('../src/index/document-store.js')
const { SAMPLE_TEXT } = await import('./helpers.js')

// Real text: the sample newspaper's paragraphs, one stored document each.
const paragraphs = SAMPLE_TEXT.split('\n').filter((line) => line.trim().length > 20).slice(0, 30)
const json = (i: number) => JSON.stringify({ id: `p${i}`, body: paragraphs[i] })

function frozenStore(count: number) {
  const store = new DocumentStore()
  for (let i = 0; i < count; i++) store.push(json(i))
  store.freeze(count, () => true)
  return store
}

describe('DocumentStore', () => {
  beforeEach(() => {
    zlib.inflates = 0
  })

  it('inflates a frozen document once, then serves it from the recent texts (each read its own copy)', () => {
    const store = frozenStore(20)
    const first = store.get(3)
    expect(zlib.inflates).toBe(1)
    const second = store.get(3)
    expect(zlib.inflates).toBe(1)
    expect(second).toEqual({ id: 'p3', body: paragraphs[3] })
    expect(second).not.toBe(first)
    first!.body = 'changed by the caller'
    expect(store.get(3)!.body).toBe(paragraphs[3])
    // A snapshot reader of the current store uses them too.
    expect(store.reader(3)()).toEqual({ id: 'p3', body: paragraphs[3] })
    expect(zlib.inflates).toBe(1)
  })

  it('a batch appended keeps the numbers, the bytes and the recent texts', () => {
    const store = frozenStore(20)
    store.get(5)
    const before = store.frozenDocuments
    for (let i = 20; i < 25; i++) store.push(json(i))
    const after = store.freeze(25, () => true)
    expect(Buffer.from(after.bytes.subarray(0, before.offsets[20])).equals(Buffer.from(before.bytes))).toBe(true)
    expect([...after.offsets.subarray(0, 21)]).toEqual([...before.offsets])
    zlib.inflates = 0
    expect(store.get(5)).toEqual({ id: 'p5', body: paragraphs[5] })
    expect(zlib.inflates).toBe(0)
    for (let i = 0; i < 25; i++) expect(store.get(i)).toEqual({ id: `p${i}`, body: paragraphs[i] })
  })

  it('a freeze that drops documents renumbers them: no read returns the text of the old number', () => {
    const store = frozenStore(20)
    for (let i = 0; i < 20; i++) store.get(i)
    // Document 4 goes: 5 becomes 4, and so on.
    store.remove(4)
    store.freeze(20, (doc) => doc !== 4)
    for (let i = 0; i < 19; i++) expect(store.get(i)).toEqual({ id: `p${i < 4 ? i : i + 1}`, body: paragraphs[i < 4 ? i : i + 1] })
  })

  it('a reader made before a renumbering still reads its own document', () => {
    const store = frozenStore(20)
    const read = store.reader(7)
    store.get(7)
    store.remove(2)
    store.freeze(20, (doc) => doc !== 2)
    expect(read()).toEqual({ id: 'p7', body: paragraphs[7] })
    expect(store.get(7)).toEqual({ id: 'p8', body: paragraphs[8] })
  })
})
