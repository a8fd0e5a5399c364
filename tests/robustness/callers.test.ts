/**
 * What a careless or hostile caller can do to an embedded engine (hardening issue rows 2, 7, 8, 9,
 * 14): results stay true to the state they were computed on, input is read once, saves are
 * ordered, and every public entry point rejects wrong arguments with a typed error.
 */
import { describe, it, expect, afterAll } from 'vitest'
import { lstatSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SearchEngine, parseNewspaper, type Document } from '../../src/index.js'
import { cleanupScratch, sampleArticles, scratchDir, thrown, thrownAsync } from './helpers/common.js'

afterAll(() => cleanupScratch())

const fruit = [
  { id: 'a', title: '香蕉种植', body: '香蕉是热带水果，上街区的香蕉园今年丰收。' },
  { id: 'b', title: '苹果丰收', body: '苹果和香蕉一起上市，价格平稳。' },
  { id: 'c', title: '葡萄采摘', body: '葡萄园迎来采摘季，游客络绎不绝。' },
]

describe('a result stays true to the index state it was computed on (row 2)', () => {
  it('hit.doc after update + save (compaction renumbers ids) is still the document that matched', async () => {
    const engine = new SearchEngine()
    engine.addAll(fruit)
    const result = engine.search('香蕉', { snippet: false })
    expect(result.hits.map((h) => h.id).sort()).toEqual(['a', 'b'])
    engine.update({ id: 'a', title: '西瓜种植', body: '西瓜是夏季水果。' })
    await engine.save(join(scratchDir('snapshot'), 'i.jsz'))
    for (const hit of result.hits) {
      expect(hit.doc.id).toBe(hit.id)
      expect(String(hit.doc.title) + String(hit.doc.body)).toContain('香蕉')
    }
  })

  it('after compact() and removal of other documents', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    const result = engine.search('雷锋', { snippet: false, limit: 5 })
    expect(result.hits.length).toBeGreaterThan(1)
    for (const id of engine.ids()) if (id !== result.hits[1]!.id) engine.remove(id)
    engine.compact()
    for (const hit of result.hits) {
      expect(hit.doc.id).toBe(hit.id)
      expect(String(hit.doc.title) + String(hit.doc.body)).toContain('雷锋')
    }
  })

  it('spread, structuredClone and JSON keep doc', () => {
    const engine = new SearchEngine()
    engine.addAll(fruit)
    const [hit] = engine.search('葡萄', { snippet: false }).hits
    expect({ ...hit! }.doc).toEqual(engine.get('c'))
    expect(structuredClone(hit!).doc).toEqual(engine.get('c'))
    expect(JSON.parse(JSON.stringify(hit)).doc).toEqual(engine.get('c'))
  })
})

describe('input is read once: what is stored is what is indexed (rows 7, 8)', () => {
  it('a getter that changes between reads leaves no postings behind after remove', () => {
    const engine = new SearchEngine()
    let n = 0
    engine.add({
      id: 'g',
      get body() {
        return n++ < 1 ? '雷锋精神' : '宇宙飞船'
      },
    } as Document)
    expect(n).toBe(1)
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['g'])
    expect(engine.get('g')!.body).toBe('雷锋精神')
    engine.remove('g')
    expect(thrown(() => engine.search('雷锋'))).toBeUndefined()
    expect(engine.search('雷锋').total).toBe(0)
    expect(engine.search('宇宙').total).toBe(0)
    expect(engine.termCount).toBe(0)
  })

  it('each field and the id are read exactly once per add', () => {
    const reads = new Map<string, number>()
    const counted = (doc: Record<string, unknown>) =>
      new Proxy(doc, {
        get(target, key, receiver) {
          if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1)
          return Reflect.get(target, key, receiver)
        },
      })
    const engine = new SearchEngine()
    engine.addAll([counted({ ...sampleArticles()[0]! })] as Document[])
    expect(reads.get('id')).toBe(1)
    expect(reads.get('title')).toBe(1)
    expect(reads.get('body')).toBe(1)
  })

  it('ids changed from onProgress during addAll do not put duplicate ids in the index', async () => {
    const docs = sampleArticles().map((a) => ({ ...a }))
    const engine = new SearchEngine()
    engine.addAll(docs, {
      progressEvery: 1,
      onProgress: (i) => {
        if (i === 1) docs[1]!.id = docs[0]!.id
      },
    })
    expect(new Set(engine.ids()).size).toBe(docs.length)
    expect(engine.ids()).toEqual(sampleArticles().map((a) => a.id))
    const path = join(scratchDir('dup'), 'i.jsz')
    await engine.save(path)
    expect((await SearchEngine.load(path)).size).toBe(docs.length)
  })

  it('an id replaced by a number after validation cannot break later saves', async () => {
    const docs = sampleArticles().map((a) => ({ ...a })) as Record<string, unknown>[]
    const engine = new SearchEngine()
    engine.addAll(docs as Document[], { progressEvery: 1, onProgress: (i) => {
      if (docs[i]) docs[i]!.id = 5
    } })
    expect(await thrownAsync(() => engine.save(join(scratchDir('num'), 'i.jsz')))).toBeUndefined()
  })
})

