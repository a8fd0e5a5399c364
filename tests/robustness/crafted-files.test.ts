/**
 * Crafted index files with a valid checksum (hardening issue rows 4, 5, 6): a file can make a load
 * fail with INDEX_CORRUPT, or a search report INDEX_CORRUPT, but never make a search return a
 * document that does not contain the query word, throw a raw error, or allocate gigabytes.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { SearchEngine } from '../../src/index.js'
import { ROOT, sampleArticles, thrown } from './helpers/common.js'
import { assembleIndex, compressStored, readVarints, replaceStored, splitIndex, writeVarints, type IndexParts } from './helpers/index-file.js'

let file: Uint8Array
/** Internal ids of the sample: a01 is 0, a03 is 2, a04 is 3; 雷锋 is in a03 and a04 only. */
const A03 = 2

beforeAll(() => {
  const engine = new SearchEngine()
  engine.addAll(sampleArticles())
  file = engine.toBytes()
})

/** The file with its body changed by `damage` (checksum recomputed). */
function crafted(damage: (parts: IndexParts) => void): Uint8Array {
  const parts = splitIndex(file)
  damage(parts)
  return assembleIndex(parts.prefix, parts.header, parts.body)
}

/** Change varint `k` of the postings table of `term` (0: document count, 1–3: byte lengths in docs, freqs, pos). */
function changeTableEntry(parts: IndexParts, term: string, k: number, change: (n: number) => number): void {
  const terms = parts.body.postings.terms.split('\n')
  const t = terms.indexOf(term)
  expect(t, `${term} is a term of the sample`).toBeGreaterThanOrEqual(0)
  const table = readVarints(parts.body.postings.table)
  table[4 * t + k] = change(table[4 * t + k]!)
  parts.body.postings.table = writeVarints(table)
}

function ids(engine: SearchEngine, query: string): string[] {
  return engine.search(query, { limit: 100 }).hits.map((h) => h.id)
}

describe('the crafting helper', () => {
  it('re-assembles an untouched body into a file that loads and answers as before', () => {
    const again = SearchEngine.fromBytes(crafted(() => {}))
    expect(ids(again, '雷锋').sort()).toEqual(['a03', 'a04'])
  })
})

describe('row 5: entry counts and byte ranges of a term must agree', () => {
  it.each([
    ['one more document than its entries (reads into the next term)', 0, (n: number) => n + 1],
    ['one document fewer', 0, (n: number) => n - 1],
  ])('雷锋 listing %s is INDEX_CORRUPT at load', (_, k, change) => {
    expect(thrown(() => SearchEngine.fromBytes(crafted((p) => changeTableEntry(p, '雷锋', k, change))))).toBe('INDEX_CORRUPT')
  })

  it('a byte moved between two terms’ doc ranges (the totals still tile the stream) is INDEX_CORRUPT at load', () => {
    const bad = crafted((p) => {
      changeTableEntry(p, '雷锋', 1, (n) => n + 1)
      const terms = p.body.postings.terms.split('\n')
      changeTableEntry(p, terms[terms.indexOf('雷锋') + 1]!, 1, (n) => n - 1)
    })
    expect(thrown(() => SearchEngine.fromBytes(bad))).toBe('INDEX_CORRUPT')
  })

  it('a frequency or position range one byte off is INDEX_CORRUPT at load', () => {
    for (const k of [2, 3]) {
      const bad = crafted((p) => {
        changeTableEntry(p, '雷锋', k, (n) => n + 1)
        const terms = p.body.postings.terms.split('\n')
        changeTableEntry(p, terms[terms.indexOf('雷锋') + 1]!, k, (n) => n - 1)
      })
      expect(thrown(() => SearchEngine.fromBytes(bad)), `table entry ${k}`).toBe('INDEX_CORRUPT')
    }
  })

  it('a position past its field’s length is INDEX_CORRUPT at load', () => {
    const bad = crafted((p) => {
      // Document a01's title is only a few positions long: say it is 1 position long.
      const titleLengths = readVarints(p.body.lengths[0]!)
      titleLengths[0] = 1
      p.body.lengths[0] = writeVarints(titleLengths)
    })
    expect(thrown(() => SearchEngine.fromBytes(bad))).toBe('INDEX_CORRUPT')
  })

  it('an entry moved to a document without the word: searches report INDEX_CORRUPT, never that document', () => {
    // 雷锋's doc gaps are [2, 1] (a03, a04); [0, 1] keeps the structure valid but says a01, a02.
    const bad = crafted((p) => {
      const docs = p.body.postings.docs
      const terms = p.body.postings.terms.split('\n')
      const t = terms.indexOf('雷锋')
      const table = readVarints(p.body.postings.table)
      let at = 0
      for (let i = 0; i < t; i++) at += table[4 * i + 1]!
      expect(Array.from(docs.subarray(at, at + 2))).toEqual([2, 1])
      docs[at] = 0
    })
    const engine = SearchEngine.fromBytes(bad)
    expect(thrown(() => engine.search('雷锋'))).toBe('INDEX_CORRUPT')
    expect(thrown(() => engine.search('雷锋', { snippet: false }).hits.map((h) => h.doc))).toBe('INDEX_CORRUPT')
    // Other words are answered as before.
    expect(ids(engine, '专利')[0]).toBe('a09')
  })
})

