/**
 * GET /search answers kept for repeated requests (response-cache.ts): the same bytes while the
 * engine is unchanged, a fresh search after any write (through the server or the engine itself)
 * or a replaced engine, least recently used entries dropped past `cacheEntries`.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { call, start, typedEngine } from './helpers-server.js'
import { ResponseCache } from '../src/server/response-cache.js'

afterEach(() => vi.restoreAllMocks())

const TOKEN = 'cache-test-token'
const auth = { authorization: `Bearer ${TOKEN}` }

describe('GET /search response cache', () => {
  it('answers a repeated request (parameters in any order) with the same bytes, without searching', async () => {
    const engine = typedEngine()
    const searched = vi.spyOn(engine, 'search')
    const s = await start(engine, { quiet: true })
    try {
      const first = await call(s.base, '/search?q=%E9%9B%B7%E9%94%8B&limit=5')
      expect(first.headers.get('x-jiansuo-cache')).toBe('miss')
      const again = await call(s.base, '/search?limit=5&q=%E9%9B%B7%E9%94%8B')
      expect(again.headers.get('x-jiansuo-cache')).toBe('hit')
      expect(again.body).toEqual(first.body)
      expect(searched).toHaveBeenCalledTimes(1)
      // Another page is another request.
      expect((await call(s.base, '/search?q=%E9%9B%B7%E9%94%8B&limit=5&offset=5')).headers.get('x-jiansuo-cache')).toBe('miss')
    } finally {
      await s.close()
    }
  })

  it('searches again after a write through the server, and the answer has the write', async () => {
    const s = await start(typedEngine(), { quiet: true, token: TOKEN })
    try {
      const q = `/search?q=${encodeURIComponent('宇宙飞船')}`
      expect((await call(s.base, q)).body.total).toBe(0)
      expect((await call(s.base, q)).headers.get('x-jiansuo-cache')).toBe('hit')
      const put = await call(s.base, '/doc/ship', { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: '宇宙飞船发射成功', body: '宇宙飞船顺利进入预定轨道。' }) })
      expect(put.status).toBeLessThan(300)
      const after = await call(s.base, q)
      expect(after.headers.get('x-jiansuo-cache')).toBe('miss')
      expect(after.body.hits.map((h: { id: string }) => h.id)).toEqual(['ship'])
    } finally {
      await s.close()
    }
  })

  it('searches again after the engine is changed directly, or replaced', async () => {
    const engine = typedEngine()
    const s = await start(engine, { quiet: true })
    try {
      const q = `/search?q=${encodeURIComponent('宇宙飞船')}`
      await call(s.base, q)
      engine.add({ id: 'ship', title: '宇宙飞船', body: '宇宙飞船发射。' })
      const after = await call(s.base, q)
      expect(after.headers.get('x-jiansuo-cache')).toBe('miss')
      expect(after.body.total).toBe(1)
      engine.remove('ship')
      expect((await call(s.base, q)).body.total).toBe(0)
      const other = new SearchEngine({ fields: { title: {}, body: {} } })
      other.add({ id: 'x', title: '宇宙飞船', body: '' })
      other.add({ id: 'y', title: '宇宙飞船', body: '宇宙飞船' })
      s.service.replaceEngine(other)
      const replaced = await call(s.base, q)
      expect(replaced.headers.get('x-jiansuo-cache')).toBe('miss')
      expect(replaced.body.total).toBe(2)
    } finally {
      await s.close()
    }
  })

  it('cacheEntries: 0 keeps nothing; a bad value is INVALID_OPTION', async () => {
    const engine = typedEngine()
    const searched = vi.spyOn(engine, 'search')
    const s = await start(engine, { quiet: true, cacheEntries: 0 })
    try {
      for (let i = 0; i < 2; i++) expect((await call(s.base, '/search?q=%E6%B4%BB%E5%8A%A8')).headers.get('x-jiansuo-cache')).toBe('miss')
      expect(searched).toHaveBeenCalledTimes(2)
    } finally {
      await s.close()
    }
    await expect(start(engine, { cacheEntries: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(start(engine, { cacheEntries: 1.5 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})

describe('ResponseCache', () => {
  const engine = { generation: 7 }
  const bytes = (text: string) => Buffer.from(text)

  it('drops the least recently used entry past its size', () => {
    const cache = new ResponseCache(2)
    cache.set(engine, 'a', bytes('A'))
    cache.set(engine, 'b', bytes('B'))
    expect(cache.get(engine, 'a')?.toString()).toBe('A') // a is now the most recent
    cache.set(engine, 'c', bytes('C'))
    expect(cache.get(engine, 'b')).toBeUndefined()
    expect(cache.get(engine, 'a')?.toString()).toBe('A')
    expect(cache.get(engine, 'c')?.toString()).toBe('C')
    expect(cache.size).toBe(2)
  })

  it('starts over when the generation or the engine changes', () => {
    const cache = new ResponseCache(10)
    const e = { generation: 1 }
    cache.set(e, 'a', bytes('A'))
    e.generation = 2
    expect(cache.get(e, 'a')).toBeUndefined()
    cache.set(e, 'a', bytes('A2'))
    expect(cache.get({ generation: 2 }, 'a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('keeps no answer larger than a quarter of its bytes', () => {
    const cache = new ResponseCache(10)
    cache.set(engine, 'big', Buffer.alloc(8 * 1024 * 1024 + 1))
    expect(cache.get(engine, 'big')).toBeUndefined()
  })
})