describe('saves on one engine are ordered (row 9)', () => {
  it('the file after the last save resolves holds the state when that save was called', async () => {
    const dir = scratchDir('order')
    const path = join(dir, 'i.jsz')
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())
    const wrong: number[] = []
    for (let round = 0; round < 8; round++) {
      const early = engine.save(path)
      engine.add({ id: `late${round}`, title: '迟到的文章', body: '第二次保存之前加入。' })
      await engine.save(path)
      await early
      const loaded = await SearchEngine.load(path)
      if (!loaded.has(`late${round}`)) wrong.push(round)
    }
    expect(wrong).toEqual([])
  })

  it('a stale temp file of a killed save is removed by the next save', async () => {
    const dir = scratchDir('stale')
    const path = join(dir, 'i.jsz')
    const stale = join(dir, '.i.jsz.99999.0badf00d.tmp')
    writeFileSync(stale, 'half a file')
    const engine = new SearchEngine()
    engine.addAll(fruit)
    await engine.save(path)
    expect(readdirSync(dir).sort()).toEqual(['i.jsz'])
  })

  it('saving over a symlink writes through to its target and keeps the link', async () => {
    const dir = scratchDir('link')
    const target = join(dir, 'real.jsz')
    const link = join(dir, 'current.jsz')
    writeFileSync(target, 'old')
    symlinkSync('real.jsz', link)
    const engine = new SearchEngine()
    engine.addAll(fruit)
    await engine.save(link)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe('real.jsz')
    expect(new Uint8Array(readFileSync(target))).toEqual(engine.toBytes())
  })
})

describe('every public entry point validates its arguments (rows 14, 15)', () => {
  const engine = new SearchEngine()
  engine.addAll(fruit)
  const bytes = engine.toBytes()
  const cases: [string, () => unknown][] = [
    ['search(q, null)', () => engine.search('香蕉', null as never)],
    ['search(q, 5)', () => engine.search('香蕉', 5 as never)],
    ['search snippet: 5', () => engine.search('香蕉', { snippet: 5 as never })],
    ['search snippet length NaN', () => engine.search('香蕉', { snippet: { length: Number.NaN } })],
    ['search highlight: "x"', () => engine.search('香蕉', { highlight: 'x' as never })],
    ['search highlight pre: 5', () => engine.search('香蕉', { highlight: { pre: 5 as never } })],
    ['search strict: "yes"', () => engine.search('香蕉', { strict: 'yes' as never })],
    ['addAll(docs, null)', () => engine.addAll([{ id: 'n1', body: '香蕉' }], null as never)],
    ['add(doc, null)', () => engine.add({ id: 'n2', body: '香蕉' }, null as never)],
    ['add upsert: "yes"', () => engine.add({ id: 'n3', body: '香蕉' }, { upsert: 'yes' as never })],
    ['onProgress: 5', () => engine.addAll([{ id: 'n4', body: '香蕉' }], { onProgress: 5 as never })],
    ['progressEvery: -3', () => engine.addAll([{ id: 'n5', body: '香蕉' }], { progressEvery: -3 })],
    ['fromBytes(b, null)', () => SearchEngine.fromBytes(bytes, null as never)],
    ['fromBytes(b, 5)', () => SearchEngine.fromBytes(bytes, 5 as never)],
    ['new SearchEngine(null)', () => new SearchEngine(null as never)],
    ['warmWorkers(null)', () => engine.warmWorkers(null as never)],
  ]
  for (const [name, call] of cases) {
    it(`${name} → INVALID_OPTION`, async () => {
      expect(await thrownAsync(async () => call())).toBe('INVALID_OPTION')
    })
  }
  it('a rejected call changes nothing', () => {
    expect(engine.ids()).toEqual(['a', 'b', 'c'])
  })

  const asyncCases: [string, () => Promise<unknown>][] = [
    ['save()', () => engine.save(undefined as never)],
    ['save(123)', () => engine.save(123 as never)],
    ['save("")', () => engine.save('')],
    ['load(p, null)', () => SearchEngine.load('x.jsz', null as never)],
    ['load(123)', () => SearchEngine.load(123 as never)],
    ['addAllParallel(docs, null)', () => engine.addAllParallel([{ id: 'p1', body: '香蕉' }], null as never)],
  ]
  for (const [name, call] of asyncCases) {
    it(`${name} → INVALID_OPTION`, async () => {
      expect(await thrownAsync(call)).toBe('INVALID_OPTION')
    })
  }

  it('parseNewspaper(5) → INVALID_INPUT', () => {
    expect(thrown(() => parseNewspaper(5 as never))).toBe('INVALID_INPUT')
    expect(thrown(() => parseNewspaper('## 标题\n正文', null as never))).toBe('INVALID_OPTION')
  })
})