describe('row 6: stored documents that are not what the postings say', () => {
  const replaced = (json: string) => crafted((p) => replaceStored(p.body, A03, compressStored(p.body, json)))

  it.each([
    ['JSON null', 'null'],
    ['a number', '5'],
    ['an array', '["a03"]'],
    ['an object without its id', '{"title":"弘扬雷锋精神","body":"雷锋"}'],
    ['another document’s id', '{"id":"a04","title":"弘扬雷锋精神","body":"雷锋"}'],
    ['a searchable field that is a number', '{"id":"a03","title":"弘扬雷锋精神","body":5}'],
  ])('%s: get, search and lazy hits are INDEX_CORRUPT, remove and update work', (_, json) => {
    const engine = SearchEngine.fromBytes(replaced(json))
    expect(thrown(() => engine.get('a03'))).toBe('INDEX_CORRUPT')
    expect(thrown(() => engine.search('雷锋'))).toBe('INDEX_CORRUPT')
    expect(thrown(() => engine.search('雷锋', { snippet: false }).hits.map((h) => h.doc))).toBe('INDEX_CORRUPT')
    expect(engine.remove('a03')).toBe(true)
    expect(ids(engine, '雷锋')).toEqual(['a04'])
    engine.update({ id: 'a04', title: '更新', body: '宇宙飞船' })
    expect(ids(engine, '雷锋')).toEqual([])
    expect(ids(engine, '宇宙飞船')).toEqual(['a04'])
  })

  it('text that disagrees with the postings: the search reports INDEX_CORRUPT; remove keeps counts exact', () => {
    const engine = SearchEngine.fromBytes(replaced('{"id":"a03","title":"宇宙飞船","body":"宇宙飞船的故事"}'))
    expect(thrown(() => engine.search('雷锋'))).toBe('INDEX_CORRUPT')
    expect(engine.remove('a03')).toBe(true)
    expect(ids(engine, '雷锋')).toEqual(['a04'])
    // Removal read the postings, not the stored text: nothing of 宇宙飞船 was there to remove.
    expect(engine.search('宇宙飞船').total).toBe(0)
  })
})

describe('wrong-typed parts of the body', () => {
  it.each<[string, (p: IndexParts) => void]>([
    ['postings.docs as a list of numbers', (p) => ((p.body.postings as Record<string, unknown>).docs = Array.from(p.body.postings.docs))],
    ['postings.pos as a string', (p) => ((p.body.postings as Record<string, unknown>).pos = 'x'.repeat(p.body.postings.pos.length))],
    ['stored.dictionary as a string', (p) => ((p.body.stored as Record<string, unknown>).dictionary = 'abc')],
    ['stored.offsets as a list', (p) => ((p.body.stored as Record<string, unknown>).offsets = Array.from(p.body.stored.offsets))],
    ['a field length table as a list', (p) => ((p.body.lengths as unknown[])[0] = Array.from(p.body.lengths[0]!))],
    ['ids.shared as a list', (p) => ((p.body.ids as Record<string, unknown>).shared = Array.from(p.body.ids.shared))],
    ['the body as a list', (p) => ((p as { body: unknown }).body = [1, 2, 3])],
  ])('%s is INDEX_CORRUPT at load', (_, damage) => {
    expect(thrown(() => SearchEngine.fromBytes(crafted(damage)))).toBe('INDEX_CORRUPT')
  })
})

describe('row 4: a stored document that inflates far beyond its compressed size', () => {
  it('a real but very repetitive document (deflate would shrink it ~500×) is written within the bound and reads back', () => {
    const body = sampleArticles()[2]!.body.slice(0, 40).repeat(20_000) // 800k characters
    const engine = new SearchEngine()
    engine.add({ id: 'long', title: '重复', body })
    const loaded = SearchEngine.fromBytes(engine.toBytes())
    expect(loaded.get('long')?.body).toBe(body)
    expect(loaded.search('雷锋').hits[0]?.id).toBe('long')
  })

  it('a deflate bomb in place of one stored document is INDEX_CORRUPT without inflating it (peak memory stays small)', () => {
    // In a child process, so its peak RSS measures only this: 256 MiB that compress to ~256 KB.
    const helper = join(ROOT, 'tests/robustness/helpers/inflate-bomb.ts')
    const child = spawnSync(process.execPath, ['--import', 'tsx', helper], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
    expect(child.status, child.stderr).toBe(0)
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as { fileBytes: number; get: string; search: string; peakGrowthMiB: number }
    expect(report.fileBytes).toBeLessThan(1024 * 1024)
    expect(report.get).toBe('INDEX_CORRUPT')
    expect(report.search).toBe('INDEX_CORRUPT')
    // Inflating the bomb whole costs ≥ 256 MiB for the bytes and 256 MiB more for the string.
    expect(report.peakGrowthMiB).toBeLessThan(64)
  })
})
