/**
 * Compatibility: the committed format-1 fixture (tests/fixtures/index-v1.jsz, see the README there)
 * still loads with the current reader and gives the known answers. Crafted damage to it (with a
 * valid checksum, so only the decoder can notice) is INDEX_CORRUPT, never a crash.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { Packr } from 'msgpackr'
import { FORMAT_VERSION, MIN_FORMAT_VERSION, SearchEngine } from '../../src/index.js'
import { ROOT, cleanupScratch, sampleArticles, scratchDir, thrown, thrownAsync } from './helpers/common.js'
import { assembleIndex, splitIndex } from './helpers/index-file.js'

const FIXTURE = join(ROOT, 'tests/fixtures/index-v1.jsz')

let fixture: Uint8Array
let engine: SearchEngine

beforeAll(() => {
  fixture = new Uint8Array(readFileSync(FIXTURE))
  // Loaded in the first test, so a reader that cannot read it fails that test with its message.
  try {
    engine = SearchEngine.fromBytes(fixture)
  } catch {
    // Reported by 'loads with the current reader'.
  }
})

afterAll(() => cleanupScratch())

describe('index-v1.jsz', () => {
  it('is a format version 1 file that this reader supports', () => {
    expect(Buffer.from(fixture.subarray(0, 4)).toString('latin1')).toBe('JSUO')
    expect(new DataView(fixture.buffer, fixture.byteOffset).getUint16(4, true)).toBe(1)
    expect(MIN_FORMAT_VERSION).toBeLessThanOrEqual(1)
  })

  it('loads with the current reader', async () => {
    // INDEX_CORRUPT here means the version-1 layout changed without a new FORMAT_VERSION: files
    // users saved before would be refused as damaged instead of FORMAT_TOO_OLD.
    expect(await thrownAsync(() => SearchEngine.load(FIXTURE))).toBeUndefined()
    expect(engine).toBeDefined()
  })

  it('holds the 12 sample articles as stored documents', () => {
    expect(engine.size).toBe(12)
    expect(engine.ids()).toEqual(sampleArticles().map((a) => a.id))
    expect(engine.get('a09')).toEqual(sampleArticles().find((a) => a.id === 'a09'))
  })

  it('雷锋 → the two 弘扬雷锋精神 articles first', () => {
    const hits = engine.search('雷锋').hits
    expect(hits.slice(0, 2).map((h) => h.id).sort()).toEqual(['a03', 'a04'])
    for (const h of hits.slice(0, 2)) expect(h.doc.title).toMatch(/^弘扬雷锋精神/)
  })

  it('专利 → a09 first', () => {
    expect(engine.search('专利').hits[0]?.id).toBe('a09')
  })

  it('"文明行为促进条例" → exactly 2 hits', () => {
    const result = engine.search('"文明行为促进条例"')
    expect(result.total).toBe(2)
    expect(result.hits.map((h) => h.id).sort()).toEqual(['a03', 'a04'])
  })

  it('snippets highlight the query in the stored text', () => {
    const hit = engine.search('专利').hits[0]!
    const s = hit.snippets[0]!
    expect(s.ranges.length).toBeGreaterThan(0)
    for (const r of s.ranges) expect(s.text.slice(r.start, r.end)).toBe('专利')
  })

  it('finds the same documents as an index built now from the same newspaper', () => {
    const fresh = new SearchEngine()
    fresh.addAll(sampleArticles())
    for (const q of ['雷锋', '专利', '企业 服务', '"雷锋精神"', '文明 -志愿', 'title:精神', '科技 OR 创新']) {
      const ids = (e: SearchEngine) =>
        e
          .search(q, { limit: 100 })
          .hits.map((h) => h.id)
          .sort()
      expect(ids(engine), q).toEqual(ids(fresh))
    }
  })

  it('can be changed and saved again after loading', async () => {
    const loaded = await SearchEngine.load(FIXTURE)
    loaded.add({ id: 'new', title: '专利快讯', body: '新的专利申请' })
    expect(loaded.remove('a03')).toBe(true)
    loaded.update({ id: 'a04', title: '更新', body: '内容已更新' })
    const path = join(scratchDir('compat'), 'index.jsz')
    await loaded.save(path)
    const again = await SearchEngine.load(path)
    expect(again.size).toBe(12)
    expect(again.search('雷锋').total).toBe(0)
    expect(again.search('专利').hits.map((h) => h.id)).toContain('new')
    // The fixture itself is untouched.
    expect(new Uint8Array(readFileSync(FIXTURE))).toEqual(fixture)
  })
})

describe('every committed fixture (one per format version)', () => {
  const files = readdirSync(join(ROOT, 'tests/fixtures')).filter((f) => /^index-v\d+\.jsz$/.test(f))

  it('includes index-v1.jsz and one for the current FORMAT_VERSION', () => {
    expect(files).toContain('index-v1.jsz')
    expect(files).toContain(`index-v${FORMAT_VERSION}.jsz`)
  })

  it.each(files)('%s loads and answers 专利 → a09 (or is FORMAT_TOO_OLD below MIN_FORMAT_VERSION)', async (name) => {
    const path = join(ROOT, 'tests/fixtures', name)
    const version = Number(/\d+/.exec(name)![0])
    expect(readFileSync(path).readUInt16LE(4)).toBe(version)
    if (version < MIN_FORMAT_VERSION) {
      expect(await thrownAsync(() => SearchEngine.load(path))).toBe('FORMAT_TOO_OLD')
      return
    }
    const loaded = await SearchEngine.load(path)
    expect(loaded.size).toBe(12)
    expect(loaded.search('专利').hits[0]?.id).toBe('a09')
  })
})

describe('crafted damage to index-v1.jsz with a valid checksum', () => {
  // Format 1 layout (src/codec/index-file.ts): magic · u16 version · u16 reserved · u32 header
  // length · msgpack header · msgpack body · CRC32. Version 1 is frozen, so a test may rely on it.
  const packr = new Packr({ useRecords: false, moreTypes: false })

  function split(file: Uint8Array): { header: Record<string, unknown>; body: Uint8Array; bodyStart: number } {
    const parts = splitIndex(file)
    return { header: parts.header, body: parts.bodyBytes, bodyStart: parts.bodyStart }
  }

  const assemble = (header: unknown, body: Uint8Array): Uint8Array => assembleIndex(fixture, header, body)

  it('re-assembling the untouched parts gives a file that loads (the crafting itself is sound)', () => {
    const { header, body } = split(fixture)
    expect(SearchEngine.fromBytes(assemble(header, body)).search('专利').hits[0]?.id).toBe('a09')
  })

  const badHeaders: [string, (h: Record<string, unknown>) => void][] = [
    ['a negative field boost', (h) => ((h.fields as { boost: number }[])[0]!.boost = -1)],
    ['a null field entry', (h) => ((h.fields as unknown[])[0] = null)],
    ['BM25 k1 as a string', (h) => ((h.bm25 as Record<string, unknown>).k1 = 'x')],
    ['store as a number', (h) => (h.store = 5)],
    ['stopwords as a string', (h) => ((h.fingerprint as Record<string, unknown>).stopwords = '的')],
  ]

  it.each(badHeaders)('a header with %s is INDEX_CORRUPT', (_, damage) => {
    const { header, body } = split(fixture)
    damage(header)
    expect(thrown(() => SearchEngine.fromBytes(assemble(header, body)))).toBe('INDEX_CORRUPT')
  })

  it('a damaged stored document is INDEX_CORRUPT when read, never a zlib or JSON error', () => {
    const { body, bodyStart } = split(fixture)
    const decoded = packr.unpack(body) as { stored?: { bytes?: unknown } }
    // The layout this crafting relies on: stored.bytes, the documents deflated one after another.
    expect(decoded.stored?.bytes, 'fixture body has stored.bytes').toBeInstanceOf(Uint8Array)
    const at = bodyStart + Buffer.from(body).indexOf(Buffer.from(decoded.stored!.bytes as Uint8Array))
    const damaged = Uint8Array.from(fixture)
    damaged[at] = damaged[at]! | 0x06 // first document's first deflate block: reserved block type 3
    new DataView(damaged.buffer).setUint32(damaged.length - 4, crc32(damaged.subarray(0, damaged.length - 4)) >>> 0, true)
    let loaded: SearchEngine | undefined
    const atLoad = thrown(() => (loaded = SearchEngine.fromBytes(damaged)))
    if (atLoad !== undefined) {
      expect(atLoad).toBe('INDEX_CORRUPT')
      return
    }
    expect(thrown(() => loaded!.get('a01'))).toBe('INDEX_CORRUPT')
    expect(thrown(() => loaded!.search('走访'))).toBe('INDEX_CORRUPT')
  })

  it('a posting that points past the last document is INDEX_CORRUPT (at load or at search), never a crash', () => {
    const { body, bodyStart } = split(fixture)
    const decoded = packr.unpack(body) as { postings?: { terms?: unknown; docs?: unknown } }
    // The layout this crafting relies on: postings.terms ("\n"-joined) and postings.docs (varints).
    expect(typeof decoded.postings?.terms, 'fixture body has postings.terms').toBe('string')
    expect(decoded.postings?.docs, 'fixture body has postings.docs').toBeInstanceOf(Uint8Array)
    const postings = decoded.postings as { terms: string; docs: Uint8Array }
    const firstTerm = postings.terms.split('\n')[0]!
    const at = bodyStart + Buffer.from(body).indexOf(Buffer.from(postings.docs))
    // The first varint of the doc stream is the first term's first document id.
    expect(fixture[at]).toBeLessThan(0x80)
    const damaged = Uint8Array.from(fixture)
    damaged[at] = 0x7f // document 127 of 12
    new DataView(damaged.buffer).setUint32(damaged.length - 4, crc32(damaged.subarray(0, damaged.length - 4)) >>> 0, true)
    expect(thrown(() => SearchEngine.fromBytes(damaged).search(firstTerm))).toBe('INDEX_CORRUPT')
  })
})

describe('index-v2.jsz (typed fields: date, reporters)', () => {
  const V2 = join(ROOT, 'tests/fixtures/index-v2.jsz')
  const v2 = new Uint8Array(readFileSync(V2))
  type V2Body = Record<string, unknown> & { columns: { values?: Uint8Array; dictionary?: string[]; counts?: Uint8Array; ords?: Uint8Array }[] }

  it('loads with its schema and filters, sorts and counts on its typed fields', () => {
    const e = SearchEngine.fromBytes(v2)
    expect(e.options.columns).toEqual([
      { name: 'date', type: 'date' },
      { name: 'reporters', type: 'keyword' },
    ])
    // The fixture's articles: a01 and a06 are by 张怡馨, a05-2 too (see parseNewspaper on the sample).
    expect(e.search('', { filter: { reporters: '张怡馨' }, limit: 20 }).hits.map((h) => h.id)).toEqual(['a01', 'a05-2', 'a06'])
    expect(e.search('reporters:王明明 活动', { limit: 20 }).hits.map((h) => h.id).sort()).toEqual(['a02', 'a05-1', 'a08'].filter((id) => e.search('活动', { limit: 20 }).hits.some((h) => h.id === id)))
    expect(e.search('', { filter: { date: '2024-03-06' } }).total).toBe(12)
    expect(e.search('', { filter: { date: { gt: '2024-03-06' } } }).total).toBe(0)
    const facets = e.search('', { limit: 0, facets: { reporters: { limit: 2 }, date: { interval: 'day' } } }).facets!
    expect(facets.reporters).toEqual([
      { value: '张怡馨', count: 3 },
      { value: '王明明', count: 3 },
    ])
    expect(facets.date).toEqual([{ value: '2024-03-06', count: 12 }])
  })

  it('a v1 file loads with no typed fields, and a filter on one is UNKNOWN_FIELD', () => {
    const e = SearchEngine.fromBytes(fixture)
    expect(e.options.columns).toEqual([])
    expect(thrown(() => e.search('专利', { filter: { date: '2024' } }))).toBe('UNKNOWN_FIELD')
  })

  const damage: [string, (body: V2Body) => void][] = [
    ['a date column one value short', (b) => (b.columns[0]!.values = b.columns[0]!.values!.subarray(8))],
    ['an infinite date', (b) => new DataView(b.columns[0]!.values!.buffer, b.columns[0]!.values!.byteOffset).setFloat64(0, Infinity, true)],
    ['an unsorted keyword dictionary', (b) => b.columns[1]!.dictionary!.reverse()],
    ['a keyword ordinal past the dictionary', (b) => (b.columns[1]!.ords![0] = 0x7f)],
    ['keyword counts that do not match the ordinals', (b) => (b.columns[1]!.counts![0] = b.columns[1]!.counts![0]! + 1)],
    ['a missing column table', (b) => b.columns.pop()],
  ]
  it.each(damage)('%s is INDEX_CORRUPT at load', (_, change) => {
    const parts = splitIndex(v2)
    const body = parts.body as unknown as V2Body
    change(body)
    expect(thrown(() => SearchEngine.fromBytes(assembleIndex(parts.prefix, parts.header, body)))).toBe('INDEX_CORRUPT')
  })
})
