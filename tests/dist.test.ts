/** Smoke test of the published shape: the built package through both `import` and `require`. */
import { describe, it, expect } from 'vitest'
import { createRequire } from 'node:module'

describe('built package', () => {
  it('works through require (CJS)', () => {
    const require = createRequire(import.meta.url)
    const { SearchEngine, JiansuoError } = require('../dist/index.cjs')
    const e = new SearchEngine()
    e.add({ id: '1', title: '弘扬雷锋精神', body: '学习雷锋好榜样' })
    expect(e.search('雷锋').hits[0].id).toBe('1')
    expect(() => e.add({ id: '1', title: 'x' })).toThrow(JiansuoError)
  })

  it('works through import (ESM) and round-trips bytes', async () => {
    const { SearchEngine, FORMAT_VERSION } = await import('../dist/index.js')
    const e = new SearchEngine()
    e.add({ id: '1', title: '雷鋒', body: '學習雷鋒好榜樣' })
    const again = SearchEngine.fromBytes(e.toBytes())
    expect(again.search('雷锋').hits[0]!.id).toBe('1')
    expect(FORMAT_VERSION).toBe(1)
  })
})
